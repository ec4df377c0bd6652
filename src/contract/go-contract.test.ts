// pkg/plugin/contract.gen.json is what the Go datasource knows of the contract; it must be what
// go-contract.ts generates from the vocabulary, endpoints and links today.
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';

import { GO_CONTRACT_FILE, goContract } from './go-contract';

const file = path.join(__dirname, '..', '..', GO_CONTRACT_FILE);
const expected = `${JSON.stringify(goContract(), null, 2)}\n`;

describe('the Go datasource contract file', () => {
  it('is generated from the contract (OPSDECK_WRITE_GO_CONTRACT=1 rewrites it)', () => {
    if (process.env.OPSDECK_WRITE_GO_CONTRACT === '1') {
      writeFileSync(file, expected);
    }
    expect(readFileSync(file, 'utf8')).toBe(expected);
  });

  it('carries every state table with its order and the links the frames use', () => {
    const contract = goContract();
    expect(contract.vocabularies.severity.map((term) => [term.value, term.color])).toEqual([
      ['sev1', 'red'],
      ['sev2', 'orange'],
      ['sev3', 'blue'],
      ['sev4', 'darkgrey'],
    ]);
    expect(contract.endpoints.listIncidents).toEqual({ method: 'GET', path: '/api/v1/incidents' });
    expect(contract.links.incident).toBe('/a/opsdeck-ops-app/incidents/${__data.fields.id}');
  });
});

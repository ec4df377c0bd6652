import React from 'react';
import { fireEvent, render, screen } from '@testing-library/react';

import { dataSourceSettings } from '../../../tests/fixtures/grafana';
import { OpsDataSource } from '../datasource';
import type { OpsDataSourceOptions, OpsQuery } from '../types';
import { QueryEditor } from './QueryEditor';

function datasource(): OpsDataSource {
  return new OpsDataSource(dataSourceSettings<OpsDataSourceOptions>({}));
}

describe('query editor', () => {
  it('shows the filters of the query type and keeps template variables as typed', () => {
    const changes: OpsQuery[] = [];
    const query: OpsQuery = { refId: 'A', queryType: 'slo_status' };
    render(
      <QueryEditor
        datasource={datasource()}
        query={query}
        onChange={(next) => changes.push(next)}
        onRunQuery={() => undefined}
      />
    );
    expect(screen.queryByLabelText('Status')).not.toBeInTheDocument();
    fireEvent.change(screen.getByLabelText('Service'), { target: { value: '$service' } });
    expect(changes[changes.length - 1]).toEqual({ refId: 'A', queryType: 'slo_status', service: '$service' });
  });

  it('offers status, severity and tenant filters for incidents', () => {
    render(
      <QueryEditor
        datasource={datasource()}
        query={{ refId: 'A', queryType: 'incidents' }}
        onChange={() => undefined}
        onRunQuery={() => undefined}
      />
    );
    for (const label of ['Status', 'Severity', 'Signal', 'Owner team', 'Tenant']) {
      expect(screen.getByLabelText(label)).toBeInTheDocument();
    }
  });

  it('takes the waiting time of the pending-approvals count as a number of minutes', () => {
    const changes: OpsQuery[] = [];
    render(
      <QueryEditor
        datasource={datasource()}
        query={{ refId: 'A', queryType: 'pending_approval_count', riskClass: 'R3' }}
        onChange={(next) => changes.push(next)}
        onRunQuery={() => undefined}
      />
    );
    fireEvent.change(screen.getByLabelText('Waiting at least (minutes)'), { target: { value: '30' } });
    expect(changes[changes.length - 1]).toEqual({
      refId: 'A',
      queryType: 'pending_approval_count',
      riskClass: 'R3',
      olderThanMinutes: 30,
    });
  });

  it('offers the open-incident filters for the response-clock breaches count (issue 16)', () => {
    render(
      <QueryEditor
        datasource={datasource()}
        query={{ refId: 'A', queryType: 'response_breach_count' }}
        onChange={() => undefined}
        onRunQuery={() => undefined}
      />
    );
    for (const label of ['Severity', 'Signal', 'Owner team', 'Tenant']) {
      expect(screen.getByLabelText(label)).toBeInTheDocument();
    }
    expect(screen.queryByLabelText('Status')).not.toBeInTheDocument();
  });
});

describe('QueryEditor labels (issue 15: a label overflowed its field)', () => {
  // About 7.5 px a character at the 14 px body font, plus the label's padding and its tooltip icon.
  const needed = (text: string) => text.length * 7.5 + 32;

  it.each(['audit', 'runbooks', 'pending_approval_count', 'open_incident_count'] as const)(
    'gives every %s label room for its text and tooltip icon',
    (queryType) => {
      render(
        <QueryEditor
          datasource={datasource()}
          query={{ refId: 'A', queryType }}
          onChange={() => undefined}
          onRunQuery={() => undefined}
        />
      );
      const labels = Array.from(document.querySelectorAll('label'))
        .map((label) => ({ text: label.textContent!.trim(), width: parseFloat(getComputedStyle(label).width) }))
        .filter((label) => label.text);
      expect(labels.length).toBeGreaterThan(1);
      expect(labels.filter((label) => !(label.width >= needed(label.text)))).toEqual([]);
    }
  );
});

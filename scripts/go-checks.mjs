#!/usr/bin/env node
// The Go side of `npm run lint` and `npm test` (the datasource backend in pkg/):
// All Go code is under pkg/ (the module is the repository root, as create-plugin lays it out); `./...`
// would also walk node_modules, where some npm packages ship stray .go files.
//   node scripts/go-checks.mjs lint   go vet ./pkg/... and staticcheck (pinned as a tool in go.mod, fetched
//                                     through the Go module proxy: `go tool staticcheck`)
//   node scripts/go-checks.mjs test   go test ./pkg/... (unit, frame contract, provisioned rule queries,
//                                     the protocol test on dist/datasource's executable, the real API)
// Without Go it prints `SKIPPED: go-<what> needs go` and succeeds, except when CI=true, where it fails,
// as the other suites needing a system binary do.
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const what = process.argv[2];
const COMMANDS = {
  lint: [
    ['go', 'vet', './pkg/...'],
    ['go', 'tool', 'staticcheck', './pkg/...'],
  ],
  test: [['go', 'test', '-count=1', './pkg/...']],
};

if (!COMMANDS[what]) {
  console.error('usage: node scripts/go-checks.mjs lint|test');
  process.exit(2);
}
const go = spawnSync('go', ['version'], { encoding: 'utf8' });
if (go.error || go.status !== 0) {
  console.log(`SKIPPED: go-${what} needs go (the datasource backend in pkg/ is Go; install it to check it)`);
  process.exit(process.env.CI === 'true' ? 1 : 0);
}
for (const command of COMMANDS[what]) {
  const result = spawnSync(command[0], command.slice(1), { cwd: root, stdio: 'inherit' });
  if (result.status !== 0) {
    console.error(`${command.join(' ')} failed`);
    process.exit(1);
  }
}

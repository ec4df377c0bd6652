#!/usr/bin/env node
// The `opsdeck` command: runs the bundled CLI (build/opsdeck.cjs), building it first when it is
// missing or older than its sources (needs the dev dependencies; a production image ships the bundle).
'use strict';
const path = require('node:path');

async function main() {
  const bundle = path.join(__dirname, '..', 'build', 'opsdeck.cjs');
  try {
    const { buildApi } = await import('../scripts/build-api.mjs');
    await buildApi({ quiet: true });
  } catch (error) {
    if (error && error.code !== 'ERR_MODULE_NOT_FOUND') {
      throw error;
    }
    // esbuild is not installed (production image): use the shipped bundle as it is.
  }
  await require(bundle).runCli(process.argv);
}

main().catch((error) => {
  console.error(`opsdeck: ${error.message}`);
  process.exit(1);
});

#!/usr/bin/env node
// The doppel command: runs the bundled CLI (built by `npm run build`, which `npm install` runs).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
if (!existsSync(cli)) {
  console.error('doppel is not built yet: run "npm run build" in the doppel folder.');
  process.exit(1);
}
await import(cli);

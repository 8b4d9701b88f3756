#!/usr/bin/env node
// Electron >= 42 downloads its binary lazily. `npm start` runs this first so a fresh
// machine fetches it once up front (install.js exits at once when it is already there).
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const result = spawnSync(process.execPath, [require.resolve('electron/install.js')], { stdio: 'inherit' });
if (result.status !== 0) {
  console.error('Could not download the Electron binary. The desktop window needs it; `npx doppel serve` runs Doppel in a browser instead.');
  process.exit(result.status ?? 1);
}

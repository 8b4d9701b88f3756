// The desktop app itself through Playwright's _electron: the same add-a-folder flow as the
// browser suite. Electron's binary is downloaded on first use, which the build machines cannot
// do, so there this suite is skipped with the reason printed.
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { _electron as electron } from 'playwright-core';
import { describe, expect, it } from 'vitest';
import { BENCH_ORIGINALS, PROJECT_ROOT, tempDir } from '../test/helpers';

function electronBinary(): string | undefined {
  const pkg = createRequire(import.meta.url).resolve('electron/package.json');
  const pathFile = join(dirname(pkg), 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(dirname(pkg), 'dist', readFileSync(pathFile, 'utf8'));
  return existsSync(binary) ? binary : undefined;
}

const binary = electronBinary();
if (!binary) console.warn('e2e/electron.spec.ts skipped: the Electron binary is not installed here (it downloads on first "npm start"; this machine has no internet).');

describe.skipIf(!binary)('the desktop app', () => {
  it('adds a folder and shows its group of copies', async () => {
    const library = tempDir('doppel-electron-');
    copyFileSync(join(BENCH_ORIGINALS, 'kpa_bar55.jpg'), join(library, 'bar.jpg'));
    copyFileSync(join(BENCH_ORIGINALS, 'kpa_bar55.jpg'), join(library, 'bar copy.jpg'));
    const app = await electron.launch({ executablePath: binary!, args: [join(PROJECT_ROOT, 'out/main/index.js')] });
    try {
      const window = await app.firstWindow();
      await window.getByTestId('add-root-input').fill(library);
      await window.getByTestId('add-root-button').click();
      await window.waitForSelector('[data-testid=group-card][data-group-size="2"]', { timeout: 60_000 });
      expect(await window.getByTestId('group-count').textContent()).toBe('1');
    } finally {
      await app.close();
    }
  }, 120_000);
});

// The desktop app itself through Playwright's _electron: the same add-a-folder flow as the
// browser suite, and the guards of docs/security.md that need the real window (navigation,
// new windows, IPC from a foreign page). Electron's binary is downloaded on first use, which the
// build machines cannot do, so there this suite is skipped with the reason printed.
import { copyFileSync, existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { _electron as electron, type ElectronApplication, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCH_ORIGINALS, PROJECT_ROOT, tempDir } from '../test/helpers';
import { readPixels } from './canvas-read';

function electronBinary(): string | undefined {
  const pkg = createRequire(import.meta.url).resolve('electron/package.json');
  const pathFile = join(dirname(pkg), 'path.txt');
  if (!existsSync(pathFile)) return undefined;
  const binary = join(dirname(pkg), 'dist', readFileSync(pathFile, 'utf8'));
  return existsSync(binary) ? binary : undefined;
}

const binary = electronBinary();

const photoUrl = (path: string) => `doppel://file/?path=${encodeURIComponent(path)}`;
const launchApp = () => electron.launch({ executablePath: binary!, args: [join(PROJECT_ROOT, 'out/main/index.js')] });
if (!binary) console.warn('e2e/electron.spec.ts skipped: the Electron binary is not installed here (it downloads on first "npm start"; this machine has no internet).');

describe.skipIf(!binary)('the desktop app', () => {
  it('adds a folder and shows its group of copies', async () => {
    const library = tempDir('doppel-electron-');
    copyFileSync(join(BENCH_ORIGINALS, 'kpa_bar55.jpg'), join(library, 'bar.jpg'));
    copyFileSync(join(BENCH_ORIGINALS, 'kpa_bar55.jpg'), join(library, 'bar copy.jpg'));
    const app = await launchApp();
    try {
      const window = await app.firstWindow();
      await window.getByTestId('add-root-input').fill(library);
      await window.getByTestId('add-root-button').click();
      await window.waitForSelector('[data-testid=group-card][data-group-size="2"]', { timeout: 60_000 });
      expect(await window.getByTestId('group-count').textContent()).toBe('1');
      // The compare view's difference reads doppel:// pixels from app://doppel: by CORS only.
      const pixels = await readPixels(window, photoUrl(join(library, 'bar.jpg')), true);
      expect(typeof pixels === 'string' ? pixels : 'read').toBe('read');
      expect(await readPixels(window, photoUrl(join(library, 'bar copy.jpg')), false)).toBe('SecurityError');
    } finally {
      await app.close();
    }
  }, 120_000);
});

describe.skipIf(!binary)('the desktop app against foreign pages', () => {
  // A page of another origin on this machine; `requests` counts what reached it.
  let foreign: Server;
  let foreignUrl: string;
  let requests = 0;
  let app: ElectronApplication;
  let appPage: Page;

  beforeAll(async () => {
    foreign = createServer((_request, response) => {
      requests++;
      response.end('<!doctype html><title>foreign</title><p>a page that is not the app</p>');
    });
    await new Promise<void>((listening) => foreign.listen(0, '127.0.0.1', listening));
    foreignUrl = `http://127.0.0.1:${(foreign.address() as AddressInfo).port}/`;
    app = await launchApp();
    appPage = await app.firstWindow();
    await appPage.getByTestId('add-root-input').waitFor();
  }, 60_000);

  afterAll(async () => {
    await app?.close();
    foreign?.close();
  });

  it('refuses to navigate away from the app, by script or by link', async () => {
    const appUrl = appPage.url();
    await appPage.evaluate((url) => (location.href = url), foreignUrl);
    await expect(appPage.waitForURL(foreignUrl, { timeout: 3_000 })).rejects.toThrow();
    await appPage.evaluate((url) => {
      const link = Object.assign(document.createElement('a'), { href: url });
      document.body.append(link);
      link.click();
    }, foreignUrl);
    await expect(appPage.waitForURL(foreignUrl, { timeout: 3_000 })).rejects.toThrow();
    expect(appPage.url()).toBe(appUrl);
    expect(requests).toBe(0);
    await expect(appPage.getByTestId('add-root-input').isVisible()).resolves.toBe(true);
  }, 30_000);

  it('refuses new windows: window.open and target=_blank open nothing', async () => {
    expect(await appPage.evaluate((url) => window.open(url) === null, foreignUrl)).toBe(true);
    await appPage.evaluate((url) => {
      const link = Object.assign(document.createElement('a'), { href: url, target: '_blank' });
      document.body.append(link);
      link.click();
    }, foreignUrl);
    await expect(app.waitForEvent('window', { timeout: 3_000 })).rejects.toThrow();
    expect(app.windows()).toHaveLength(1);
    expect(requests).toBe(0);
  }, 30_000);

  it("answers the app's own page but refuses the same IPC call from a foreign page", async () => {
    await expect(appPage.evaluate(() => (window as unknown as { doppel: { getAppInfo(): Promise<{ host: string }> } }).doppel.getAppInfo())).resolves.toMatchObject({ host: 'electron' });
    // A window main did not mean to make, given the app's preload and a foreign page: the bridge
    // is there, main must refuse what comes through it.
    const opened = app.waitForEvent('window');
    await app.evaluate(({ BrowserWindow }, { preload, url }) => {
      const intruder = new BrowserWindow({ show: false, webPreferences: { preload, sandbox: true, contextIsolation: true } });
      void intruder.loadURL(url);
    }, { preload: join(PROJECT_ROOT, 'out/preload/index.cjs'), url: foreignUrl });
    const intruder = await opened;
    await intruder.waitForLoadState();
    const answer = await intruder.evaluate(() =>
      (window as unknown as { doppel: { getAppInfo(): Promise<unknown> } }).doppel.getAppInfo().then(
        () => 'answered',
        (error: Error) => error.message,
      ),
    );
    expect(answer).toContain('IPC refused');
  }, 30_000);
});

// Launching Debian's Chromium for end-to-end tests, and starting `doppel serve` as a user would.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';
import { CLI, PROJECT_ROOT, tempDir } from '../test/helpers';

export const CHROMIUM_FLAGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];

/** Where the suites' screenshots go (not committed). */
export const SHOTS = join(PROJECT_ROOT, '.artifacts/e2e');
mkdirSync(SHOTS, { recursive: true });

/** Debian's chromium for the suite `file`, or undefined after saying the suite is skipped. */
export function chromiumFor(file: string): string | undefined {
  const found = findChromium();
  if (!found) console.warn(`${file} skipped: Debian chromium not found (apt-get install -y chromium)`);
  return found;
}

/** Debian's chromium binary, or undefined (tests then skip, saying why). */
export function findChromium(): string | undefined {
  const found = spawnSync('which', ['chromium'], { encoding: 'utf8' });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

export function launchBrowser(executablePath: string, userDataDir: string): Promise<BrowserContext> {
  return chromium.launchPersistentContext(userDataDir, { executablePath, args: CHROMIUM_FLAGS, viewport: { width: 1280, height: 820 } });
}

export interface ServeProcess {
  url: string;
  stop(): Promise<void>;
}

/** Runs `doppel serve --port PORT --data DATA DIR...` and waits for the URL it prints. */
export function serve(port: number, dataDir: string, dirs: string[] = []): Promise<ServeProcess> {
  return new Promise((resolve, reject) => {
    const child: ChildProcess = spawn(process.execPath, [CLI, 'serve', '--port', String(port), '--data', dataDir, ...dirs], { cwd: PROJECT_ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (chunk) => {
      out += chunk;
      const url = /http:\/\/\S+/.exec(out)?.[0];
      if (url) resolve({ url, stop: () => stop(child) });
    });
    child.once('exit', (code) => reject(new Error(`doppel serve exited with ${code}: ${out}`)));
  });
}

function stop(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    child.removeAllListeners('exit');
    child.once('exit', () => resolve());
    child.kill('SIGTERM');
  });
}

/** A port nothing listens on right now (the host must reuse one across restarts: IndexedDB is
 *  per origin). */
export function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

export interface OpenHost {
  host: ServeProcess;
  context: BrowserContext;
  page: Page;
}

/** `doppel serve` on `dirs` with a fresh data folder, and a fresh Chromium profile's page on it
 *  at 900×700, the size the screens are checked at. `name` labels the temp folders. */
export async function openHost(executablePath: string, name: string, dirs: string[]): Promise<OpenHost> {
  const host = await serve(await freePort(), tempDir(`doppel-${name}-data-`), dirs);
  const context = await launchBrowser(executablePath, tempDir(`doppel-${name}-profile-`));
  const page = await context.newPage();
  await page.setViewportSize({ width: 900, height: 700 });
  await page.goto(host.url);
  return { host, context, page };
}

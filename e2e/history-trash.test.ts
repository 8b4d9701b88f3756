// Restoring trashed files from History in Debian's Chromium against `doppel serve`, with a real
// freedesktop trash (a temp XDG_DATA_HOME): "mark all suggested" and Trash, then Restore puts a
// file back with the same bytes and its .trashinfo gone; a file whose trashed copy was changed
// is refused; a second Restore says the first is already back; a forged request is refused.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCH_ORIGINALS, tempDir } from '../test/helpers';
import { callApi as callPageApi } from './api-call';
import { chromiumFor, freePort, launchBrowser, serve, type ServeProcess, SHOTS } from './browser';

const chromiumPath = chromiumFor('e2e/history-trash.test.ts');

const library = tempDir('doppel-history-trash-lib-');
const xdgData = tempDir('doppel-history-trash-xdg-');
const LONG = 'a-rather-long-holiday-photo-name-from-the-beach-at-sunset-2024-08-17';
const ORIGINAL = `${LONG}-IMG_4821.jpg`;
const COPY = `${LONG}-IMG_4821 (exported copy for the family album).jpg`;
const SMALL = `${LONG}-IMG_4821-small.jpg`;
let host: ServeProcess;
let context: BrowserContext;
let page: Page;

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const trashInfos = () => readdirSync(join(xdgData, 'Trash/info')).map((name) => ({ name, text: decodeURIComponent(readFileSync(join(xdgData, 'Trash/info', name), 'utf8')) }));
const results = () => page.getByTestId('action-result').allTextContents();

async function shots(name: string): Promise<void> {
  for (const colorScheme of ['light', 'dark'] as const) {
    await page.emulateMedia({ colorScheme });
    await page.screenshot({ path: join(SHOTS, `history-trash-${name}-${colorScheme}.png`), fullPage: true });
  }
  await page.emulateMedia({ colorScheme: 'light' });
}

/** One DoppelApi call from the page, as a compromised page could send it. */
function callApi(method: string, ...args: unknown[]): Promise<{ result?: unknown; error?: string }> {
  return callPageApi(page, method, ...args);
}

describe.skipIf(!chromiumPath)('restoring trashed files from History', () => {
  beforeAll(async () => {
    copyFileSync(join(BENCH_ORIGINALS, 'kpa_bar55.jpg'), join(library, ORIGINAL));
    copyFileSync(join(BENCH_ORIGINALS, 'kpa_bar55.jpg'), join(library, COPY));
    await sharp(join(BENCH_ORIGINALS, 'kpa_bar55.jpg')).resize({ width: 400 }).jpeg({ quality: 85 }).toFile(join(library, SMALL));
    process.env.XDG_DATA_HOME = xdgData; // the host (a child process) trashes into this folder
    host = await serve(await freePort(), tempDir('doppel-history-trash-data-'), [library]);
    context = await launchBrowser(chromiumPath!, tempDir('doppel-history-trash-profile-'));
    page = await context.newPage();
    await page.setViewportSize({ width: 900, height: 700 });
    await page.goto(host.url);
    await page.waitForFunction(() => document.querySelector('[data-testid=group-card][data-group-size="3"]'), undefined, { timeout: 60_000, polling: 200 });
  }, 90_000);

  afterAll(async () => {
    await context?.close();
    await host?.stop();
  });

  it('trashes the suggested copies, restores one with the same bytes, refuses one changed in the trash, then says the first is already back', async () => {
    const before = new Map([ORIGINAL, COPY, SMALL].map((name) => [name, sha256(join(library, name))]));
    await page.getByTestId('accept-suggestions').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=trash-marked]')?.textContent?.includes('Move 2 files'));
    await page.getByTestId('trash-marked').click();
    await page.getByTestId('confirm-trash').click();
    await page.waitForFunction(() => !document.querySelector('[data-testid=confirm-trash]'));
    const trashed = [ORIGINAL, COPY, SMALL].filter((name) => !existsSync(join(library, name)));
    expect(trashed).toHaveLength(2);
    const [restorable, tampered] = trashed as [string, string];

    // The tampered one's trashed copy: same size, other bytes.
    const info = trashInfos().find((i) => i.text.includes(`Path=${join(library, tampered)}\n`))!;
    const inTrash = join(xdgData, 'Trash/files', info.name.replace(/\.trashinfo$/, ''));
    const bytes = readFileSync(inTrash);
    bytes[bytes.length - 10] = bytes[bytes.length - 10]! ^ 0xff;
    writeFileSync(inTrash, bytes);

    await page.getByTestId('history-item').first().waitFor();
    expect(await page.getByTestId('in-system-trash').count()).toBe(0);
    await page.getByTestId('restore-action').first().click();
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=action-result]').length === 2 && document.body.textContent?.includes('Restored'));
    expect(existsSync(join(library, restorable))).toBe(true);
    expect(sha256(join(library, restorable))).toBe(before.get(restorable));
    expect(trashInfos().some((i) => i.text.includes(`Path=${join(library, restorable)}\n`))).toBe(false);
    expect(existsSync(join(library, tampered))).toBe(false);
    const first = await results();
    expect(first.find((r) => r.includes(restorable))).toMatch(/^\s*Restored/);
    expect(first.find((r) => r.includes(tampered))).toMatch(/Skipped.*not the file that was trashed/);
    // Not every file came back: History still offers Restore, and says nothing is restored yet.
    expect(await page.getByTestId('history-item').first().textContent()).not.toContain('restored');
    await shots('1-restored-one-refused');

    await page.getByTestId('restore-action').first().click();
    await page.waitForFunction((name) => [...document.querySelectorAll('[data-testid=action-result]')].some((r) => r.textContent?.includes(name) && r.textContent.includes('already back')), restorable);
    expect((await results()).find((r) => r.includes(tampered))).toMatch(/not the file that was trashed/);
    expect(sha256(join(library, restorable))).toBe(before.get(restorable));
    await shots('2-already-back');
  }, 120_000);

  it('main refuses a forged request: only a trashed copy of that path with that size and digest comes back', async () => {
    const stranger = join(library, 'stolen.jpg');
    const size = statSync(join(library, [ORIGINAL, COPY, SMALL].find((name) => existsSync(join(library, name)))!)).size;
    const answer = await callApi('restoreFromTrash', [{ path: stranger, size, mtimeMs: 1, digest: '0'.repeat(64) }]);
    expect(answer.result).toEqual([{ path: stranger, status: 'skipped', reason: expect.stringContaining('no longer in the Trash') }]);
    const outside = await callApi('restoreFromTrash', [{ path: '/etc/passwd', size: 1, mtimeMs: 1, digest: '0'.repeat(64) }]);
    expect(outside.result).toEqual([{ path: '/etc/passwd', status: 'skipped', reason: 'its folder is not inside a watched folder' }]);
    expect(existsSync(stranger)).toBe(false);
  });
});

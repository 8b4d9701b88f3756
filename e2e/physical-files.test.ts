// A photo, a symlink to it, a hard link to it and a real copy, in Debian's Chromium against
// `doppel serve`: one group of two photos (the copy and the photo), the photo showing its
// other names, readable at 900 px.
import { copyFileSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCH_ORIGINALS, tempDir } from '../test/helpers';
import { accessibilityViolations, describeViolations } from './axe';
import { chromiumFor, freePort, launchBrowser, serve, type ServeProcess, SHOTS } from './browser';

const chromiumPath = chromiumFor('e2e/physical-files.test.ts');

const library = tempDir('doppel-links-lib-');
const folder = 'Originals/2019 Summer holidays in the mountains with the whole family';
const photo = join(library, folder, 'IMG_20190712_183455_panorama_of_the_lake_at_sunset.jpg');
const link = join(library, 'IMG_1.jpg');
const hard = join(library, 'Originals', 'IMG_20190712_183455 (hard link kept by the old photo manager).jpg');
const copy = join(library, 'Backup', 'IMG_20190712_183455.jpg');
const xdgData = tempDir('doppel-links-xdg-');
let host: ServeProcess;
let context: BrowserContext;
let page: Page;

describe.skipIf(!chromiumPath)('a symlink and its target, or hard links, are one photo', () => {
  beforeAll(async () => {
    mkdirSync(join(library, folder), { recursive: true });
    mkdirSync(join(library, 'Backup'));
    copyFileSync(join(BENCH_ORIGINALS, 'kpa_pool.jpg'), photo);
    symlinkSync(join(folder, 'IMG_20190712_183455_panorama_of_the_lake_at_sunset.jpg'), link);
    linkSync(photo, hard);
    copyFileSync(photo, copy);
    process.env.XDG_DATA_HOME = xdgData; // the host (a child process) trashes into this folder
    host = await serve(await freePort(), tempDir('doppel-links-data-'), [library]);
    context = await launchBrowser(chromiumPath!, tempDir('doppel-links-profile-'));
    page = await context.newPage();
    await page.setViewportSize({ width: 900, height: 900 });
    await page.goto(host.url);
    await page.waitForFunction(() => [...document.querySelectorAll('[data-testid=group-card]')].map((c) => c.getAttribute('data-group-size')).join(',') === '2', undefined, { timeout: 60_000, polling: 200 });
  }, 90_000);

  afterAll(async () => {
    await context?.close();
    await host?.stop();
  });

  it('shows one group of the photo and its real copy, the photo with its other names', async () => {
    expect(await page.locator('[data-testid=group-card]').count()).toBe(1);
    // One duplicate, and what deleting it frees counts the file once.
    const summary = await page.locator('.groups-header p').innerText();
    expect(summary).toMatch(/^1 duplicate · [\d.]+ (KB|MB) reclaimable/);
    expect(summary).toContain(`${Math.round(statSync(copy).size / 1e3)} KB reclaimable`);
    await page.screenshot({ path: join(SHOTS, 'physical-files-overview.png'), fullPage: true });
    await page.locator('[data-testid=group-card]').click();
    await page.getByTestId('compare-view').waitFor();
    const names = page.locator('.members [data-testid=other-names]');
    expect(await names.count()).toBe(1);
    const text = await names.innerText();
    // Named by its shortest name that is not a symlink (here the hard link), the others listed.
    expect(text).toContain(photo);
    expect(text).toContain(link);
    // The photo the links lead to is the one kept; the copy is the candidate.
    const keeper = page.locator('.members .member').first();
    expect(await keeper.innerText()).toContain('IMG_20190712_183455 (hard link kept by the old photo manager).jpg');
    // The long names wrap inside their card instead of overflowing it.
    const overflow = await names.evaluate((el) => el.scrollWidth - el.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    // The compare table says it too.
    expect(await page.locator('.compare-table [data-testid=other-names]').innerText()).toContain(link);
    await page.screenshot({ path: join(SHOTS, 'physical-files-group.png'), fullPage: true });
    expect(describeViolations(await accessibilityViolations(page))).toBe('');
  });

  it('deleting the photo takes every hard link of it along, and leaves the symlink (which then leads nowhere)', async () => {
    await page.getByTestId('keep-instead').click(); // keep the real copy, delete the photo
    await page.locator('.members .member').first().filter({ hasText: 'Backup' }).waitFor();
    await page.getByTestId('mark-delete').click();
    await page.getByTestId('trash-marked').click();
    await page.getByTestId('confirm-trash').click();
    await page.waitForFunction(() => !document.querySelector('[data-testid=confirm-trash]'));
    // One name alone would free nothing, and the photo would come back under the other.
    expect(existsSync(photo)).toBe(false);
    expect(existsSync(hard)).toBe(false);
    expect(existsSync(copy)).toBe(true);
    expect(lstatSync(link).isSymbolicLink()).toBe(true);
    const trashed = readdirSync(join(xdgData, 'Trash/info')).map((f) => decodeURIComponent(readFileSync(join(xdgData, 'Trash/info', f), 'utf8')));
    expect(trashed.filter((info) => info.includes(`Path=${photo}`) || info.includes(`Path=${hard}`))).toHaveLength(2);
    await page.keyboard.press('Escape');
    expect((await page.getByTestId('action-result').allTextContents()).map((t) => t.trim()).sort()).toEqual([`Moved to Trash: ${hard}`, `Moved to Trash: ${photo}`].sort());
    // Nothing is left to group: the copy is alone.
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=group-card]').length === 0, undefined, { timeout: 30_000, polling: 200 });
  });
});

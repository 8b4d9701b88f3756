// Companions end to end in Debian's Chromium against `doppel serve`, with a real freedesktop
// trash (a temp XDG_DATA_HOME). One photo twice, byte for byte: as Lightroom keeps it (with an
// XMP sidecar: rating, keywords, edits; in a folder with a longer path, so only the sidecar can
// make it the keeper) and as Google Takeout exported it (with its JSON). Another photo as a
// phone's Live Photo (a smaller JPEG with its MOV) beside its original. The member card and the
// compare table list the companions; the confirm dialog says what goes with each copy; Trash
// takes them along, History says so, and Restore brings them all back.
import { copyFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lightroomXmp, takeoutJson } from '../src-core/companions/sidecar-fixtures';
import { BENCH_ORIGINALS, tempDir } from '../test/helpers';
import { shotsAndAudit } from './axe';
import { chromiumFor, openHost, type ServeProcess } from './browser';

const chromiumPath = chromiumFor('e2e/companions.test.ts');

const library = tempDir('doppel-companions-lib-');
const xdgData = tempDir('doppel-companions-xdg-');
const LONG = 'a-rather-long-holiday-photo-name-from-the-harbour-at-dusk-2023-04-30';
const LIGHTROOM = 'Lightroom Classic catalogue';
const lightroom = join(library, LIGHTROOM, `${LONG}-IMG_4821.jpg`);
const xmp = join(library, LIGHTROOM, `${LONG}-IMG_4821.xmp`);
const takeout = join(library, 'Takeout', `${LONG}-IMG_4821.jpg`);
const json = join(library, 'Takeout', `${LONG}-IMG_4821.jpg.supplemental-metadata.json`);
const original = join(library, 'Originals', 'IMG_7000.jpg');
const phone = join(library, 'Phone', 'IMG_7000.JPG');
const mov = join(library, 'Phone', 'IMG_7000.MOV');
let host: ServeProcess;
let context: BrowserContext;
let page: Page;

/** Screenshots in light and dark, with no WCAG A/AA violation in either. */
async function shots(name: string): Promise<void> {
  expect(await shotsAndAudit(page, `companions-${name}`)).toEqual([]);
}

describe.skipIf(!chromiumPath)('companions: found, shown, weighed, moved with their photo', () => {
  beforeAll(async () => {
    for (const folder of [LIGHTROOM, 'Takeout', 'Originals', 'Phone']) mkdirSync(join(library, folder));
    copyFileSync(join(BENCH_ORIGINALS, 'kpa_bar55.jpg'), lightroom);
    copyFileSync(join(BENCH_ORIGINALS, 'kpa_bar55.jpg'), takeout);
    copyFileSync(join(BENCH_ORIGINALS, 'kpa_pool.jpg'), original);
    await sharp(original).resize({ width: 400 }).jpeg({ quality: 85 }).toFile(phone);
    writeFileSync(xmp, lightroomXmp({ rating: 4, keywords: ['harbour', 'boats'], title: 'Dusk', exposure: '+0.35' }));
    writeFileSync(json, takeoutJson({ title: `${LONG}-IMG_4821.jpg`, takenAt: new Date('2023-04-30T16:04:05Z'), latitude: 43.3961, longitude: 3.6973 }));
    writeFileSync(mov, 'a Live Photo video: any bytes will do');
    process.env.XDG_DATA_HOME = xdgData; // the host (a child process) trashes into this folder
    ({ host, context, page } = await openHost(chromiumPath!, 'companions', [library]));
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=group-card][data-group-size="2"]').length === 2, undefined, { timeout: 90_000, polling: 200 });
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await host?.stop();
  });

  it('keeps the copy with the Lightroom sidecar and lists each copy’s companions with what they add', async () => {
    await page.locator('[data-testid=group-card]').filter({ hasText: 'harbour' }).click();
    const cards = page.getByTestId('member');
    await cards.first().waitFor();
    const keeper = await cards.filter({ hasText: 'Keep' }).first().textContent();
    expect(keeper).toContain(LIGHTROOM);
    expect(keeper).toContain(`Why: identical copies; its sidecar ${LONG}-IMG_4821.xmp holds ★★★★ rating, “Dusk”, keywords harbour, boats, edits (exposure); the other's has less (taken 2023-04-30 16:04:05 UTC, GPS 43.3961, 3.6973)`);
    const listed = (await page.getByTestId('member-companions').allTextContents()).join('\n');
    expect(listed).toContain(`${LONG}-IMG_4821.xmp (XMP sidecar): ★★★★ rating, “Dusk”, keywords harbour, boats, edits (exposure)`);
    expect(listed).toContain(`${LONG}-IMG_4821.jpg.supplemental-metadata.json (Google Takeout metadata): taken 2023-04-30 16:04:05 UTC, GPS 43.3961, 3.6973`);
    // The compare table, the keeper beside the Takeout copy.
    const row = await page.getByTestId('companions').textContent();
    expect(row).toContain('XMP sidecar');
    expect(row).toContain('Google Takeout metadata');
    await shots('1-group');

    await page.getByRole('button', { name: '← All groups' }).click();
    await page.locator('[data-testid=group-card]').filter({ hasText: 'IMG_7000' }).click();
    await page.getByTestId('member-companions').first().waitFor();
    expect(await page.getByTestId('member-companions').allTextContents()).toEqual(['Goes with it:IMG_7000.MOV (Live Photo video)']);
  });

  it('says in the confirm dialog what goes with each copy, trashes them together, and History says so', async () => {
    await page.getByRole('button', { name: '← All groups' }).click();
    await page.getByTestId('accept-suggestions').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=trash-marked]')?.textContent?.includes('Move 2 files'));
    await page.getByTestId('trash-marked').click();
    const lines = await page.getByTestId('trash-companion').allTextContents();
    expect(lines.sort()).toEqual(['IMG_7000.JPG and its Live Photo video IMG_7000.MOV', `${LONG}-IMG_4821.jpg and its sidecar ${LONG}-IMG_4821.jpg.supplemental-metadata.json`]);
    await shots('2-dialog');

    await page.getByTestId('confirm-trash').click();
    await page.getByTestId('history-companions').first().waitFor();
    expect([takeout, json, phone, mov].map(existsSync)).toEqual([false, false, false, false]);
    expect([lightroom, xmp, original].map(existsSync)).toEqual([true, true, true]);
    const history = await page.getByTestId('history-companions').first().textContent();
    expect(history).toContain(`${LONG}-IMG_4821.jpg with its sidecar ${LONG}-IMG_4821.jpg.supplemental-metadata.json`);
    expect(history).toContain('IMG_7000.JPG with its Live Photo video IMG_7000.MOV');
    const results = (await page.getByTestId('action-result').allTextContents()).join('\n');
    expect(results).toContain('with its Live Photo video IMG_7000.MOV');
    await shots('3-history');

    await page.getByTestId('restore-action').first().click();
    await page.waitForFunction(() => document.querySelector('[data-testid=history-item]')?.textContent?.includes('restored'), undefined, { timeout: 20_000 });
    expect([takeout, json, phone, mov].map(existsSync)).toEqual([true, true, true, true]);
    expect(readFileSync(mov, 'utf8')).toBe('a Live Photo video: any bytes will do');
  });
});

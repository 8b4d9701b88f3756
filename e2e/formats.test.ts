// Phone and camera formats in the browser UI: a RAW+JPEG pair of one shot and a HEIC+JPEG pair
// are grouped but never suggested for deletion, until the person says such pairs are
// duplicates, and the compare view shows the RAW and the HEIC at full size; a multi-frame GIF
// says only its first frame was compared.
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCH_ORIGINALS, tempDir } from '../test/helpers';
import { tiffRaw } from '../test/raw-files';
import { findChromium, freePort, launchBrowser, serve, type ServeProcess, SHOTS } from './browser';

const chromiumPath = findChromium();
const heifEnc = spawnSync('which', ['heif-enc']).status === 0;
if (!chromiumPath) console.warn('e2e/formats.test.ts skipped: Debian chromium not found (apt-get install -y chromium)');
else if (!heifEnc) console.warn('e2e/formats.test.ts skipped: heif-enc not found (apt-get install -y libheif-examples)');

const library = tempDir('doppel-formats-lib-');
let host: ServeProcess;
let context: BrowserContext;
let page: Page;

/** A compare-view image comes from the view route (a full-size JPEG made in main) and has
 *  loaded at more than the thumbnail's 320 px. */
const fullSizeViewShown = () =>
  page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('[data-testid=compare-view] img')].some((img) => new URL(img.src).pathname.startsWith('/view/') && img.complete && img.naturalWidth > 320), undefined, { timeout: 30_000 });

const suggestedCount = async () => Number(/Mark all (\d+) suggested/.exec((await page.getByTestId('accept-suggestions').textContent())!)![1]);

describe.skipIf(!chromiumPath || !heifEnc)('phone and camera formats', () => {
  beforeAll(async () => {
    const pool = sharp(join(BENCH_ORIGINALS, 'kpa_pool.jpg'));
    // DSC_0042.NEF + DSC_0042.JPG: one shot in two formats.
    writeFileSync(join(library, 'DSC_0042.JPG'), await pool.clone().jpeg({ quality: 92 }).toBuffer());
    writeFileSync(join(library, 'DSC_0042.NEF'), tiffRaw(await pool.clone().resize(160, 120).jpeg().toBuffer(), await pool.clone().jpeg({ quality: 80 }).toBuffer()));
    // IMG_0007.HEIC + IMG_0007.JPG from a phone.
    const bar = join(BENCH_ORIGINALS, 'kpa_bar55.jpg');
    execFileSync('heif-enc', ['-q', '70', bar, '-o', join(library, 'IMG_0007.HEIC')], { stdio: 'ignore' });
    writeFileSync(join(library, 'IMG_0007.JPG'), await sharp(bar).jpeg({ quality: 85 }).toBuffer());
    // A two-frame GIF next to its still copy.
    const garden = join(BENCH_ORIGINALS, 'mate_Garden.jpg');
    const frame = await sharp(garden).resize(200, 150).raw().toBuffer();
    await sharp(Buffer.concat([frame, Buffer.alloc(frame.length)]), { raw: { width: 200, height: 300, channels: 3, pageHeight: 150 } }).gif().toFile(join(library, 'garden.gif'));
    await sharp(garden).resize(200, 150).jpeg({ quality: 90 }).toFile(join(library, 'garden.jpg'));
    host = await serve(await freePort(), tempDir('doppel-formats-data-'), [library]);
    context = await launchBrowser(chromiumPath!, tempDir('doppel-formats-profile-'));
    page = await context.newPage();
    await page.goto(host.url);
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=group-card]').length === 3, undefined, { timeout: 60_000, polling: 200 });
  }, 90_000);

  afterAll(async () => {
    await context?.close();
    await host?.stop();
  });

  it('groups each pair, marks the other format as its pair, and suggests neither', async () => {
    // Only the GIF/JPEG group has a copy to suggest.
    await page.waitForFunction(() => document.querySelector('[data-testid=accept-suggestions]')?.textContent?.includes('Mark all 1 suggested'));
    await page.locator('[data-testid=group-card]').filter({ hasText: 'DSC_0042' }).click();
    await page.getByTestId('compare-view').waitFor();
    const facts = await page.locator('.member').allTextContents();
    expect(facts.join('\n')).toContain('RAW+JPEG pair');
    // The browser cannot show a NEF: it is compared through its view image, at full size.
    await fullSizeViewShown();
    await page.waitForFunction(() => [...document.querySelectorAll<HTMLImageElement>('[data-testid=compare-view] img')].every((img) => img.complete && img.naturalWidth > 0));
    await page.screenshot({ path: join(SHOTS, 'formats-1-raw-jpeg-pair.png'), fullPage: true });
    await page.keyboard.press('Escape');
    await page.locator('[data-testid=group-card]').filter({ hasText: 'IMG_0007' }).click();
    expect((await page.locator('.member').allTextContents()).join('\n')).toContain('HEIC+JPEG pair');
    await fullSizeViewShown();
    await page.keyboard.press('Escape');
  });

  it('says when only the first frame of an animation was compared', async () => {
    await page.locator('[data-testid=group-card]').filter({ hasText: 'garden' }).click();
    expect((await page.locator('.member').allTextContents()).join('\n')).toContain('2 frames or pages: the first is compared');
    await page.keyboard.press('Escape');
  });

  it('suggests one of each pair once pairs count as duplicates, and keeps the preferred format', async () => {
    expect(await suggestedCount()).toBe(1);
    await page.getByTestId('pairs-are-duplicates').check();
    await page.waitForFunction(() => document.querySelector('[data-testid=accept-suggestions]')?.textContent?.includes('Mark all 3 suggested'));
    await page.getByTestId('prefer-format').selectOption('jpeg');
    await page.waitForFunction(() => [...document.querySelectorAll('.keeper-line')].some((line) => line.textContent?.includes('Keep DSC_0042.JPG — the format you prefer (jpeg)')));
    await page.screenshot({ path: join(SHOTS, 'formats-2-pairs-as-duplicates.png'), fullPage: true });
    // The settings persist across a reload.
    await page.reload();
    await page.waitForFunction(() => document.querySelector('[data-testid=accept-suggestions]')?.textContent?.includes('Mark all 3 suggested'), undefined, { timeout: 30_000 });
    expect(await page.getByTestId('pairs-are-duplicates').isChecked()).toBe(true);
  });

  it('protects a folder: nothing in it is suggested or deleted, until it is unprotected', async () => {
    const before = await suggestedCount();
    expect(before).toBeGreaterThan(0);
    await page.getByTestId('protected-folder-input').fill(library);
    await page.getByTestId('add-protected-folder').click();
    await page.waitForFunction(() => document.querySelector('[data-testid=accept-suggestions]')?.textContent?.includes('Mark all 0 suggested'));
    await page.locator('[data-testid=group-card]').first().click();
    expect((await page.locator('.member').allTextContents()).join('\n')).toContain('Protected');
    expect(await page.getByTestId('mark-delete').isDisabled()).toBe(true);
    await page.keyboard.press('Escape');
    await page.screenshot({ path: join(SHOTS, 'formats-3-protected-folder.png'), fullPage: true });
    await page.getByRole('button', { name: `Stop protecting ${library}` }).click();
    await page.waitForFunction((n) => document.querySelector('[data-testid=accept-suggestions]')?.textContent?.includes(`Mark all ${n} suggested`), before);
  });
});

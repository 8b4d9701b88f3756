// The suggested keeper is the original, as a new user meets it in Debian's Chromium against
// `doppel serve`: a camera photo among the copies apps make of it (a bordered copy with more
// pixels, a PNG conversion many times its bytes, a noisy copy, a small export that kept the
// EXIF) is the one kept, with its reason in words; two copies nothing tells apart say "no clear
// original". Screenshots at 900×700, light and dark.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCH_ORIGINALS, tempDir } from '../test/helpers';
import { withGaussianNoise } from '../test/noisy-copy';
import { chromiumFor, openHost, type ServeProcess, SHOTS } from './browser';

const chromiumPath = chromiumFor('e2e/keeper-original.test.ts');

const library = tempDir('doppel-original-lib-');
const CAMERA = join(library, 'camera-roll');
const SHARED = join(library, 'shared-with-family-and-edited-copies-from-the-phone-app');
let host: ServeProcess;
let context: BrowserContext;
let page: Page;

const keeperLine = (photo: string) => page.getByTestId('group-card').filter({ hasText: photo }).locator('.keeper-line').textContent();

describe.skipIf(!chromiumPath)('the suggested keeper is the original', () => {
  beforeAll(async () => {
    for (const folder of [CAMERA, SHARED]) mkdirSync(folder);
    const pool = join(BENCH_ORIGINALS, 'kpa_pool.jpg'); // a camera JPEG with its EXIF
    copyFileSync(pool, join(CAMERA, 'pool.jpg'));
    await sharp(pool).extend({ top: 40, bottom: 40, left: 40, right: 40, background: '#ffffff' }).jpeg({ quality: 95 }).toFile(join(SHARED, 'pool-with-a-white-border.jpg'));
    await sharp(pool).png().toFile(join(SHARED, 'pool.png'));
    writeFileSync(join(SHARED, 'pool-noisy.jpg'), await withGaussianNoise(pool, 10));
    await sharp(pool).resize({ width: 400 }).keepExif().jpeg({ quality: 85 }).toFile(join(SHARED, 'pool-export-small.jpg'));
    // A photo without EXIF and a colour edit of it: nothing says which came first.
    const garden = await sharp(join(BENCH_ORIGINALS, 'mate_Garden.jpg')).resize({ width: 800 }).jpeg({ quality: 90 }).toBuffer();
    await sharp(garden).toFile(join(CAMERA, 'garden.jpg'));
    await sharp(garden).modulate({ saturation: 1.3, hue: 8 }).jpeg({ quality: 90 }).toFile(join(SHARED, 'garden-warmer.jpg'));

    ({ host, context, page } = await openHost(chromiumPath!, 'original', [library]));
    await page.waitForFunction(() => document.querySelectorAll('[data-testid=group-card]').length === 2, undefined, { timeout: 90_000 });
  }, 150_000);

  afterAll(async () => {
    await context?.close();
    await host?.stop();
  });

  it('keeps the camera photo over a bordered copy, a PNG conversion, a noisy copy and a small export, and says why', async () => {
    const line = await keeperLine('pool');
    expect(line).toMatch(/^Keep pool\.jpg — /);
    expect(line).not.toMatch(/no clear original/);
    await page.getByTestId('group-card').filter({ hasText: 'pool' }).click();
    const members = page.getByTestId('member');
    await members.first().waitFor();
    expect(await members.count()).toBe(5);
    const keeper = members.filter({ hasText: 'Keep' }).first();
    expect(await keeper.textContent()).toContain('camera-roll');
    expect(await keeper.textContent()).toMatch(/Why: /);
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await page.screenshot({ path: join(SHOTS, `keeper-original-group-${colorScheme}.png`), fullPage: true });
    }
    await page.emulateMedia({ colorScheme: 'light' });
    await page.keyboard.press('Escape');
  });

  it('says "no clear original" when nothing tells two copies apart', async () => {
    await page.getByTestId('group-card').first().waitFor();
    expect(await keeperLine('garden')).toMatch(/— no clear original; /);
    await page.screenshot({ path: join(SHOTS, 'keeper-original-overview.png'), fullPage: true });
  });
});

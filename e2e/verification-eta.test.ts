// The verification stage's time left in Debian's Chromium against `doppel serve`: a library of
// crops that no hash matches gives the verifier more than one batch of pairs, and once a batch
// has been verified the progress line says how long the rest will take.
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCH_ORIGINALS, tempDir } from '../test/helpers';
import { chromiumFor, freePort, launchBrowser, serve, type ServeProcess, SHOTS } from './browser';

const chromiumPath = chromiumFor('e2e/verification-eta.test.ts');

const library = tempDir('doppel-verify-eta-lib-');
let host: ServeProcess;
let context: BrowserContext;
let page: Page;

/** Each bench photo with three crops at different places: pairs only the verifier can confirm. */
async function cropsOfEveryPhoto(): Promise<void> {
  const photos = readdirSync(BENCH_ORIGINALS).filter((name) => name.endsWith('.jpg'));
  for (const name of photos) {
    const source = join(BENCH_ORIGINALS, name);
    const { width, height } = await sharp(source).metadata();
    const [w, h] = [width!, height!];
    const stem = `${name.replace(/\.jpg$/, '')}-a-long-name-for-an-exported-holiday-photo`;
    await sharp(source).jpeg({ quality: 95 }).toFile(join(library, `${stem}.jpg`));
    for (const [k, [left, top]] of [[0.1, 0.04], [0.02, 0.12], [0.13, 0.1]].entries()) {
      await sharp(source).extract({ left: Math.round(w * left!), top: Math.round(h * top!), width: Math.round(w * 0.85), height: Math.round(h * 0.85) }).jpeg({ quality: 90 }).toFile(join(library, `${stem}-crop-${k}.jpg`));
    }
  }
}

describe.skipIf(!chromiumPath)('verification progress', () => {
  beforeAll(async () => {
    await cropsOfEveryPhoto();
    host = await serve(await freePort(), tempDir('doppel-verify-eta-data-'), [library]);
    context = await launchBrowser(chromiumPath!, tempDir('doppel-verify-eta-profile-'));
    page = await context.newPage();
    await page.setViewportSize({ width: 900, height: 700 });
    await page.goto(host.url);
  }, 120_000);

  afterAll(async () => {
    await context?.close();
    await host?.stop();
  });

  it('says how long comparing the possible edits will take once pairs are being verified', async () => {
    await page.getByTestId('verifying').waitFor({ timeout: 90_000 });
    expect(await page.getByTestId('verifying').textContent()).toMatch(/comparing \d+ possible edits?$/);
    await page.waitForFunction(() => /comparing \d+ possible edits? · about \d+ (s|min) left/.test(document.querySelector('[data-testid=verifying]')?.textContent ?? ''), undefined, { timeout: 120_000, polling: 100 });
    for (const colorScheme of ['light', 'dark'] as const) {
      await page.emulateMedia({ colorScheme });
      await page.screenshot({ path: join(SHOTS, `verification-eta-${colorScheme}.png`) });
    }
  }, 240_000);
});

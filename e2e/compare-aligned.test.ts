// The compare view's overlay and difference, aligned with the verifier's transform, in Debian's
// Chromium against `doppel serve`: a bordered copy and a crop of the kept original show a dark
// difference where the photo is the same (not the rainbow of two frames laid corner to corner),
// the keeper area a crop does not cover is hatched grey, the overlay moves the candidate onto the
// keeper, and a caption says how it was aligned.
import { copyFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BENCH_ORIGINALS, tempDir } from '../test/helpers';
import { chromiumFor, freePort, launchBrowser, serve, type ServeProcess, SHOTS } from './browser';

const chromiumPath = chromiumFor('e2e/compare-aligned.test.ts');

const SOURCE = join(BENCH_ORIGINALS, 'kpa_pool.jpg');
const BORDER = 40;
/** A rectangle of the original in fractions of its size: [left, top, right, bottom]. */
type Box = [number, number, number, number];
const CROP: Box = [0.1, 0.04, 0.95, 0.89];

const library = tempDir('doppel-aligned-lib-');
let host: ServeProcess;
let context: BrowserContext;
let page: Page;
let size: { width: number; height: number };

const card = (name: string) => page.locator('[data-testid=member]').filter({ has: page.locator('strong', { hasText: new RegExp(`^${name.replace('.', '\\.')}$`) }) });
const keeperName = () => page.locator('[data-testid=member]').filter({ has: page.locator('.badge', { hasText: /^Keep$/ }) }).locator('strong').textContent();

/** Mean of |a − b| × 4 (the view's amplification) over `box` when b is simply stretched over
 *  a's frame: what the difference showed before it was aligned. */
async function unalignedMean(candidate: string, box: Box): Promise<number> {
  const a = await sharp(SOURCE).removeAlpha().raw().toBuffer();
  const b = await sharp(join(library, candidate)).resize(size.width, size.height, { fit: 'fill' }).removeAlpha().raw().toBuffer();
  let sum = 0;
  let count = 0;
  for (let y = Math.round(box[1] * size.height); y < Math.round(box[3] * size.height); y++) {
    for (let x = Math.round(box[0] * size.width); x < Math.round(box[2] * size.width); x++) {
      for (let c = 0; c < 3; c++) sum += Math.min(255, 4 * Math.abs(a[3 * (y * size.width + x) + c]! - b[3 * (y * size.width + x) + c]!));
      count += 3;
    }
  }
  return sum / count;
}

/** The difference canvas over `box` (fractions of the keeper's frame): the mean of its RGB
 *  values, and the share of its pixels that are neutral grey (r = g = b, not black). */
function canvasStats(box: Box): Promise<{ mean: number; grey: number; width: number }> {
  return page.locator('[data-testid=compare-view] canvas').evaluate((canvas: HTMLCanvasElement, [l, t, r, b]) => {
    const [x0, y0] = [Math.round(l * canvas.width), Math.round(t * canvas.height)];
    const data = canvas.getContext('2d')!.getImageData(x0, y0, Math.round(r * canvas.width) - x0, Math.round(b * canvas.height) - y0).data;
    let sum = 0;
    let grey = 0;
    for (let i = 0; i < data.length; i += 4) {
      sum += data[i]! + data[i + 1]! + data[i + 2]!;
      if (data[i] === data[i + 1] && data[i] === data[i + 2] && data[i]! >= 40) grey++;
    }
    return { mean: sum / ((data.length / 4) * 3), grey: grey / (data.length / 4), width: canvas.width };
  }, box);
}

async function shot(name: string, dark = false): Promise<void> {
  await page.getByTestId('compare-view').scrollIntoViewIfNeeded();
  if (dark) await page.emulateMedia({ colorScheme: 'dark' });
  await page.screenshot({ path: join(SHOTS, `compare-aligned-${name}.png`) });
  if (dark) await page.emulateMedia({ colorScheme: 'light' });
}

async function showCandidate(name: string): Promise<void> {
  await card(name).click();
  await expect.poll(() => page.getByTestId('candidate-caption').textContent()).toContain(name);
}

describe.skipIf(!chromiumPath)('aligned overlay and difference', () => {
  beforeAll(async () => {
    const { width, height } = await sharp(SOURCE).metadata();
    size = { width: width!, height: height! };
    copyFileSync(SOURCE, join(library, 'pool.jpg'));
    await sharp(SOURCE).extend({ top: BORDER, bottom: BORDER, left: BORDER, right: BORDER, background: '#ffffff' }).jpeg({ quality: 92 }).toFile(join(library, 'pool-bordered.jpg'));
    const [left, top] = [Math.round(CROP[0] * size.width), Math.round(CROP[1] * size.height)];
    await sharp(SOURCE)
      .extract({ left, top, width: Math.round((CROP[2] - CROP[0]) * size.width), height: Math.round((CROP[3] - CROP[1]) * size.height) })
      .jpeg({ quality: 92 })
      .toFile(join(library, 'pool-crop.jpg'));
    await sharp(SOURCE).flop().resize({ width: Math.round(size.width / 2) }).jpeg({ quality: 90 }).toFile(join(library, 'pool-mirrored-half.jpg'));
    // Turned 3° clockwise, then cropped to the rectangle inside the turned frame.
    const turned = await sharp(SOURCE).rotate(3, { background: '#000' }).toBuffer({ resolveWithObject: true });
    const inset = Math.ceil(size.width * Math.sin((3 * Math.PI) / 180)) + 2;
    await sharp(turned.data)
      .extract({ left: inset, top: inset, width: turned.info.width - 2 * inset, height: turned.info.height - 2 * inset })
      .jpeg({ quality: 90 })
      .toFile(join(library, 'pool-turned.jpg'));
    host = await serve(await freePort(), tempDir('doppel-aligned-data-'), [library]);
    context = await launchBrowser(chromiumPath!, tempDir('doppel-aligned-profile-'));
    page = await context.newPage();
    await page.goto(host.url);
    // The crop joins once main's verifier has confirmed it.
    await page.locator('[data-testid=group-card][data-group-size="5"]').waitFor({ timeout: 120_000 });
    await page.locator('[data-testid=group-card][data-group-size="5"]').click();
    await page.getByTestId('compare-view').waitFor();
    if ((await keeperName()) !== 'pool.jpg') {
      await card('pool.jpg').click();
      await page.getByTestId('keep-instead').click();
      await expect.poll(() => keeperName()).toBe('pool.jpg');
    }
  }, 180_000);

  afterAll(async () => {
    await context?.close();
    await host?.stop();
  });

  it('a bordered copy: the difference is dark over the whole photo, the caption gives the border as an offset', async () => {
    await showCandidate('pool-bordered.jpg');
    // Side by side needs no alignment, and says none.
    expect(await page.getByTestId('compare-alignment').count()).toBe(0);
    await page.getByLabel('Difference').check();
    await expect.poll(() => page.getByTestId('compare-alignment').textContent(), { timeout: 60_000 }).toMatch(/^aligned: /);
    const [x, y] = (await page.getByTestId('compare-alignment').textContent())!.match(/offset (-?\d+), (-?\d+) px/)!.slice(1).map(Number);
    expect(Math.abs(x! + BORDER)).toBeLessThanOrEqual(2);
    expect(Math.abs(y! + BORDER)).toBeLessThanOrEqual(2);
    const whole: Box = [0.02, 0.02, 0.98, 0.98];
    const before = await unalignedMean('pool-bordered.jpg', whole);
    await expect.poll(async () => (await canvasStats(whole)).mean, { timeout: 20_000 }).toBeLessThan(Math.min(25, before / 3));
    expect((await canvasStats(whole)).width).toBe(size.width);
    await shot('border-difference-1280');
    await page.setViewportSize({ width: 900, height: 700 });
    await shot('border-difference-900');
    await page.getByLabel('Overlay').check();
    await shot('border-overlay-900');
    await page.setViewportSize({ width: 1280, height: 820 });
    await shot('border-overlay-1280');
    // The candidate sits larger than the keeper's box by its border, moved up and left.
    const moved = await page.locator('[data-testid=compare-view] img.overlay').evaluate((img) => img.style.transform);
    expect(moved).toMatch(/^translate\(-\d/);
  });

  it('a crop: dark where it covers the keeper, hatched grey where it does not; the overlay lines it up', async () => {
    await page.getByLabel('Side by side').check();
    await showCandidate('pool-crop.jpg');
    await page.getByLabel('Difference').check();
    await expect.poll(() => page.getByTestId('compare-alignment').textContent(), { timeout: 60_000 }).toMatch(/^aligned: offset \d+, \d+ px$/);
    const inside: Box = [CROP[0] + 0.02, CROP[1] + 0.02, CROP[2] - 0.02, CROP[3] - 0.02];
    const before = await unalignedMean('pool-crop.jpg', inside);
    await expect.poll(async () => (await canvasStats(inside)).mean, { timeout: 20_000 }).toBeLessThan(Math.min(25, before / 3));
    // Left of the crop and below it: keeper the crop never had.
    for (const outside of [[0, 0.1, CROP[0] - 0.02, 0.9], [0.1, CROP[3] + 0.02, 0.9, 1]] as Box[]) expect((await canvasStats(outside)).grey).toBeGreaterThan(0.95);
    await shot('crop-difference-1280');
    await shot('crop-difference-1280-dark', true);
    await page.setViewportSize({ width: 900, height: 700 });
    await shot('crop-difference-900');
    await page.getByLabel('Overlay').check();
    await shot('crop-overlay-900');
    await page.setViewportSize({ width: 1280, height: 820 });
    await shot('crop-overlay-1280');
    // The overlay's candidate is moved by the crop's offset (percentages of the keeper's box).
    const moved = (await page.locator('[data-testid=compare-view] img.overlay').evaluate((img) => img.style.transform))!;
    const [dx, dy] = moved.match(/^translate\(([\d.]+)%, ([\d.]+)%\)/)!.slice(1).map(Number);
    expect(Math.abs(dx! - CROP[0] * 100)).toBeLessThan(1);
    expect(Math.abs(dy! - CROP[1] * 100)).toBeLessThan(1);
  });

  it('a mirrored copy at half size reads "scaled 0.50, mirrored", and its difference is dark too', async () => {
    await page.getByLabel('Side by side').check();
    await showCandidate('pool-mirrored-half.jpg');
    await page.getByLabel('Difference').check();
    await expect.poll(() => page.getByTestId('compare-alignment').textContent(), { timeout: 60_000 }).toBe('aligned: scaled 0.50, mirrored');
    const whole: Box = [0.02, 0.02, 0.98, 0.98];
    const before = await unalignedMean('pool-mirrored-half.jpg', whole);
    await expect.poll(async () => (await canvasStats(whole)).mean, { timeout: 20_000 }).toBeLessThan(Math.min(30, before / 3));
    await shot('mirrored-difference-1280');
  });

  it('a copy turned 3° clockwise reads "rotated 3°", turned back in the overlay and dark in the difference', async () => {
    await page.getByLabel('Side by side').check();
    await showCandidate('pool-turned.jpg');
    await page.getByLabel('Difference').check();
    await expect.poll(() => page.getByTestId('compare-alignment').textContent(), { timeout: 60_000 }).toMatch(/^aligned: (scaled 0\.9\d, )?rotated 3°$/);
    const centre: Box = [0.2, 0.2, 0.8, 0.8];
    const before = await unalignedMean('pool-turned.jpg', centre);
    await expect.poll(async () => (await canvasStats(centre)).mean, { timeout: 20_000 }).toBeLessThan(Math.min(30, before / 3));
    await shot('turned-difference-1280');
    await page.getByLabel('Overlay').check();
    // Drawn turned back: anticlockwise on screen, a negative angle in the CSS matrix's b.
    const matrix = (await page.locator('[data-testid=compare-view] img.overlay').evaluate((img) => img.style.transform))!.match(/matrix\(([^)]*)\)/)![1]!.split(',').map(Number);
    expect(Math.atan2(matrix[1]!, matrix[0]!) * (180 / Math.PI)).toBeLessThan(-1);
    await shot('turned-overlay-1280');
  });
});

// Pixel evidence (src-core/hash/image-evidence.ts) on copies of a real photo made with sharp and
// read through the real product decode: each edit must move its measure the right way. Lives in
// src-main because it needs sharp (src-core imports none, not even in tests).
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { BENCH_ORIGINALS } from '../../test/helpers';
import { withGaussianNoise } from '../../test/noisy-copy';
import { imageEvidence, type PixelEvidence } from '../../src-core/hash/image-evidence';
import { decodeImage } from './decode';

const PHOTO = join(BENCH_ORIGINALS, 'kpa_pool.jpg'); // 800×600 colour: squashed to 384×384 by the decode

async function evidenceOf(bytes: Buffer): Promise<PixelEvidence> {
  return imageEvidence((await decodeImage(bytes, 'product')).pixels);
}

describe('imageEvidence on the product decode', () => {
  let photo: Buffer;
  let original: PixelEvidence;
  beforeAll(async () => {
    photo = readFileSync(PHOTO);
    original = await evidenceOf(photo);
  });

  it('sees the colour photo as colour, its whole frame as content', () => {
    expect(original.grey).toBe(false);
    expect(original.content).toEqual([0, 0, 1, 1]);
  });

  it('calls a black-and-white copy grey, whether saved with one channel or three (JPEG chroma noise)', async () => {
    const oneChannel = await sharp(photo).greyscale().jpeg({ quality: 90 }).toBuffer();
    const threeChannels = await sharp(photo).greyscale().toColourspace('srgb').jpeg({ quality: 90 }).toBuffer();
    expect((await decodeImage(threeChannels, 'product')).pixels.channels).toBe(3);
    expect((await evidenceOf(oneChannel)).grey).toBe(true);
    expect((await evidenceOf(threeChannels)).grey).toBe(true);
    // A faintly tinted photo (sepia) is not grey.
    const sepia = await sharp(photo).tint({ r: 170, g: 120, b: 60 }).jpeg({ quality: 90 }).toBuffer();
    expect((await evidenceOf(sepia)).grey).toBe(false);
  });

  it('colour that follows brightness is no colour, nor is noise: a toned, warmed or noisy grey copy has little chroma, the photo plenty', async () => {
    const grey = await evidenceOf(await sharp(photo).greyscale().jpeg({ quality: 90 }).toBuffer());
    const noisyGrey = await evidenceOf(await withGaussianNoise(await sharp(photo).greyscale().toColourspace('srgb').png().toBuffer(), 10));
    const brightWarm = await evidenceOf(await sharp(await sharp(photo).greyscale().toColourspace('srgb').png().toBuffer()).modulate({ brightness: 1.2 }).linear([1.1, 1, 0.85], [0, 0, 0]).jpeg({ quality: 95 }).toBuffer());
    expect(original.chroma).toBeGreaterThan(4 * Math.max(noisyGrey.chroma!, brightWarm.chroma!));
    const sepia = await evidenceOf(await sharp(photo).greyscale().tint({ r: 170, g: 120, b: 60 }).jpeg({ quality: 90 }).toBuffer());
    const greyRgb = await sharp(photo).greyscale().toColourspace('srgb').png().toBuffer();
    const warmed = await evidenceOf(await sharp(greyRgb).linear([1.15, 1, 0.85], [0, 0, 0]).jpeg({ quality: 90 }).toBuffer());
    expect(original.chroma).toBeGreaterThan(4 * Math.max(grey.chroma!, sepia.chroma!, warmed.chroma!));
  });

  it('sharpness over contrast² stays put when a copy\'s contrast is pushed, and drops when it is blurred', async () => {
    const detail = (e: PixelEvidence) => e.sharpness / e.contrast! ** 2;
    const contrasty = await evidenceOf(await sharp(photo).linear(1.3, -38.4).jpeg({ quality: 90 }).toBuffer());
    const blurred = await evidenceOf(await sharp(photo).blur(2).jpeg({ quality: 90 }).toBuffer());
    expect(contrasty.sharpness).toBeGreaterThan(original.sharpness * 1.3);
    expect(detail(contrasty) / detail(original)).toBeGreaterThan(0.85);
    expect(detail(contrasty) / detail(original)).toBeLessThan(1.2);
    expect(detail(blurred)).toBeLessThan(detail(original) / 1.5);
  });

  it('measures more noise on a noisy copy, less on a smoothed one', async () => {
    const noisy = await evidenceOf(await withGaussianNoise(photo, 12));
    const smoothed = await evidenceOf(await sharp(photo).median(5).jpeg({ quality: 95 }).toBuffer());
    expect(noisy.noise).toBeGreaterThan(original.noise * 1.5);
    expect(smoothed.noise).toBeLessThan(original.noise);
  });

  it('measures less sharpness on a blurred copy', async () => {
    const blurred = await evidenceOf(await sharp(photo).blur(2).jpeg({ quality: 95 }).toBuffer());
    expect(blurred.sharpness).toBeLessThan(original.sharpness / 2);
  });

  it('measures more clipping on a brightness-pushed copy', async () => {
    const pushed = await evidenceOf(await sharp(photo).linear(1.8, 0).jpeg({ quality: 95 }).toBuffer());
    expect(pushed.clipped).toBeGreaterThan(original.clipped + 0.05);
  });

  it('finds the photo inside a border and measures it there', async () => {
    const meta = await sharp(photo).metadata();
    const [left, top, right, bottom] = [80, 40, 120, 60];
    const bordered = await sharp(photo).extend({ left, top, right, bottom, background: '#ffffff' }).jpeg({ quality: 95 }).toBuffer();
    const evidence = await evidenceOf(bordered);
    const width = meta.width! + left + right;
    const height = meta.height! + top + bottom;
    const expected = [left / width, top / height, meta.width! / width, meta.height! / height];
    // The decode squashes to 384 px: a bar edge lands within a pixel or two of it.
    evidence.content.forEach((value, k) => expect(Math.abs(value - expected[k]!)).toBeLessThan(3 / 384));
    // White bars are all "clipped" pixels, and their edge a sharp step: measured only inside them,
    // the photo keeps its own clipping and (at a slightly smaller scale) its own sharpness.
    expect(Math.abs(evidence.clipped - original.clipped)).toBeLessThan(0.01);
    expect(evidence.sharpness).toBeLessThan(original.sharpness * 1.3);
    expect(evidence.grey).toBe(false);
  });

  it('treats a letterboxed copy the same way', async () => {
    const meta = await sharp(photo).metadata();
    const bar = 150;
    const letterboxed = await sharp(photo).extend({ top: bar, bottom: bar, background: '#000000' }).jpeg({ quality: 95 }).toBuffer();
    const evidence = await evidenceOf(letterboxed);
    const height = meta.height! + 2 * bar;
    expect(evidence.content[0]).toBe(0);
    expect(evidence.content[2]).toBe(1);
    expect(Math.abs(evidence.content[1] - bar / height)).toBeLessThan(3 / 384);
    expect(Math.abs(evidence.content[3] - meta.height! / height)).toBeLessThan(3 / 384);
  });

  it('runs in well under the time of a decode (≤ 384×384 pixels)', async () => {
    const pixels = (await decodeImage(photo, 'product')).pixels;
    for (let k = 0; k < 20; k++) imageEvidence(pixels); // warm up the JIT
    const runs = 100;
    const start = performance.now();
    for (let k = 0; k < runs; k++) imageEvidence(pixels);
    const perImage = (performance.now() - start) / runs;
    console.log(`imageEvidence: ${perImage.toFixed(2)} ms per ${pixels.width}×${pixels.height} image`);
    // Only catches a pathological slowdown: the machine is shared, the printed time is the measure.
    expect(perImage).toBeLessThan(100);
  });
});

// jpegQuality (src-core/hash/jpeg-quality.ts) on JPEGs sharp writes at known qualities: libjpeg's
// own scaling, so the quality must come back exactly. Lives in src-main because it needs sharp.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { BENCH_ORIGINALS } from '../../test/helpers';
import { jpegQuality } from '../../src-core/hash/jpeg-quality';

describe('jpegQuality of sharp-written JPEGs', () => {
  let photo: Buffer;
  beforeAll(async () => {
    photo = await sharp(readFileSync(join(BENCH_ORIGINALS, 'kpa_pool.jpg'))).resize(200).toBuffer();
  });

  it.each([10, 30, 60, 75, 90, 95, 100])('reads back quality %i', async (quality) => {
    expect(jpegQuality(await sharp(photo).jpeg({ quality }).toBuffer())).toBe(quality);
  });

  it('reads a progressive JPEG and a greyscale one', async () => {
    expect(jpegQuality(await sharp(photo).jpeg({ quality: 82, progressive: true }).toBuffer())).toBe(82);
    expect(jpegQuality(await sharp(photo).greyscale().jpeg({ quality: 67 }).toBuffer())).toBe(67);
  });

  it('reads a truncated file whose headers survive, not one cut before its tables', async () => {
    const bytes = await sharp(photo).jpeg({ quality: 88 }).toBuffer();
    expect(jpegQuality(bytes.subarray(0, bytes.length >> 1))).toBe(88);
    expect(jpegQuality(bytes.subarray(0, 30))).toBeUndefined();
  });

  it('is undefined for a PNG or a WebP', async () => {
    expect(jpegQuality(await sharp(photo).png().toBuffer())).toBeUndefined();
    expect(jpegQuality(await sharp(photo).webp({ quality: 80 }).toBuffer())).toBeUndefined();
  });

  it('gives a camera JPEG (its own tables) the nearest IJG quality', () => {
    const quality = jpegQuality(readFileSync(join(BENCH_ORIGINALS, 'kpa_pool.jpg')));
    expect(quality).toBeGreaterThanOrEqual(1);
    expect(quality).toBeLessThanOrEqual(100);
  });
});

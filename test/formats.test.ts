// Product mode reads every format sharp's libvips reads, with the same fingerprint
// (within re-encoding noise) as the source photo, and says when only the first frame counts.
import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Fingerprint } from '../src-core/fingerprint';
import { hammingHex } from '../src-core/hash/hamming';
import { fingerprintFile } from '../src-main/hash/fingerprint-file';
import { BENCH_ORIGINALS, tempDir } from './helpers';

const dir = tempDir();
const SOURCE = join(BENCH_ORIGINALS, 'skimage_astronaut.jpg');
let original: Fingerprint;

beforeAll(async () => {
  original = await fingerprintFile(SOURCE, 'product');
});

const LOSSLESS: Array<[string, (s: Sharp) => Sharp]> = [
  ['png', (s) => s.png()],
  ['16-bit.png', (s) => s.toColourspace('rgb16').png()],
  ['webp', (s) => s.webp({ lossless: true })],
  ['tiff', (s) => s.tiff({ compression: 'lzw' })],
];
const LOSSY: Array<[string, (s: Sharp) => Sharp]> = [
  ['avif', (s) => s.avif({ quality: 80 })],
  ['gif', (s) => s.gif()],
  ['cmyk.jpg', (s) => s.toColourspace('cmyk').jpeg({ quality: 95 })],
];

describe('formats in product mode', () => {
  it.each(LOSSLESS)('%s: same pixels, PDQ within 4 bits of the JPEG', async (name, encode) => {
    const path = join(dir, `astronaut.${name}`);
    await encode(sharp(SOURCE)).toFile(path);
    const f = await fingerprintFile(path, 'product');
    expect([f.width, f.height]).toEqual([original.width, original.height]);
    expect(hammingHex(f.pdq, original.pdq)).toBeLessThanOrEqual(4);
  });

  it.each(LOSSY)('%s: PDQ within 16 bits of the JPEG', async (name, encode) => {
    const path = join(dir, `astronaut.${name}`);
    await encode(sharp(SOURCE)).toFile(path);
    const f = await fingerprintFile(path, 'product');
    expect(hammingHex(f.pdq, original.pdq)).toBeLessThanOrEqual(16);
  });

  it('animated GIF: the first frame is hashed and the frame count reported', async () => {
    const frame = await sharp(SOURCE).resize(128, 128).raw().toBuffer();
    const black = Buffer.alloc(frame.length);
    const path = join(dir, 'animated.gif');
    // A two-page strip (photo, then black) becomes a two-frame animation.
    await sharp(Buffer.concat([frame, black]), { raw: { width: 128, height: 256, channels: 3, pageHeight: 128 } }).gif().toFile(path);
    const f = await fingerprintFile(path, 'product');
    expect(f.pages).toBe(2);
    expect([f.width, f.height]).toEqual([128, 128]);
    expect(f.pdqQuality).toBeGreaterThan(50); // the photo, not the black frame
  });

  // HEVC-coded HEIC, as phones write it, made here with Debian's heif-enc (libheif-examples).
  const heifEnc = spawnSync('which', ['heif-enc']).status === 0;
  if (!heifEnc) console.warn('formats.test.ts: HEIC tests skipped: heif-enc not found (apt-get install -y libheif-examples)');

  it.skipIf(!heifEnc)('HEIC (HEVC): decoded through libheif, PDQ within 16 bits of the JPEG', async () => {
    const path = join(dir, 'astronaut.heic');
    execFileSync('heif-enc', ['-q', '70', SOURCE, '-o', path], { stdio: 'ignore' });
    const f = await fingerprintFile(path, 'product');
    expect(f.format).toBe('heif');
    expect([f.width, f.height]).toEqual([original.width, original.height]);
    expect(hammingHex(f.pdq, original.pdq)).toBeLessThanOrEqual(16);
    // A truncated copy is reported, not hashed.
    const truncated = join(dir, 'truncated.heic');
    const bytes = readFileSync(path);
    writeFileSync(truncated, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    await expect(fingerprintFile(truncated, 'product')).rejects.toMatchObject({ kind: expect.stringMatching(/corrupt|truncated/) });
  });
});

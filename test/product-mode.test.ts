// Product mode (shrink-on-load, EXIF orientation applied) stays close to the reference hash
// and is invariant to how the orientation is stored.
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Fingerprint } from '../src-core/fingerprint';
import { hammingHex } from '../src-core/hash/hamming';
import { pdqHash, referenceSquash512 } from '../src-core/hash/pdq';
import { pdqHashFast } from '../src-core/hash/pdq-fast';
import { hasImageExtension } from '../src-core/image-extensions';
import { decodeImage } from '../src-main/hash/decode';
import { fingerprintFile } from '../src-main/hash/fingerprint-file';
import { BENCH_ORIGINALS, loadExpected, parseJsonLines, REFERENCE_IMAGES, runCli, tempDir } from './helpers';

const expected = loadExpected();
const dir = tempDir();

/** Real photographs in the reference set: not the synthetic images, not the line-art logo,
 *  not the 1-bit bilevel copy, and not the CMYK copy (colour conversion differs by design). */
const NOT_PHOTOS = new Set(['imagehash/imagehash.png', 'threatexchange/misc-images/modes/1.png', 'threatexchange/misc-images/modes/CMYK.jpg']);
const photos = Object.entries(expected)
  .filter(([k, v]) => !k.startsWith('generated/') && !NOT_PHOTOS.has(k) && v.pdq.quality >= 50 && !((v.exif_orientation ?? 1) > 1))
  .map(([k]) => k);

let product = new Map<string, Fingerprint>();
beforeAll(async () => {
  const run = await runCli(['hash', '--json', REFERENCE_IMAGES]);
  product = new Map(parseJsonLines<Fingerprint>(run.stdout).map((f) => [f.path.slice(REFERENCE_IMAGES.length + 1), f]));
}, 120_000);

describe('product mode vs the reference', () => {
  it('covers the real photos of the reference set', () => {
    expect(photos.length).toBeGreaterThanOrEqual(18);
  });

  it('PDQ is within 8 bits of the reference on every real photo, median ≤ 4', () => {
    expectCloseToReference(photos.map((k) => [k, hammingHex(product.get(k)!.pdq, expected[k]!.pdq.hash)]));
  });

  it('PDQ is within 8 bits of the reference on every benchmark photo of reference quality ≥ 50', async () => {
    // The reference hash here is reference mode's, bit-exact with the C++ (reference-hashes.test.ts).
    const names = readdirSync(BENCH_ORIGINALS).filter(hasImageExtension);
    const run = await runCli(['hash', '--json', '--no-embedding', BENCH_ORIGINALS]);
    const reference = await runCli(['hash', '--json', '--reference', BENCH_ORIGINALS]);
    const pdqOf = (stdout: string) => new Map(parseJsonLines<Fingerprint>(stdout).map((f) => [basename(f.path), f]));
    const [productPdq, referencePdq] = [pdqOf(run.stdout), pdqOf(reference.stdout)];
    const scored = names.filter((n) => referencePdq.get(n)!.pdqQuality >= 50 && !((referencePdq.get(n)!.exif.orientation ?? 1) > 1));
    expect(scored.length).toBeGreaterThanOrEqual(25);
    expectCloseToReference(scored.map((n) => [n, hammingHex(productPdq.get(n)!.pdq, referencePdq.get(n)!.pdq)]));
  }, 120_000);
});

function expectCloseToReference(distances: Array<[string, number]>): void {
  for (const [name, d] of distances) expect(d, name).toBeLessThanOrEqual(8);
  const sorted = distances.map(([, d]) => d).sort((a, b) => a - b);
  expect(sorted[Math.floor(sorted.length / 2)]).toBeLessThanOrEqual(4);
}

describe('fast PDQ of product mode', () => {
  it('equals the bit-exact float32 PDQ on the product buffers of every benchmark photo', async () => {
    const photos = readdirSync(BENCH_ORIGINALS).filter(hasImageExtension);
    expect(photos.length).toBeGreaterThanOrEqual(30);
    for (const name of photos) {
      const decoded = await decodeImage(readFileSync(join(BENCH_ORIGINALS, name)), 'product');
      for (const pixels of [decoded.pixels, referenceSquash512(decoded.pdqSource!)]) {
        const exact = pdqHash(pixels);
        const fast = pdqHashFast(pixels);
        expect(fast.hash, name).toBe(exact.hash);
        expect(fast.quality, name).toBe(exact.quality);
      }
    }
  });
});

/** Bakes the EXIF orientation into the pixels and saves them losslessly. */
async function physicallyRotated(source: string, target: string): Promise<string> {
  await sharp(source).autoOrient().png().toFile(target);
  return target;
}

/** The same JPEG bytes with an EXIF APP1 segment holding only Orientation = `orientation`. */
function withOrientationTag(jpeg: Buffer, orientation: number): Buffer {
  const tiff = Buffer.alloc(26);
  tiff.write('MM\0*', 0, 'latin1');
  tiff.writeUInt32BE(8, 4); // first IFD right after the header
  tiff.writeUInt16BE(1, 8); // one entry
  tiff.writeUInt16BE(0x0112, 10); // Orientation
  tiff.writeUInt16BE(3, 12); // SHORT
  tiff.writeUInt32BE(1, 14);
  tiff.writeUInt16BE(orientation, 18);
  tiff.writeUInt32BE(0, 22); // no next IFD
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const header = Buffer.from([0xff, 0xe1, 0, 0]);
  header.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), header, payload, jpeg.subarray(2)]);
}

describe('EXIF orientation in product mode', () => {
  it.each([1, 3, 6, 8])('orientation %i: same hash as the pixels physically rotated', async (orientation) => {
    const tagged = join(REFERENCE_IMAGES, `generated/gen-exif-orient${orientation}.jpg`);
    const baked = await physicallyRotated(tagged, join(dir, `baked-${orientation}.png`));
    const [a, b] = await Promise.all([fingerprintFile(tagged, 'product'), fingerprintFile(baked, 'product')]);
    expect(a.pdq).toBe(b.pdq);
    expect(a.pdqQuality).toBe(b.pdqQuality);
    expect([a.width, a.height]).toEqual([b.width, b.height]);
  });

  it('a large photo tagged "rotate 90°" matches its physically rotated copy', async () => {
    const original = readFileSync(join(REFERENCE_IMAGES, 'threatexchange/reg-test-input/dih/bridge-1-original.jpg'));
    const tagged = join(dir, 'bridge-tagged-6.jpg');
    writeFileSync(tagged, withOrientationTag(original, 6));
    const baked = await physicallyRotated(tagged, join(dir, 'bridge-baked-6.png'));
    const [a, b, plain] = await Promise.all([fingerprintFile(tagged, 'product'), fingerprintFile(baked, 'product'), fingerprintFile(join(REFERENCE_IMAGES, 'threatexchange/reg-test-input/dih/bridge-1-original.jpg'), 'product')]);
    expect(a.exif.orientation).toBe(6);
    expect([a.width, a.height]).toEqual([1004, 1600]);
    // JPEG shrink-on-load vs a full PNG decode differ by rounding only.
    expect(hammingHex(a.pdq, b.pdq)).toBeLessThanOrEqual(4);
    // Sanity: the rotation really changed the hash, so the check above could fail.
    expect(hammingHex(a.pdq, plain.pdq)).toBeGreaterThan(64);
  });
});

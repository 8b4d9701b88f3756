// Byte-different copies decoded once: through real worker processes and real files, a pool with
// samePixels gives every copy exactly the fingerprint decoding it on its own gives, decodes
// each same-decode key once, and still decodes a copy whose orientation or colour profile
// changes its pixels.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { forkWorkerFactory } from '../src-main/hash/fork-worker';
import { fingerprintFile } from '../src-main/hash/fingerprint-file';
import { decodeKey } from '../src-main/hash/pixel-digest';
import { WorkerPool } from '../src-main/hash/pool';
import { withComment } from './byte-copies';
import { BENCH_ORIGINALS, tempDir } from './helpers';

const dir = tempDir('doppel-same-pixels-');
const path = (name: string) => join(dir, name);
let jpeg: Buffer;

/** The same bytes with IFD0's Orientation value replaced (a big-endian or little-endian TIFF). */
function withOrientation(bytes: Buffer, orientation: number): Buffer {
  const out = Buffer.from(bytes);
  const tiff = out.indexOf('Exif\0\0', 0, 'latin1') + 6;
  const little = out.toString('latin1', tiff, tiff + 2) === 'II';
  const u16 = (at: number) => (little ? out.readUInt16LE(at) : out.readUInt16BE(at));
  const ifd = tiff + (little ? out.readUInt32LE(tiff + 4) : out.readUInt32BE(tiff + 4));
  for (let k = 0; k < u16(ifd); k++) {
    const entry = ifd + 2 + 12 * k;
    if (u16(entry) !== 0x0112) continue;
    if (little) out.writeUInt16LE(orientation, entry + 8);
    else out.writeUInt16BE(orientation, entry + 8);
    return out;
  }
  throw new Error('no Orientation tag to change');
}

/** A PNG with a tEXt chunk inserted after IHDR (CRC not checked by the key). */
function withPngText(png: Buffer, text: string): Buffer {
  const data = Buffer.from(`Comment\0${text}`, 'latin1');
  const chunk = Buffer.alloc(12 + data.length);
  chunk.writeUInt32BE(data.length, 0);
  chunk.write('tEXt', 4, 'latin1');
  data.copy(chunk, 8);
  const ihdrEnd = 8 + 12 + png.readUInt32BE(8);
  return Buffer.concat([png.subarray(0, ihdrEnd), chunk, png.subarray(ihdrEnd)]);
}

const trailer = (bytes: Buffer) => Buffer.concat([bytes, Buffer.from('bytes a backup tool appended')]);

beforeAll(async () => {
  jpeg = await sharp(join(BENCH_ORIGINALS, 'kpa_bar55.jpg')).resize(640).withMetadata({ orientation: 1 }).jpeg({ quality: 90 }).toBuffer();
  const png = await sharp(jpeg).resize(300).png().toBuffer();
  const webp = await sharp(jpeg).resize(300).webp({ quality: 80 }).toBuffer();
  const files: Record<string, Buffer> = {
    'a.jpg': jpeg,
    'a.appended.jpg': trailer(jpeg),
    'a.commented.jpg': withComment(jpeg, 'saved again'),
    'a.both.jpg': trailer(withComment(jpeg, 'and again')),
    'a.rotated.jpg': withOrientation(jpeg, 6),
    'b.png': png,
    'b.texted.png': withPngText(png, 'exported'),
    'c.webp': webp,
    'c.appended.webp': trailer(webp),
  };
  for (const [name, bytes] of Object.entries(files)) writeFileSync(path(name), bytes);
});

describe('decodeKey', () => {
  it('is the same for copies that differ in comments, text chunks and trailing bytes', () => {
    const key = (name: string) => decodeKey(readFileSync(path(name)), 1);
    expect(key('a.jpg')).toMatch(/^jpeg:1:[0-9a-f]{64}$/);
    expect(new Set(['a.jpg', 'a.appended.jpg', 'a.commented.jpg', 'a.both.jpg'].map(key)).size).toBe(1);
    expect(key('b.png')).toMatch(/^png:/);
    expect(key('b.texted.png')).toBe(key('b.png'));
    expect(key('c.webp')).toMatch(/^webp:/);
    expect(key('c.appended.webp')).toBe(key('c.webp'));
  });

  it('differs when the orientation, the colour profile or the image data differ', async () => {
    expect(decodeKey(jpeg, 6)).not.toBe(decodeKey(jpeg, 1));
    const p3 = await sharp(jpeg).withIccProfile('p3').jpeg({ quality: 90 }).toBuffer();
    const srgb = await sharp(jpeg).withIccProfile('srgb').jpeg({ quality: 90 }).toBuffer();
    expect(decodeKey(p3, 1)).not.toBe(decodeKey(srgb, 1));
    const requality = await sharp(jpeg).jpeg({ quality: 89 }).toBuffer();
    expect(decodeKey(requality, 1)).not.toBe(decodeKey(jpeg, 1));
  });

  it('is undefined for what it does not parse', () => {
    expect(decodeKey(Buffer.from('not an image at all'), 1)).toBeUndefined();
    expect(decodeKey(jpeg.subarray(0, 200), 1)).toBeUndefined();
  });
});

describe('WorkerPool with samePixels', () => {
  let pool: WorkerPool | undefined;
  afterEach(async () => {
    await pool?.close();
    pool = undefined;
  });

  it('gives each copy the fingerprint of its own decode, decoding each key once', async () => {
    pool = new WorkerPool({ createWorker: forkWorkerFactory(), size: 2 });
    const names = ['a.jpg', 'a.appended.jpg', 'a.commented.jpg', 'a.both.jpg', 'a.rotated.jpg', 'b.png', 'b.texted.png', 'c.webp', 'c.appended.webp'];
    const outcomes = await Promise.all(names.map((name) => pool!.hash(path(name), 'product', { embedding: true, samePixels: true })));
    // Three copies of a.jpg, one of b.png, one of c.webp; a.rotated.jpg is decoded (turned).
    expect(pool.stats().samePixels).toBe(5);
    for (const [k, name] of names.entries()) {
      const outcome = outcomes[k]!;
      expect(outcome.ok).toBe(true);
      expect(outcome.ok && outcome.fingerprint).toEqual(await fingerprintFile(path(name), 'product', { embedding: true }));
    }
    const [a, rotated] = [outcomes[0]!, outcomes[4]!].map((o) => (o.ok ? o.fingerprint : undefined));
    expect([rotated!.width, rotated!.height]).toEqual([a!.height, a!.width]);
    expect(new Set(outcomes.map((o) => o.ok && o.fingerprint.digest)).size).toBe(names.length);
  });

  it('decodes every file when not asked to', async () => {
    pool = new WorkerPool({ createWorker: forkWorkerFactory(), size: 2 });
    await Promise.all(['a.jpg', 'a.appended.jpg'].map((name) => pool!.hash(path(name))));
    expect(pool.stats().samePixels).toBe(0);
  });
});

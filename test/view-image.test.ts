// View images: full-size JPEGs of photos browsers cannot show (HEIC, camera RAW, TIFF), from
// real files decoded for real, and their disk cache (one render per digest, bounded size).
import { execFileSync, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { fingerprintFile } from '../src-main/hash/fingerprint-file';
import { ViewCache, viewImagePath } from '../src-main/hash/view-cache';
import { renderViewImage, VIEW_MAX_SIDE, writeViewImage } from '../src-main/hash/view-image';
import { BENCH_ORIGINALS, tempDir } from './helpers';
import { tiffRaw } from './raw-files';

const dir = tempDir('doppel-view-');
const POOL = join(BENCH_ORIGINALS, 'kpa_pool.jpg'); // 800×600
const digestOf = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
let preview: Buffer;
let thumbnail: Buffer;

beforeAll(async () => {
  preview = await sharp(POOL).jpeg({ quality: 90 }).toBuffer();
  thumbnail = await sharp(POOL).resize(160, 120).jpeg({ quality: 70 }).toBuffer();
});

/** Mean absolute difference per channel value of two images of one size. */
async function meanDifference(a: Buffer, b: Buffer): Promise<number> {
  const [x, y] = await Promise.all([a, b].map((image) => sharp(image).removeAlpha().raw().toBuffer()));
  let sum = 0;
  for (let i = 0; i < x!.length; i++) sum += Math.abs(x![i]! - y![i]!);
  return sum / x!.length;
}

async function expectJpeg(jpeg: Buffer, width: number, height: number): Promise<void> {
  const meta = await sharp(jpeg).metadata();
  expect(meta.format).toBe('jpeg');
  expect([meta.width, meta.height]).toEqual([width, height]);
}

describe('view images', () => {
  const heifEnc = spawnSync('which', ['heif-enc']).status === 0;
  if (!heifEnc) console.warn('view-image.test.ts: HEIC test skipped: heif-enc not found (apt-get install -y libheif-examples)');

  it.skipIf(!heifEnc)('HEIC (HEVC): a JPEG at the decoded size, the same picture', async () => {
    const path = join(dir, 'IMG_0007.HEIC');
    execFileSync('heif-enc', ['-q', '90', join(BENCH_ORIGINALS, 'kpa_bar55.jpg'), '-o', path], { stdio: 'ignore' });
    const fingerprint = await fingerprintFile(path, 'product');
    const view = await renderViewImage(path, fingerprint.digest);
    await expectJpeg(view.jpeg, fingerprint.width, fingerprint.height);
    expect([view.width, view.height]).toEqual([800, 600]);
    expect(await meanDifference(view.jpeg, readFileSync(join(BENCH_ORIGINALS, 'kpa_bar55.jpg')))).toBeLessThan(6);
  });

  it("RAW: the largest embedded preview, turned by the RAW's EXIF orientation", async () => {
    for (let orientation = 1; orientation <= 8; orientation++) {
      const path = join(dir, `DSC_000${orientation}.NEF`);
      writeFileSync(path, tiffRaw(thumbnail, preview, undefined, orientation));
      // The oracle: libvips turning a JPEG that carries the same orientation itself.
      const tagged = await sharp(preview).withMetadata({ orientation }).jpeg({ quality: 95 }).toBuffer();
      const expected = await sharp(tagged, { autoOrient: true }).toBuffer();
      const view = await renderViewImage(path);
      const turned = orientation >= 5;
      await expectJpeg(view.jpeg, turned ? 600 : 800, turned ? 800 : 600);
      expect(await meanDifference(view.jpeg, expected), `orientation ${orientation}`).toBeLessThan(4);
    }
    // A preview that carries its own orientation is turned by that one only, not twice.
    const selfTagged = await sharp(preview).withMetadata({ orientation: 6 }).jpeg({ quality: 90 }).toBuffer();
    const path = join(dir, 'tagged.dng');
    writeFileSync(path, tiffRaw(thumbnail, selfTagged, undefined, 6));
    await expectJpeg((await renderViewImage(path)).jpeg, 600, 800);
  });

  it('multi-page TIFF: the first page at full size, EXIF orientation applied', async () => {
    const page = await sharp(POOL).raw().toBuffer();
    const path = join(dir, 'scan.tif');
    // Page 1 the photo, page 2 black.
    await sharp(Buffer.concat([page, Buffer.alloc(page.length)]), { raw: { width: 800, height: 1200, channels: 3, pageHeight: 600 } }).tiff({ compression: 'lzw' }).toFile(path);
    expect((await sharp(path).metadata()).pages).toBe(2);
    const fingerprint = await fingerprintFile(path, 'product');
    const view = await renderViewImage(path, fingerprint.digest);
    await expectJpeg(view.jpeg, fingerprint.width, fingerprint.height);
    expect(await meanDifference(view.jpeg, readFileSync(POOL))).toBeLessThan(4);

    const rotated = join(dir, 'rotated.tif');
    await sharp(POOL).withMetadata({ orientation: 8 }).tiff().toFile(rotated);
    const turned = await renderViewImage(rotated);
    await expectJpeg(turned.jpeg, 600, 800);
    expect(await meanDifference(turned.jpeg, await sharp(POOL).rotate(270).toBuffer())).toBeLessThan(4);
  });

  it(`caps the long edge at ${VIEW_MAX_SIDE} px`, async () => {
    const path = join(dir, 'panorama.tif');
    await sharp({ create: { width: 6000, height: 400, channels: 3, background: '#468' } }).tiff().toFile(path);
    await expectJpeg((await renderViewImage(path)).jpeg, VIEW_MAX_SIDE, 273);
  });

  it('says clearly why a file has no view image', async () => {
    const text = join(dir, 'notes.tif');
    writeFileSync(text, 'not an image at all');
    await expect(renderViewImage(text)).rejects.toMatchObject({ kind: 'unsupported', message: 'not an image, or an image format Doppel cannot read' });
    const sensorOnly = join(dir, 'sensor-only.dng');
    writeFileSync(sensorOnly, tiffRaw(Buffer.from('not a jpeg'), undefined, Buffer.from([0xff, 0xd8, 0xff, 0xc3, 0, 11, 8, 0, 16, 0, 16, 1, 1, 0x11, 0, 0xff, 0xd9])));
    await expect(renderViewImage(sensorOnly)).rejects.toMatchObject({ kind: 'unsupported', message: 'camera RAW file without an embedded JPEG preview Doppel can read' });
    await expect(renderViewImage(join(dir, 'missing.heic'))).rejects.toMatchObject({ kind: 'vanished' });
    // The content changed since it was hashed: its digest's cache entry must not take it.
    const raw = join(dir, 'changed.NEF');
    writeFileSync(raw, tiffRaw(thumbnail, preview));
    await expect(renderViewImage(raw, '0'.repeat(64))).rejects.toMatchObject({ kind: 'changed' });
  });
});

describe('view image cache', () => {
  /** NEF files with distinct content, and caches that count their renders. */
  async function setUp(count: number) {
    const files = [];
    for (let i = 0; i < count; i++) {
      const path = join(dir, `cache-${count}-${i}.NEF`);
      writeFileSync(path, tiffRaw(thumbnail, await sharp(POOL).modulate({ brightness: 1 + i / 10 }).jpeg({ quality: 90 }).toBuffer()));
      files.push({ path, digest: digestOf(path) });
    }
    const cacheDir = join(tempDir('doppel-views-'), 'views');
    const renders: string[] = [];
    const cacheOf = (maxBytes?: number) =>
      new ViewCache(
        cacheDir,
        async (path, digest, output) => {
          renders.push(path);
          await writeViewImage(path, digest, output);
        },
        maxBytes,
      );
    return { cacheDir, files, renders, cacheOf };
  }

  it('renders a digest once: concurrent asks share the job, later asks hit the disk', async () => {
    const { cacheDir, files, renders, cacheOf } = await setUp(1);
    const cache = cacheOf();
    const { path, digest } = files[0]!;
    const [first, second] = await Promise.all([cache.get(digest, path), cache.get(digest, path)]);
    expect(first).toBe(viewImagePath(cacheDir, digest));
    expect(second).toBe(first);
    expect(renders).toHaveLength(1);
    const bytes = readFileSync(first);
    expect(await cache.get(digest, path)).toBe(first);
    expect(renders).toHaveLength(1);
    expect(readFileSync(first).equals(bytes)).toBe(true);
    await expectJpeg(bytes, 800, 600);
    // Only the finished file is there: it was written to a temp file and renamed.
    expect(readdirSync(cacheDir)).toEqual([`${digest}.jpg`]);
    expect(() => cache.get('../../etc/passwd', path)).toThrow(/not a SHA-256 digest/);
  });

  it('keeps its total size bounded, dropping the least recently viewed first', async () => {
    const { cacheDir, files, renders, cacheOf } = await setUp(3);
    const [a, b, c] = files as [(typeof files)[0], (typeof files)[0], (typeof files)[0]];
    const sizes = await Promise.all(files.map(async (f) => (await renderViewImage(f.path)).jpeg.length));
    // Room for a and c, not for b as well.
    const cache = cacheOf(sizes[0]! + sizes[2]! + 1);
    const stale = join(cacheDir, `${a.digest}.jpg.123.tmp`);
    await cache.get(a.digest, a.path);
    writeFileSync(stale, 'half a JPEG left by a killed worker');
    utimesSync(stale, new Date(Date.now() - 3_600_000), new Date(Date.now() - 3_600_000));
    await cache.get(b.digest, b.path);
    await new Promise((resolve) => setTimeout(resolve, 20));
    await cache.get(a.digest, a.path); // viewed again: now b is the least recent
    await cache.get(c.digest, c.path);
    expect(renders).toEqual([a.path, b.path, c.path]);
    expect(readdirSync(cacheDir).sort()).toEqual([`${a.digest}.jpg`, `${c.digest}.jpg`].sort());
  });

  it('a failed render is not cached and says why', async () => {
    const { cacheDir, renders, cacheOf } = await setUp(0);
    const cache = cacheOf();
    const text = join(dir, 'cache-notes.tif');
    writeFileSync(text, 'not an image');
    await expect(cache.get(digestOf(text), text)).rejects.toMatchObject({ kind: 'unsupported' });
    await expect(cache.get(digestOf(text), text)).rejects.toMatchObject({ kind: 'unsupported' });
    expect(renders).toHaveLength(2);
    expect(existsSync(cacheDir) ? readdirSync(cacheDir) : []).toEqual([]);
  });
});

// The verification features cache on real photos: what it returns is what a fresh detection
// finds, the data folder's copy survives a restart and is ignored (re-detected) when damaged,
// the folder stays under its bound, and pairs checked from cached features get the verdicts
// of pairs checked from scratch.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, truncateSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { checkPair } from './check-pair';
import { FeatureLru, FeatureSource } from './feature-cache';
import { encode, FeatureStore } from './feature-store';
import { detectFeatures } from './features';
import { mirrorHorizontally } from './grey-image';
import { featureBytes, extractFeatures, type ImageFeatures } from './image-features';
import { loadOpenCv } from './opencv';
import { loadGrey, verifyPair } from './verify-pair';

const ORIGINALS = resolve(fileURLToPath(new URL('../../', import.meta.url)), '../shared/bench-data/originals');
const sandbox = mkdtempSync(join(tmpdir(), 'doppel-features-'));
afterAll(() => rmSync(sandbox, { recursive: true, force: true }));

interface TestImage {
  path: string;
  digest: string;
}

/** A real file in the sandbox, named by the SHA-256 of its bytes as the app names contents. */
function image(name: string, bytes: Buffer): TestImage {
  const path = join(sandbox, name);
  writeFileSync(path, bytes);
  return { path, digest: createHash('sha256').update(bytes).digest('hex') };
}

let photos: Record<'bar' | 'barCrop' | 'barMirror' | 'donna', TestImage>;
/** Each photo's features detected from scratch, outside any cache. */
const fresh = new Map<string, ImageFeatures>();

beforeAll(async () => {
  const bar = readFileSync(join(ORIGINALS, 'kpa_bar55.jpg'));
  const { width, height } = await sharp(bar).metadata();
  photos = {
    bar: image('bar.jpg', bar),
    barCrop: image('bar-crop.jpg', await sharp(bar).extract({ left: Math.round(width! * 0.1), top: Math.round(height! * 0.05), width: Math.round(width! * 0.8), height: Math.round(height! * 0.85) }).jpeg({ quality: 88 }).toBuffer()),
    barMirror: image('bar-mirror.jpg', await sharp(bar).flop().jpeg({ quality: 88 }).toBuffer()),
    donna: image('donna.jpg', readFileSync(join(ORIGINALS, 'kpa_donna.jpg'))),
  };
  const { cv } = await loadOpenCv();
  for (const p of Object.values(photos)) fresh.set(p.digest, extractFeatures(cv, await loadGrey(p.path)));
}, 60_000);

function storeDir(name: string): string {
  const dir = join(sandbox, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

const storedFiles = (dir: string) => readdirSync(dir).filter((name) => name.endsWith('.features'));

describe('FeatureSource', () => {
  it('returns what a fresh detection finds, and detects each image once', async () => {
    const source = new FeatureSource();
    const first = await source.get(photos.bar);
    expect(first).toEqual(fresh.get(photos.bar.digest));
    expect(first.direct.points.length).toBeGreaterThan(100);
    expect(await source.get(photos.bar)).toBe(first);
    expect(source.stats).toEqual({ detected: 1, fromMemory: 1, fromStore: 0 });
  });

  it('asked for one image by two pairs at once, decodes it once', async () => {
    const source = new FeatureSource();
    const [x, y] = await Promise.all([source.get(photos.donna), source.get(photos.donna)]);
    expect(x).toBe(y);
    expect(source.stats.detected).toBe(1);
  });

  it('keeps the features across a restart in the data folder, and reads them back unchanged', async () => {
    const dir = storeDir('restart');
    const before = new FeatureSource({ store: new FeatureStore(dir) });
    await before.get(photos.bar);
    expect(storedFiles(dir)).toEqual([`${photos.bar.digest}.features`]);

    const after = new FeatureSource({ store: new FeatureStore(dir) });
    expect(await after.get(photos.bar)).toEqual(fresh.get(photos.bar.digest));
    expect(after.stats).toEqual({ detected: 0, fromMemory: 0, fromStore: 1 });
  });

  it("stores an image's mirror features once a pair needed them, and reads them back", async () => {
    const dir = storeDir('mirror');
    const source = new FeatureSource({ store: new FeatureStore(dir) });
    expect((await source.get(photos.barMirror)).mirrored).toBeUndefined();
    const check = await checkPair(photos.bar, photos.barMirror, source);
    expect(check.mirrored).toBe(true);

    const restarted = await new FeatureSource({ store: new FeatureStore(dir) }).get(photos.barMirror);
    const { cv } = await loadOpenCv();
    const expected = fresh.get(photos.barMirror.digest)!;
    expect(restarted.mirrored).toEqual(detectFeatures(cv, mirrorHorizontally(expected.grey)));
    expect(restarted.direct).toEqual(expected.direct);
  });

  it('does not keep the features of a file that changed since it was hashed under its old digest', async () => {
    const dir = storeDir('changed');
    const source = new FeatureSource({ store: new FeatureStore(dir) });
    // The path now holds bar's bytes, but the caller still knows it by donna's digest.
    expect(await source.get({ path: photos.bar.path, digest: photos.donna.digest })).toEqual(fresh.get(photos.bar.digest));
    expect(storedFiles(dir)).toEqual([]);
    expect(await source.get(photos.donna)).toEqual(fresh.get(photos.donna.digest));
  });

  it.each([
    ['truncated', (path: string) => truncateSync(path, Math.floor(statSync(path).size / 2))],
    ['one byte changed', (path: string) => {
      const bytes = readFileSync(path);
      bytes[bytes.length >> 1] ^= 0x40;
      writeFileSync(path, bytes);
    }],
    ['empty', (path: string) => writeFileSync(path, '')],
    ['not a features file', (path: string) => writeFileSync(path, 'DPF1 and then some text that is not features at all')],
  ])('ignores a stored file that is %s: detects again, replaces it, never fails', async (label, damage) => {
    const dir = storeDir(`damaged-${label.replace(/\W+/g, '-')}`);
    await new FeatureSource({ store: new FeatureStore(dir) }).get(photos.donna);
    const path = join(dir, `${photos.donna.digest}.features`);
    const intact = readFileSync(path);
    damage(path);

    const restarted = new FeatureSource({ store: new FeatureStore(dir) });
    expect(await restarted.get(photos.donna)).toEqual(fresh.get(photos.donna.digest));
    expect(restarted.stats).toEqual({ detected: 1, fromMemory: 0, fromStore: 0 });
    expect(readFileSync(path).equals(intact)).toBe(true);
  });

  it('still verifies when the data folder cannot be written', async () => {
    const blocked = join(sandbox, 'a-file-not-a-folder');
    writeFileSync(blocked, '');
    const source = new FeatureSource({ store: new FeatureStore(join(blocked, 'features')) });
    expect(await source.get(photos.bar)).toEqual(fresh.get(photos.bar.digest));
  });
});

describe('FeatureStore bound', () => {
  it('evicts the least recently used files to stay under its bound', async () => {
    const dir = storeDir('bounded');
    const features = fresh.get(photos.bar.digest)!;
    const fileBytes = encode(features).byteLength;
    const store = new FeatureStore(dir, Math.floor(fileBytes * 3.5));
    const digests = Array.from({ length: 8 }, (_, i) => createHash('sha256').update(`content ${i}`).digest('hex'));
    for (const [i, digest] of digests.entries()) {
      await store.write(digest, features);
      // Distinct times, oldest first; the first content is read again before the others, so it outlives the later ones.
      const at = new Date(Date.now() - (digests.length - i) * 60_000);
      utimesSync(join(dir, `${digest}.features`), at, at);
      if (i === 2) expect(await store.read(digests[0]!)).toEqual(features);
      const total = storedFiles(dir).reduce((sum, name) => sum + statSync(join(dir, name)).size, 0);
      expect(total).toBeLessThanOrEqual(store.maxBytes);
    }
    const kept = storedFiles(dir).map((name) => name.replace('.features', ''));
    expect(kept).toContain(digests[7]);
    expect(kept.length).toBeLessThan(digests.length);
    expect(kept).not.toContain(digests[1]);
  });

  it('refuses a digest that is not one, so no path is built from it', async () => {
    const dir = storeDir('digests');
    const store = new FeatureStore(dir);
    await store.write('../escape', fresh.get(photos.bar.digest)!);
    expect(await store.read('../escape')).toBeUndefined();
    expect(readdirSync(dir)).toEqual([]);
  });
});

describe('FeatureLru', () => {
  it('holds at most its bound of bytes, dropping the least recently used', () => {
    const entry = fresh.get(photos.bar.digest)!;
    const lru = new FeatureLru(Math.floor(featureBytes(entry) * 2.5));
    lru.set('a', entry);
    lru.set('b', entry);
    lru.get('a');
    lru.set('c', entry);
    expect(lru.bytes).toBeLessThanOrEqual(lru.maxBytes);
    expect([lru.get('a'), lru.get('b'), lru.get('c')].map(Boolean)).toEqual([true, false, true]);
  });
});

describe('checkPair from cached features', () => {
  it('gives the verdicts of a check from scratch, also from features read back from the data folder', async () => {
    const dir = storeDir('verdicts');
    await Promise.all(Object.values(photos).map((p) => new FeatureSource({ store: new FeatureStore(dir) }).get(p)));
    const restarted = new FeatureSource({ store: new FeatureStore(dir) });
    const pairs: Array<[TestImage, TestImage, boolean]> = [
      [photos.bar, photos.barCrop, true],
      [photos.bar, photos.barMirror, true],
      [photos.barCrop, photos.barMirror, true],
      [photos.bar, photos.donna, false],
    ];
    for (const [a, b, copies] of pairs) {
      const { ms: _cached, edits, ...cached } = await checkPair(a, b, restarted);
      const { ms: _scratch, ...scratch } = await verifyPair(await loadGrey(a.path), await loadGrey(b.path));
      expect(cached).toEqual(scratch);
      expect(cached.match).toBe(copies);
      if (b === photos.barMirror) expect(edits).toContain('mirrored');
    }
    expect(restarted.stats.detected).toBe(0);
  }, 60_000);
});

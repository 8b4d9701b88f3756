// Adds synthetic, already-hashed files to the renderer's IndexedDB with raw IndexedDB calls that
// match Dexie's schema (src-renderer/src/data/db.ts, blocks.ts): `files` rows under a root that is
// not in `roots` (so no scan ever removes them), one `fingerprints` row per file, and the PDQ
// hashes packed in `fingerprintBlocks` of FINGERPRINT_BLOCK_SIZE like appendToBlocks writes them;
// the stored file counts (file-counts.ts) move with the rows, as every write of the app moves them.
//
// The page function is a string: tsx's name-keeping helpers must not leak into page code.
import type { Page } from 'playwright-core';
import { DIHEDRAL_NAMES } from '../../src-core/hash/pdq';

export interface SeedOptions {
  count: number;
  blockSize: number;
  /** Folder of the synthetic files; must not be a watched root. */
  root: string;
  seed: number;
  quality: number;
  /** Duplicates instead of unrelated photos: every odd fingerprint is a near copy of the one
   *  before it (0–24 of its 256 PDQ bits flipped, cycling), and every fourth one also has an
   *  identical copy (a second file with its digest): count / 2 groups of 2 or 3 at the floor. */
  pairs?: boolean;
}

export interface SeedResult {
  seconds: number;
  dbVersion: number;
  files: number;
  fingerprints: number;
  blocks: number;
}

const PAGE_FUNCTION = String.raw`async (options) => {
  const started = performance.now();
  const variants = options.variants; // DIHEDRAL_NAMES: 'original' first, the order packHashes uses
  const WORDS = 8;
  const STRIDE = WORDS * variants.length;

  // xoshiro128** seeded by splitmix32: full-period 128-bit state, good bits throughout.
  let s0, s1, s2, s3;
  {
    let x = options.seed >>> 0;
    const split = () => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    s0 = split(); s1 = split(); s2 = split(); s3 = split();
  }
  const next = () => {
    const result = Math.imul(((Math.imul(s1, 5) << 7) | (Math.imul(s1, 5) >>> 25)), 9) >>> 0;
    const t = s1 << 9;
    s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3; s2 ^= t;
    s3 = (s3 << 11) | (s3 >>> 21);
    return result;
  };
  const hexOf = (words, from, count) => {
    let hex = '';
    for (let w = from; w < from + count; w++) hex += words[w].toString(16).padStart(8, '0');
    return hex;
  };
  const randomHex = (words32) => {
    let hex = '';
    for (let w = 0; w < words32; w++) hex += next().toString(16).padStart(8, '0');
    return hex;
  };

  const db = await new Promise((resolve, reject) => {
    const request = indexedDB.open('doppel');
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
    request.onupgradeneeded = () => reject(new Error('the doppel database does not exist yet'));
  });
  try {
    const tables = ['files', 'fingerprints', 'fingerprintBlocks'];
    for (const name of tables) if (!db.objectStoreNames.contains(name)) throw new Error('no ' + name + ' store in doppel v' + db.version);
    {
      const tx = db.transaction(tables, 'readonly');
      const blocks = tx.objectStore('fingerprintBlocks');
      if (blocks.keyPath !== 'id' || !blocks.autoIncrement) throw new Error('fingerprintBlocks is not ++id');
      if (tx.objectStore('files').keyPath !== 'path') throw new Error('files is not keyed by path');
      if (tx.objectStore('fingerprints').keyPath !== 'digest') throw new Error('fingerprints is not keyed by digest');
    }

    const seen = new Set();
    const now = Date.now();
    let files = 0;
    let blocks = 0;
    for (let start = 0; start < options.count; start += options.blockSize) {
      const n = Math.min(options.blockSize, options.count - start);
      const pdq = new Uint32Array(n * STRIDE);
      for (let i = 0; i < pdq.length; i++) pdq[i] = next();
      if (options.pairs) {
        for (let k = 1; k < n; k += 2) {
          // Row k's original hash: row k-1's with ((start + k) >> 1) % 25 bits flipped.
          pdq.copyWithin(k * STRIDE, (k - 1) * STRIDE, (k - 1) * STRIDE + WORDS);
          const flips = ((start + k) >> 1) % 25;
          for (let b = 0; b < flips; b++) pdq[k * STRIDE + (b >> 5)] ^= 1 << (b & 31);
        }
      }
      const quality = new Uint8Array(n).fill(options.quality);
      const digests = [];
      const fileRows = [];
      const fingerprintRows = [];
      for (let k = 0; k < n; k++) {
        let digest;
        do digest = randomHex(8); while (seen.has(digest));
        seen.add(digest);
        digests.push(digest);
        const i = start + k;
        const size = 1_000_000 + (next() % 5_000_000);
        const mtimeMs = now - (next() % 1_000_000_000);
        const path = options.root + '/s' + String(Math.floor(i / 500)).padStart(3, '0') + '/IMG_' + String(i).padStart(6, '0') + '.jpg';
        fileRows.push({ path, root: options.root, size, mtimeMs, digest, status: 'hashed', seenAt: now });
        if (options.pairs && i % 4 === 0) fileRows.push({ path: path.replace(/\.jpg$/, '-copy.jpg'), root: options.root, size, mtimeMs, digest, status: 'hashed', seenAt: now });
        const pdqDihedral = {};
        for (let v = 1; v < variants.length; v++) pdqDihedral[variants[v]] = hexOf(pdq, (k * variants.length + v) * WORDS, WORDS);
        fingerprintRows.push({
          size, digest, width: 4000, height: 3000, format: 'jpeg',
          pdq: hexOf(pdq, k * STRIDE, WORDS), pdqQuality: options.quality, pdqDihedral,
          ahash: randomHex(2), dhash: randomHex(2), phash: randomHex(2), whash: randomHex(2),
          exif: { dateTaken: '2020-01-01T12:00:00', make: 'Bench', model: 'Synthetic' },
        });
      }
      await new Promise((resolve, reject) => {
        const tx = db.transaction([...tables, 'meta'], 'readwrite');
        tx.oncomplete = () => resolve(undefined);
        tx.onerror = () => reject(tx.error);
        tx.onabort = () => reject(tx.error ?? new Error('transaction aborted'));
        const fileStore = tx.objectStore('files');
        for (const row of fileRows) fileStore.put(row);
        const fpStore = tx.objectStore('fingerprints');
        for (const row of fingerprintRows) fpStore.put(row);
        tx.objectStore('fingerprintBlocks').put({ digests, quality, pdq });
        // As the app's sync does with every change: the saved clustering is now stale, and the
        // stored file counts move with the rows (none stored yet: the next page counts them).
        const meta = tx.objectStore('meta');
        meta.put({ id: 'library-changed', at: Date.now() });
        const counts = meta.get('file-counts');
        counts.onsuccess = () => {
          const row = counts.result;
          if (!row) return;
          const c = (row.byRoot[options.root] ??= { files: 0, hashed: 0, pending: 0, failed: 0, missing: 0 });
          c.files += fileRows.length;
          c.hashed += fileRows.length;
          meta.put(row);
        };
      });
      files += n;
      blocks++;
    }

    const counts = await new Promise((resolve, reject) => {
      const tx = db.transaction(tables, 'readonly');
      const out = {};
      for (const name of tables) {
        const request = tx.objectStore(name).count();
        request.onsuccess = () => (out[name] = request.result);
      }
      tx.oncomplete = () => resolve(out);
      tx.onerror = () => reject(tx.error);
    });
    return { seconds: (performance.now() - started) / 1000, dbVersion: db.version, files: counts.files, fingerprints: counts.fingerprints, blocks: counts.fingerprintBlocks, written: files, writtenBlocks: blocks };
  } finally {
    db.close();
  }
}`;

/** Writes `count` synthetic hashed files; returns the table sizes after writing. */
export async function seedIndexedDb(page: Page, options: SeedOptions): Promise<SeedResult> {
  const args = { ...options, variants: [...DIHEDRAL_NAMES] };
  return (await page.evaluate(`(${PAGE_FUNCTION})(${JSON.stringify(args)})`)) as SeedResult;
}

import { describe, expect, it } from 'vitest';
import { syntheticFingerprints } from './cluster/synthetic-fingerprints';
import { CompactFingerprints } from './compact-fingerprints';
import type { Fingerprint } from './fingerprint';

const { randomHex: hex, photo } = syntheticFingerprints(18);

function fullFingerprint(): Fingerprint {
  return photo({ pdqWindows: [hex(64), hex(64)], embedding: hex(64), pixelDigest: hex(64), evidence: { content: [0, 0, 1, 1], grey: false, clipped: 0, noise: 1, sharpness: 2 } });
}

/** Every field as the pipeline reads it, getters included. */
const fieldsOf = (f: Fingerprint) => Object.fromEntries([...new Set([...Object.keys(f), 'pdq', 'pdqDihedral', 'pdqWindows', 'ahash', 'dhash', 'phash', 'whash', 'embedding', 'pixelDigest'])].map((k) => [k, f[k as keyof Fingerprint]]));

describe('CompactFingerprints', () => {
  it('gives back every field of thousands of fingerprints (past its first growth)', () => {
    const store = new CompactFingerprints();
    const originals = Array.from({ length: 3000 }, fullFingerprint);
    const compact = originals.map((f) => store.add(f));
    expect(store.size).toBe(3000);
    compact.forEach((c, i) => expect(fieldsOf(c)).toEqual(fieldsOf(originals[i]!)));
  });

  it('a record without variants repeats its PDQ; absent hashes stay absent', () => {
    const store = new CompactFingerprints();
    const pdq = hex(64);
    const minimal = { path: 'a', digest: 'a', pdq, pdqQuality: 100, size: 0, mtimeMs: 0, width: 0, height: 0, format: 'unknown', exif: {} } as unknown as Fingerprint;
    const c = store.add(minimal);
    expect(Object.values(c.pdqDihedral)).toEqual(Array(7).fill(pdq));
    expect([c.pdqWindows, c.ahash, c.whash, c.embedding, c.pixelDigest]).toEqual([undefined, undefined, undefined, undefined, undefined]);
    expect(c.path).toBe('a');
  });
});

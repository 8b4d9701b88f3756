// The packed fingerprint blocks the similarity index loads at start-up: written as results
// arrive, read back in one pass, exactly as packHashes lays the hashes out.
import { describe, expect, it, onTestFinished } from 'vitest';
import type { Fingerprint } from '../../../src-core/fingerprint';
import { DEFAULT_METHOD, packHashes } from '../../../src-core/similarity/methods';
import { FINGERPRINT_BLOCK_SIZE, loadPackedFingerprints } from './blocks';
import { LibrarySync } from './sync';
import { openTestDb, random, randomFingerprint, seenOf } from './test-support';

function setup() {
  const db = openTestDb();
  onTestFinished(() => db.delete());
  return { db, sync: new LibrarySync(db, async () => {}) };
}

async function store(sync: LibrarySync, fingerprints: Fingerprint[]): Promise<void> {
  await sync.applyFileEvents(fingerprints.map((f) => ({ type: 'add', file: seenOf(f) })));
  await sync.applyHashResults(fingerprints.map((fingerprint) => ({ ok: true, fingerprint })));
}

function expectPacked(loaded: Awaited<ReturnType<typeof loadPackedFingerprints>>, expected: Fingerprint[]): void {
  expect(loaded.digests).toEqual(expected.map((f) => f.digest));
  expect([...loaded.quality]).toEqual(expected.map((f) => f.pdqQuality));
  const packed = packHashes(DEFAULT_METHOD, expected);
  expect({ ...loaded.codes, data: undefined }).toEqual({ ...packed, data: undefined });
  // The first differing word, not a per-element diff of 160,000 words.
  expect(loaded.codes.data.length).toBe(packed.data.length);
  expect(loaded.codes.data.findIndex((word, i) => word !== packed.data[i])).toBe(-1);
}

describe('fingerprint blocks', () => {
  const next = random(2500);
  const library = Array.from({ length: 2500 }, (_, i) => randomFingerprint(next, { path: `/photos/${i}.jpg` }));

  it('loads 2,500 fingerprints written in 3 batches with their digests, qualities and packed hashes', async () => {
    const { db, sync } = setup();
    await store(sync, library.slice(0, 900));
    await store(sync, library.slice(900, 1700));
    await store(sync, library.slice(1700));
    const blocks = await db.fingerprintBlocks.toArray();
    expect(blocks.map((b) => b.digests.length)).toEqual([FINGERPRINT_BLOCK_SIZE, FINGERPRINT_BLOCK_SIZE, 500]);
    expectPacked(await loadPackedFingerprints(db), library);
  });

  it('holds a re-hashed digest once, with its latest hashes; exact copies add nothing', async () => {
    const { db, sync } = setup();
    await store(sync, library.slice(0, 1200));
    const copies = library.slice(0, 3).map((f) => ({ ...f, path: f.path.replace('.jpg', ' copy.jpg') }));
    await store(sync, copies);
    expect(await db.fingerprintBlocks.count()).toBe(2);
    expectPacked(await loadPackedFingerprints(db), library.slice(0, 1200));

    // A newer hasher gives one digest other hashes.
    const fresh = randomFingerprint(next);
    const rehashed = { ...library[10]!, pdq: fresh.pdq, pdqDihedral: fresh.pdqDihedral, pdqQuality: fresh.pdqQuality };
    await sync.applyHashResults([{ ok: true, fingerprint: rehashed }]);
    const expected = [...library.slice(0, 10), ...library.slice(11, 1200), rehashed];
    expectPacked(await loadPackedFingerprints(db), expected);
    expect(await db.fingerprints.get(rehashed.digest)).toMatchObject({ pdq: fresh.pdq });
  });

  it('loads an empty library', async () => {
    const { db } = setup();
    const loaded = await loadPackedFingerprints(db);
    expect(loaded.digests).toEqual([]);
    expect(loaded.codes).toMatchObject({ count: 0, words: 8, variants: packHashes(DEFAULT_METHOD, []).variants });
  });

  it('reads blocks written before the window hashes (8 variants), and extends such a block in the current layout', async () => {
    const { db, sync } = setup();
    const old = library.slice(0, 5);
    // A block as the previous version wrote it: the 8 dihedral hashes per digest, no `variants`.
    const legacy = packHashes('pdq-dihedral', old);
    await db.fingerprintBlocks.add({ digests: old.map((f) => f.digest), quality: Uint8Array.from(old, (f) => f.pdqQuality), pdq: legacy.data });
    // Its missing window hashes read as the PDQ itself, exactly as for a fingerprint without them.
    expectPacked(await loadPackedFingerprints(db), old);
    const withWindows = randomFingerprint(next, { path: '/photos/new.jpg', pdqWindows: [randomFingerprint(next).pdq, randomFingerprint(next).pdq] });
    await store(sync, [withWindows]);
    const blocks = await db.fingerprintBlocks.toArray();
    expect(blocks).toHaveLength(1);
    expect(blocks[0]!.variants).toBe(packHashes(DEFAULT_METHOD, []).variants);
    expectPacked(await loadPackedFingerprints(db), [...old, withWindows]);
  });
});

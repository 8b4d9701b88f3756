// Clustering straight from the database: exact copies, near duplicates and unrelated photos,
// stored through the real sync layer into fake-indexeddb.
import { describe, expect, it } from 'vitest';
import type { Fingerprint } from '../../../src-core/fingerprint';
import { seenOf } from '../data/test-support';
import { cut, loadAndCluster, openSnapshot, sliderHistogram } from './cluster-library';
import { flipBits, testLibrary } from './test-library';

describe('loadAndCluster', () => {
  it('groups exact copies and near duplicates read from the database, and nothing else', async () => {
    const { db, photo, add } = testLibrary(7);
    const original = photo({ path: '/photos/a.jpg' });
    const copy = { ...original, path: '/photos/copies/a.jpg', mtimeMs: original.mtimeMs + 1 };
    const near = photo({ path: '/photos/a-small.jpg', pdq: flipBits(original.pdq, 10), width: 1000, height: 750 });
    const blank = photo({ path: '/photos/blank.jpg', pdq: '0'.repeat(64), pdqQuality: 0 });
    const blankCopy = { ...blank, path: '/photos/blank-2.jpg' };
    const unrelated = Array.from({ length: 50 }, () => photo());
    const all = [original, copy, near, blank, blankCopy, ...unrelated];
    await add(all);

    const loaded = await loadAndCluster(db);
    expect(loaded.photos).toBe(all.length);
    // Only the files that can be in a group were read per file.
    expect(loaded.files.map((f) => f.path).sort()).toEqual([original.path, copy.path, near.path, blank.path, blankCopy.path].sort());
    const groups = cut(loaded, 0.9);
    const paths = groups.map((g) => g.members.map((m) => m.path).sort()).sort();
    expect(paths).toEqual([[original.path, copy.path, near.path].sort(), [blank.path, blankCopy.path].sort()].sort());
    expect(groups.find((g) => g.members.length === 2)!.exact).toBe(true);
    // A stricter cut keeps only the identical copies of the photo.
    expect(cut(loaded, 0.95).map((g) => g.members.length).sort()).toEqual([2, 2]);
    // The slider's histogram says the same for every position.
    const histogram = sliderHistogram(loaded);
    expect(histogram[0]!.similarity).toBe(0.8);
    expect(histogram.at(-1)!.similarity).toBe(1);
    for (const stop of histogram) {
      const groups = cut(loaded, stop.similarity);
      expect(stop.groups, `at ${stop.similarity}`).toBe(groups.length);
      expect(stop.duplicates).toBe(groups.reduce((n, g) => n + g.members.length - 1, 0));
    }
  });

  it('applies a split: the chosen contents become a group of their own, each part re-clustered', async () => {
    const { db, photo, add } = testLibrary(11);
    const a = photo({ path: '/photos/a.jpg' });
    const aCopy = { ...a, path: '/photos/a copy.jpg' };
    const b = photo({ path: '/photos/b.jpg', pdq: flipBits(a.pdq, 12) });
    const bNear = photo({ path: '/photos/b-near.jpg', pdq: flipBits(a.pdq, 14) });
    const all = [a, aCopy, b, bNear];
    await add(all);
    const loaded = await loadAndCluster(db);
    expect(cut(loaded, 0.8).map((g) => g.members.length)).toEqual([4]);
    const parts = cut(loaded, 0.8, [[b.digest, bNear.digest]]);
    expect(parts.map((g) => g.members.map((m) => m.path).sort()).sort()).toEqual([[a.path, aCopy.path].sort(), [b.path, bNear.path].sort()].sort());
    for (const group of parts) {
      expect(group.merges).toHaveLength(group.members.length - 1);
      expect(group.members.filter((m) => m.keeper)).toHaveLength(1);
    }
    // A split of a single photo leaves the rest together and drops the lone photo.
    expect(cut(loaded, 0.8, [[bNear.digest]]).map((g) => g.members.length)).toEqual([3]);
  });

  it('saves a snapshot that re-opens the same groups without a search, and knows when it is stale', async () => {
    const { db, sync, photo, add } = testLibrary(23);
    const a = photo({ path: '/photos/a.jpg' });
    const aNear = photo({ path: '/photos/a-near.jpg', pdq: flipBits(a.pdq, 8) });
    const b = photo({ path: '/photos/b.jpg' });
    const bCopy = { ...b, path: '/photos/b copy.jpg' };
    const unrelated = Array.from({ length: 30 }, () => photo());
    const groupPaths = (groups: ReturnType<typeof cut>) => groups.map((g) => g.members.map((m) => m.path).sort()).sort();
    await add([a, aNear, b, bCopy, ...unrelated]);
    expect(await openSnapshot(db)).toBeUndefined();

    const full = await loadAndCluster(db);
    const opened = await openSnapshot(db);
    expect(opened!.stale).toBe(false);
    expect(groupPaths(cut(opened!.loaded, 0.8))).toEqual(groupPaths(cut(full, 0.8)));
    expect(groupPaths(cut(opened!.loaded, 0.8))).toEqual([[a.path, aNear.path].sort(), [b.path, bCopy.path].sort()].sort());
    expect(opened!.loaded.photos).toBe(full.photos);

    // A rescan that reports every file unchanged does not make it stale.
    await sync.applyFileEvents([a, aNear, b, bCopy, ...unrelated].map((f) => ({ type: 'change' as const, file: seenOf(f) })));
    expect((await openSnapshot(db))!.stale).toBe(false);

    // A file deleted since makes the snapshot stale: it still opens as it was (at once), and
    // the full clustering that follows drops the file.
    await sync.applyFileEvents([{ type: 'unlink', root: '/photos', path: bCopy.path }]);
    const afterDelete = await openSnapshot(db);
    expect(afterDelete!.stale).toBe(true);
    expect(groupPaths(cut(afterDelete!.loaded, 0.8))).toEqual(groupPaths(cut(full, 0.8)));
    expect(groupPaths(cut(await loadAndCluster(db), 0.8))).toEqual([[a.path, aNear.path].sort()]);

    // So does a hashed file changed on disk (it leaves its group until hashed again).
    expect((await openSnapshot(db))!.stale).toBe(false);
    await sync.applyFileEvents([{ type: 'change', file: { ...seenOf(aNear), mtimeMs: aNear.mtimeMs + 1000 } }]);
    expect((await openSnapshot(db))!.stale).toBe(true);
    await sync.applyHashResults([{ ok: true, fingerprint: { ...aNear, mtimeMs: aNear.mtimeMs + 1000 } }]);

    // A new near copy joins only after a full clustering, which refreshes the snapshot.
    const aSmall = photo({ path: '/photos/a-small.jpg', pdq: flipBits(a.pdq, 5) });
    await add([aSmall]);
    expect(groupPaths(cut((await openSnapshot(db))!.loaded, 0.8))).toEqual([[a.path, aNear.path].sort()]);
    await loadAndCluster(db);
    const refreshed = await openSnapshot(db);
    expect(refreshed!.stale).toBe(false);
    expect(groupPaths(cut(refreshed!.loaded, 0.8))).toEqual([[a.path, aNear.path, aSmall.path].sort()]);
  });
});

describe('loadAndCluster: a symlink and its target, or hard links, are one photo', () => {
  it('makes the names of one physical file one member listing its other names, counted once', async () => {
    // As the watcher reports them (src-main/library/watcher.test.ts checks it does, on disk):
    // a photo, a symlink and a hard link to it (one fileId), a real copy, and another photo
    // with only a link to it.
    const { db, sync, photo: fingerprint } = testLibrary(31);
    const photo = fingerprint({ path: '/photos/Originals/2019/IMG_1.jpg', size: 20 });
    const link = { ...photo, path: '/photos/IMG_1.jpg' };
    const hard = { ...photo, path: '/photos/Originals/IMG_1 hard link.jpg' };
    const copy = { ...photo, path: '/photos/Backup/IMG_1.jpg' };
    const lone = fingerprint({ path: '/photos/Originals/2019/IMG_2.jpg' });
    const loneLink = { ...lone, path: '/photos/IMG_2.jpg' };
    const names: Array<[Fingerprint, string, true?]> = [
      [link, '64769:1001', true],
      [photo, '64769:1001'],
      [hard, '64769:1001'],
      [copy, '64769:1002'],
      [loneLink, '64769:1003', true],
      [lone, '64769:1003'],
    ];
    await sync.applyFileEvents(names.map(([f, fileId, symlink]) => ({ type: 'add' as const, file: { ...seenOf(f), fileId, ...(symlink ? { symlink } : {}) } })));
    await sync.applyHashResults(names.map(([fingerprint]) => ({ ok: true as const, fingerprint })));

    const loaded = await loadAndCluster(db);
    const groups = cut(loaded, 0.8);
    expect(groups).toHaveLength(1);
    const [group] = groups;
    expect(group!.members.map((m) => m.path).sort()).toEqual([copy.path, photo.path]);
    expect(group!.members.find((m) => m.path === photo.path)!.otherNames).toEqual([hard.path, link.path]);
    expect(group!.members.find((m) => m.path === copy.path)!.otherNames).toBeUndefined();
    expect(group!.reclaimableBytes).toBe(20);
    // The slider's histogram counts physical files too.
    expect(sliderHistogram(loaded).at(-1)).toMatchObject({ groups: 1, duplicates: 1 });
    // The snapshot the next start opens says the same.
    const reopened = cut((await openSnapshot(db))!.loaded, 0.8);
    const shape = (gs: typeof groups) => gs.map((g) => g.members.map((m) => [m.path, m.otherNames ?? []]));
    expect(shape(reopened)).toEqual(shape(groups));
  });

  it('a library read before identities were known is clustered again once the rescan reports them', async () => {
    const { db, sync, photo: fingerprint, add } = testLibrary(37);
    const photo = fingerprint({ path: '/photos/Originals/IMG_3.jpg' });
    const link = { ...photo, path: '/photos/IMG_3.jpg' };
    await add([photo, link]);
    expect(cut(await loadAndCluster(db), 0.8)).toHaveLength(1); // no identities: two files
    // The next start's scan reports the same sizes and mtimes, now with identities.
    await sync.applyFileEvents([
      { type: 'add', file: { ...seenOf(link), fileId: '1:5', symlink: true } },
      { type: 'add', file: { ...seenOf(photo), fileId: '1:5' } },
    ]);
    expect((await openSnapshot(db))!.stale).toBe(true);
    expect(cut(await loadAndCluster(db), 0.8)).toEqual([]);
  });
});

// The app's adapter of the verification stage, through the real sync layer into
// fake-indexeddb: a clustering asks for the candidate pairs nobody has verified, PairVerifier
// records main's answers (stamping the library), and the next clustering reads the saved
// verdicts: the confirmed pair joins a group, rejected burst shots are similar shots. How
// confirmed pairs group with copies and at each slider position is tested in src-core/grouping.
import { describe, expect, it } from 'vitest';
import type { PairToVerify } from '../../../src-core/api';
import type { PairCheck } from '../../../src-core/verify/verified-pairs';
import { libraryChangedAt } from '../data/db';
import { PairVerifier } from '../data/pair-verifier';
import { openTestDb } from '../data/test-support';
import { cut, findCandidates, loadAndCluster, openSnapshot, savedSimilarShots } from './cluster-library';
import { flipBits, testLibrary } from './test-library';

const check = (match: boolean, edits: string[] = []): PairCheck => ({ match, score: match ? 0.9 : 0.1, inliers: match ? 80 : 3, mirrored: false, rotationDeg: 0, scale: 1, overlap: 1, agreement: match ? 1 : 0, edits, ms: 10 });

describe('verification in the app', () => {
  it('verifies candidates once, then groups confirmed edits and lists similar shots', async () => {
    const { db, photo, add } = testLibrary(5);
    const camera = { make: 'Canon', model: 'EOS 5D' };
    const original = photo({ path: '/photos/beach.jpg', exif: { ...camera, dateTaken: '2024-05-01T10:00:00' } });
    // PDQ far apart, aHash close: only the candidate signal finds these.
    const crop = photo({ path: '/photos/beach-crop.jpg', ahash: flipBits(original.ahash, 4), exif: {} });
    const burst = photo({ path: '/photos/beach-2.jpg', ahash: flipBits(original.ahash, 6), exif: { ...camera, dateTaken: '2024-05-01T10:00:03' } });
    const unrelated = Array.from({ length: 20 }, () => photo({}));
    const all = [original, crop, burst, ...unrelated];
    await add(all);

    expect(cut(await loadAndCluster(db), 0.8)).toEqual([]);
    const first = await findCandidates(db);
    const asked = first.toVerify.map((p) => [p.a.path, p.b.path].sort().join(' + ')).sort();
    expect(asked).toEqual([[original.path, crop.path], [original.path, burst.path], [crop.path, burst.path]].map((p) => p.sort().join(' + ')).sort());
    expect(first.unverified).toBe(3);
    // A slice at a time: the rest is counted, and handed over by a later search.
    const sliced = await findCandidates(db, 2);
    expect([sliced.toVerify.length, sliced.unverified]).toEqual([2, 3]);

    // Main's verifier: the crop is the beach photo cropped, the burst is another moment.
    const calls: PairToVerify[][] = [];
    const isCropOfOriginal = (p: PairToVerify) => [p.a.path, p.b.path].includes(crop.path) && [p.a.path, p.b.path].includes(original.path);
    const verifyPairs = async (pairs: PairToVerify[]) => {
      calls.push(pairs);
      return pairs.map((p) => (isCropOfOriginal(p) ? check(true, ['cropped']) : check(false)));
    };
    const before = await libraryChangedAt(db);
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    const verifier = new PairVerifier(db, { verifyPairs }, (remaining) => remaining === 0 && finished());
    verifier.request(first.toVerify);
    verifier.request(first.toVerify); // asked again while in flight: no second check
    await done;
    expect(calls.flat()).toHaveLength(3);
    expect(await libraryChangedAt(db)).toBeGreaterThan(before);

    const second = await loadAndCluster(db);
    const after = await findCandidates(db);
    expect([after.toVerify, after.unverified]).toEqual([[], 0]);
    const groups = cut(second, 0.8);
    expect(groups.map((g) => g.members.map((m) => m.path).sort())).toEqual([[original.path, crop.path].sort()]);
    // The saved verdict keeps what the match needed.
    expect(groups[0]!.members.find((m) => m.path === crop.path)!.reason).toBe('edited: cropped; confirmed by aligning the two images');
    expect(after.similarShots.map((s) => [s.a, s.b].sort())).toEqual([[original.path, burst.path].sort()]);

    // The next start opens both at once.
    const reopened = (await openSnapshot(db))!.loaded;
    expect(cut(reopened, 0.8).map((g) => g.members.length)).toEqual([2]);
    expect(await savedSimilarShots(db)).toEqual(after.similarShots);
  });

  it('does not record a pair main could not check, so it is asked again later', async () => {
    const db = openTestDb();
    const pair = { a: { path: '/p/a.jpg', digest: 'a'.repeat(64) }, b: { path: '/p/b.jpg', digest: 'b'.repeat(64) }, signals: ['ahash' as const] };
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    const verifier = new PairVerifier(db, { verifyPairs: async () => [{ error: 'the file vanished' }] }, () => finished());
    verifier.request([pair]);
    await done;
    expect(await db.verdicts.count()).toBe(0);
    expect(verifier.remaining).toBe(0);
  });

  it('holds its batches while it may not run, sends them on resume, and counts the matches of each', async () => {
    const db = openTestDb();
    const pair = (k: number) => ({ a: { path: `/p/a${k}.jpg`, digest: `${k}`.padStart(64, 'a') }, b: { path: `/p/b${k}.jpg`, digest: `${k}`.padStart(64, 'b') }, signals: ['ahash' as const] });
    let allHashed = false;
    const asked: number[] = [];
    const batches: Array<[number, number, number]> = [];
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    const verifier = new PairVerifier(
      db,
      { verifyPairs: async (pairs) => (asked.push(pairs.length), pairs.map((p) => check(p.a.path === '/p/a1.jpg'))) },
      (remaining, recorded, matched) => {
        batches.push([remaining, recorded, matched]);
        if (remaining === 0) finished();
      },
      () => allHashed,
    );
    verifier.request([pair(1), pair(2), pair(3)]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(asked).toEqual([]); // files still being hashed
    expect(verifier.remaining).toBe(3);
    allHashed = true;
    verifier.resume();
    await done;
    expect(asked).toEqual([3]);
    expect(batches).toEqual([[0, 3, 1]]);
    expect(await db.verdicts.count()).toBe(3);
  });
});

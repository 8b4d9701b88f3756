// The verifier's transform from main to the compare view: PairVerifier stores it for the
// stored order of the pair, AlignmentRepository hands it out for (candidate, keeper) either way
// round, asking main once for pairs nobody verified (hash matches).
import { describe, expect, it } from 'vitest';
import type { PairToVerify } from '../../../src-core/api';
import { apply, fromPixelSimilarity } from '../../../src-core/verify/pair-transform';
import { pairKey, type PairCheck } from '../../../src-core/verify/verified-pairs';
import { AlignmentRepository } from './alignment-repository';
import { PairVerifier } from './pair-verifier';
import { openTestDb } from './test-support';

const original = { path: '/p/original.jpg', digest: 'f'.repeat(64) };
const crop = { path: '/p/crop.jpg', digest: '1'.repeat(64) };

/** The crop is a's pixels 40…199 × 30…149 of a 320×240 grey image. */
const cropInOriginal = fromPixelSimilarity({ a: 1, b: 0, tx: 40, ty: 30 }, false, { width: 160, height: 120 }, { width: 320, height: 240 });
const check = (match: boolean, transform = cropInOriginal): PairCheck => ({ match, score: match ? 0.9 : 0.1, inliers: 80, mirrored: false, rotationDeg: 0, scale: 0.5, overlap: 1, agreement: 1, edits: [], ...(match ? { transform } : {}), ms: 5 });

/** Main's verifier as a fake that knows one geometry: b = the crop, a = the original. */
function fakeMain(match = true) {
  const calls: PairToVerify[][] = [];
  const verifyPairs = async (pairs: PairToVerify[]) => {
    calls.push(pairs);
    return pairs.map(({ a, b }) => {
      if (a.digest === original.digest && b.digest === crop.digest) return check(match);
      if (a.digest === crop.digest && b.digest === original.digest) return check(match, { mirrored: false, matrix: [2, 0, 0, 2, -0.25, -0.25] });
      return { error: 'unknown pair' };
    });
  };
  return { calls, verifyPairs };
}

const expectPoint = (actual: [number, number], expected: [number, number]) => {
  expect(actual[0]).toBeCloseTo(expected[0], 9);
  expect(actual[1]).toBeCloseTo(expected[1], 9);
};

describe('the verifier\'s transform in the renderer', () => {
  it('is stored for the stored order, and read back for (candidate, keeper) either way round', async () => {
    const db = openTestDb();
    const main = fakeMain();
    let finished!: () => void;
    const done = new Promise<void>((resolve) => (finished = resolve));
    // Asked original first: the row's a is the crop (its digest sorts first).
    new PairVerifier(db, main, () => finished()).request([{ a: original, b: crop, signals: ['ahash'] }]);
    await done;
    const row = (await db.verdicts.get(pairKey(original.digest, crop.digest)))!;
    expect([row.a, row.b]).toEqual([crop.digest, original.digest]);
    // The row maps the original into the crop: the crop's top-left corner is the original's (40/320, 30/240).
    expectPoint(apply(row.transform!.matrix, 40 / 320, 30 / 240), [0, 0]);

    const alignments = new AlignmentRepository(db, main);
    const cropOnOriginal = (await alignments.candidateInKeeper(crop, original))!;
    expectPoint(apply(cropOnOriginal.matrix, 0, 0), [40 / 320, 30 / 240]);
    expectPoint(apply(cropOnOriginal.matrix, 1, 1), [200 / 320, 150 / 240]);
    const originalOnCrop = (await alignments.candidateInKeeper(original, crop))!;
    expectPoint(apply(originalOnCrop.matrix, 40 / 320, 30 / 240), [0, 0]);
    // Read from the verdict: main was asked only by the verifier.
    expect(main.calls).toHaveLength(1);
  });

  it('asks main once for a pair nobody verified, and keeps no verdict for it', async () => {
    const db = openTestDb();
    const main = fakeMain();
    const alignments = new AlignmentRepository(db, main);
    const [first, second] = await Promise.all([alignments.candidateInKeeper(crop, original), alignments.candidateInKeeper(original, crop)]);
    expectPoint(apply(first!.matrix, 0, 0), [40 / 320, 30 / 240]);
    expectPoint(apply(second!.matrix, 40 / 320, 30 / 240), [0, 0]);
    expect(main.calls).toEqual([[{ a: crop, b: original }]]);
    await alignments.candidateInKeeper(crop, original);
    expect(main.calls).toHaveLength(1);
    expect(await db.verdicts.count()).toBe(0);
  });

  it('adds the transform to a confirmed verdict saved without one', async () => {
    const db = openTestDb();
    const [a, b] = [crop.digest, original.digest];
    await db.verdicts.put({ key: pairKey(a, b), a, b, match: true, matched: 1, score: 0.9, edits: ['cropped'], signals: ['ahash'], at: 1 });
    const main = fakeMain();
    const aligned = await new AlignmentRepository(db, main).candidateInKeeper(crop, original);
    expectPoint(apply(aligned!.matrix, 1, 1), [200 / 320, 150 / 240]);
    const row = (await db.verdicts.get(pairKey(a, b)))!;
    expect([row.match, row.edits]).toEqual([true, ['cropped']]);
    expectPoint(apply(row.transform!.matrix, 0, 0), [-0.25, -0.25]);
  });

  it('aligns nothing for a rejected pair, a failed check or one content', async () => {
    const db = openTestDb();
    const [a, b] = [crop.digest, original.digest];
    await db.verdicts.put({ key: pairKey(a, b), a, b, match: false, matched: 0, score: 0.2, edits: [], signals: ['ahash'], at: 1 });
    const main = fakeMain();
    const alignments = new AlignmentRepository(db, main);
    expect(await alignments.candidateInKeeper(crop, original)).toBeUndefined();
    expect(await alignments.candidateInKeeper(crop, crop)).toBeUndefined();
    expect(main.calls).toHaveLength(0);

    // A check main could not make is asked again next time.
    const failing = { calls: 0, verifyPairs: async (pairs: PairToVerify[]) => (failing.calls++, pairs.map(() => ({ error: 'the file vanished' }))) };
    const other = new AlignmentRepository(openTestDb(), failing);
    expect(await other.candidateInKeeper(crop, original)).toBeUndefined();
    expect(await other.candidateInKeeper(crop, original)).toBeUndefined();
    expect(failing.calls).toBe(2);
  });
});

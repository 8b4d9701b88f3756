// The grouping pipeline with verification, the one layer that tests it: which pairs are
// proposed, how the verifier's confirmed pairs join groups (and carry over to the copies of
// what they were verified against), and which rejected pairs are similar shots.
import { describe, expect, it } from 'vitest';
import { groupsAt } from '../cluster/groups';
import type { Fingerprint } from '../fingerprint';
import { syntheticFingerprints } from '../cluster/synthetic-fingerprints';
import { hammingHex } from '../hash/hamming';
import type { CandidateOptions, CandidatePair } from '../verify/candidates';
import { similarShots } from '../verify/similar-shots';
import { VERIFIED_SIMILARITY, type PairDecision } from '../verify/verified-pairs';
import { fingerprintContents, searchableContents } from './contents';
import { groupFingerprints, proposePairs, searchPairsHere, type PairVerifier } from './pipeline';

const { flip, photo } = syntheticFingerprints(7, '/lib/v');
const decision = (a: Fingerprint, b: Fingerprint, match: boolean, edits: string[] = []): PairDecision => {
  const [x, y] = a.digest < b.digest ? [a, b] : [b, a];
  return { a: x.digest, b: y.digest, match, score: match ? 0.9 : 0.1, edits, signals: ['ahash'] };
};
const OPTIONS = { method: 'pdq-windows', linkage: 'average' } as const;

/** The pairs proposed among inputs of distinct contents (so content rows are input indices). */
function propose(inputs: Fingerprint[], options?: CandidateOptions): CandidatePair[] {
  const { contents } = fingerprintContents(inputs, OPTIONS.method);
  return proposePairs(contents, searchableContents(contents, OPTIONS), options);
}

/** A verifier that confirms every pair it is asked about (`match`), with these edits. */
const verifierAnswering = (match: boolean, edits: string[] = []): PairVerifier => async (candidates) => candidates.map((c) => ({ a: c.a, b: c.b, match, score: match ? 0.9 : 0.1, edits, signals: c.signals }));

describe('candidate pairs', () => {
  const original = photo({ size: 9000 });
  const resized = photo({ pdq: flip(original.pdq, 10), ahash: original.ahash });
  // A crop: PDQ as far as an unrelated photo, aHash 6 bits away.
  const crop = photo({ ahash: flip(original.ahash, 6) });
  const unrelated = photo();
  const inputs = [original, resized, crop, unrelated];

  it('proposes pairs a looser signal puts close, but not those the hash search already links', () => {
    const pairs = propose(inputs);
    const named = pairs.map((p) => [inputs[p.inputA]!, inputs[p.inputB]!].map((f) => f.path).sort().join(' + '));
    expect(named.sort()).toEqual([[original.path, crop.path].sort().join(' + '), [resized.path, crop.path].sort().join(' + ')].sort());
    expect(pairs.every((p) => p.signals.includes('ahash') && p.a < p.b)).toBe(true);
  });

  it('keeps only the nearest few per image, so pairs grow linearly', () => {
    // 13 look-alikes all within the aHash radius of each other: 78 pairs in range.
    const hub = photo();
    const all = [hub, ...Array.from({ length: 12 }, (_, k) => photo({ ahash: flip(hub.ahash, 1 + (k % 3)) }))];
    const perImage = 3;
    const pairs = propose(all, { pdqRadius: 0, ahashRadius: 16, embeddingRadius: 0, windowRadius: 0, featureRadius: 0, featureMatches: 1, maxFeaturePhotos: 0, perImage, pairsPerPhoto: 100 });
    expect(pairs.length).toBeGreaterThanOrEqual(Math.ceil((all.length * perImage) / 2));
    expect(pairs.length).toBeLessThanOrEqual(all.length * perImage);
    // Every image still has a candidate.
    for (const f of all) expect(pairs.some((p) => p.a === f.digest || p.b === f.digest)).toBe(true);
  });

  it('caps the library at pairsPerPhoto pairs a photo, nearest first, without letting a crowded signal crowd out another', () => {
    // 30 look-alikes within aHash range of each other (every image fills its 8 slots), and one
    // resize PDQ puts 60 bits away (pdq-loose's only pair, far down any shared distance order).
    const hub = photo();
    const lookAlikes = Array.from({ length: 30 }, (_, k) => photo({ ahash: flip(hub.ahash, 1 + (k % 4)) }));
    const original = photo();
    const resized = photo({ pdq: flip(original.pdq, 68) });
    const all = [hub, ...lookAlikes, original, resized];
    const options = { pdqRadius: 70, ahashRadius: 16, embeddingRadius: 0, windowRadius: 0, featureRadius: 0, featureMatches: 1, maxFeaturePhotos: 0, perImage: 8 };
    const unbounded = propose(all, { ...options, pairsPerPhoto: 1000 });
    expect(unbounded.length).toBeGreaterThan(2 * all.length);
    const capped = propose(all, { ...options, pairsPerPhoto: 2 });
    expect(capped.length).toBe(2 * all.length);
    const [a, b] = [original.digest, resized.digest].sort();
    expect(capped.some((p) => p.a === a && p.b === b && p.signals.includes('pdq-loose'))).toBe(true);
    // The look-alike pairs left out are the farthest ones.
    const ahashOf = new Map(all.map((f) => [f.digest, f.ahash]));
    const apart = (p: { a: string; b: string }) => hammingHex(ahashOf.get(p.a)!, ahashOf.get(p.b)!);
    const kept = new Set(capped.map((p) => `${p.a}|${p.b}`));
    const dropped = unbounded.filter((p) => !kept.has(`${p.a}|${p.b}`));
    expect(Math.max(...capped.filter((p) => p.signals.includes('ahash')).map(apart))).toBeLessThanOrEqual(Math.min(...dropped.map(apart)));
  });
});

describe('grouping with a verifier', () => {
  const original = photo({ size: 9000, width: 1600, height: 1200 });
  const resized = photo({ pdq: flip(original.pdq, 8), size: 3000 });
  // A crop: PDQ as far as an unrelated photo, aHash close to the resized copy's.
  const crop = photo({ size: 5000, ahash: flip(resized.ahash, 6) });
  const inputs = [original, resized, crop];
  const group = (verifier?: PairVerifier) => groupFingerprints(inputs, OPTIONS, { search: searchPairsHere, verifier });

  it('asks the verifier about the crop, groups it confirmed with all the copies, and says what it is', async () => {
    const asked: CandidatePair[] = [];
    const { clustering, decisions } = await group(async (candidates) => (asked.push(...candidates), verifierAnswering(true, ['cropped', 'rotated 3°'])(candidates)));
    expect(asked.map((c) => [inputs[c.inputA]!.digest, inputs[c.inputB]!.digest])).toEqual([[resized.digest, crop.digest].sort()]);
    expect(decisions).toHaveLength(1);
    const [found] = groupsAt(clustering, inputs, 0.8);
    expect(found?.members.map((m) => m.path).sort()).toEqual(inputs.map((f) => f.path).sort());
    const cropMember = found!.members.find((m) => m.path === crop.path)!;
    expect(found!.members[0]!.path).toBe(original.path);
    expect(cropMember.reason).toBe('edited: cropped, rotated 3°; confirmed by aligning the two images');
    expect(cropMember.evidence).toMatch(/RANSAC/);
    // Carried over from resized (verified) to the original (its near copy), capped by the link.
    expect(clustering.similarity(2, 0)).toBeCloseTo(VERIFIED_SIMILARITY, 5);
  });

  it('leaves verified edits out when the slider asks for nearly identical photos', async () => {
    const groups = groupsAt((await group(verifierAnswering(true))).clustering, inputs, 0.92);
    expect(groups.map((g) => g.members.map((m) => m.path).sort())).toEqual([[original.path, resized.path].sort()]);
  });

  it('leaves the crop alone when the verifier rejects it, or without a verifier', async () => {
    for (const verifier of [verifierAnswering(false), undefined]) {
      const groups = groupsAt((await group(verifier)).clustering, inputs, 0.8);
      expect(groups.map((g) => g.members.map((m) => m.path).sort())).toEqual([[original.path, resized.path].sort()]);
    }
  });
});

describe('similar shots', () => {
  const camera = { make: 'Canon', model: 'EOS 5D' };
  const first = photo({ exif: { ...camera, dateTaken: '2024-05-01T10:00:00' } });
  const second = photo({ exif: { ...camera, dateTaken: '2024-05-01T10:00:40' } });
  const later = photo({ exif: { ...camera, dateTaken: '2024-05-01T11:00:00' } });
  const otherCamera = photo({ exif: { make: 'Apple', model: 'iPhone 12', dateTaken: '2024-05-01T10:00:10' } });
  const files = [first, second, later, otherCamera];

  it('are rejected candidates that one camera took moments apart', () => {
    const shots = similarShots([decision(first, second, false), decision(first, later, false), decision(first, otherCamera, false)], files);
    expect(shots).toEqual([{ a: expect.any(String), b: expect.any(String), digestA: expect.any(String), digestB: expect.any(String), seconds: 40 }]);
    expect([shots[0]!.a, shots[0]!.b].sort()).toEqual([first.path, second.path].sort());
  });

  it('never include a pair the verifier confirmed', () => {
    expect(similarShots([decision(first, second, true)], files)).toEqual([]);
  });
});

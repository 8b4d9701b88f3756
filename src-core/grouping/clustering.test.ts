// Clustering synthetic fingerprints: exact copies, near duplicates, dihedral
// copies, low-information images, and the large-component fallback.
import { describe, expect, it } from 'vitest';
import { groupsAt } from '../cluster/groups';
import { clusterFingerprints } from './pipeline';
import { MIN_PDQ_QUALITY } from '../cluster/clustering';
import { syntheticFingerprints } from '../cluster/synthetic-fingerprints';

const { flip, photo } = syntheticFingerprints(42);

const groupOf = (groups: ReturnType<typeof groupsAt>, path: string) => groups.find((g) => g.members.some((m) => m.path === path));

describe('clusterFingerprints + groupsAt', () => {
  const a = photo({ size: 5_000_000 });
  const aCopy = photo({ digest: a.digest, size: a.size, pdq: a.pdq, pdqDihedral: a.pdqDihedral });
  const aNear = photo({ pdq: flip(a.pdq, 6), width: 500, height: 375 });
  const aMirror = photo({ pdqDihedral: { ...photo().pdqDihedral, flipy: flip(a.pdq, 4) } });
  const b = photo();
  const bNear = photo({ pdq: flip(b.pdq, 20) });
  const loner = photo();
  const blank1 = photo({ pdq: '0'.repeat(64), pdqQuality: 0 });
  const blank2 = photo({ pdq: '0'.repeat(64), pdqQuality: 2 });
  const blank2Copy = photo({ digest: blank2.digest, pdq: '0'.repeat(64), pdqQuality: 2 });
  const files = [a, aCopy, aNear, aMirror, b, bNear, loner, blank1, blank2, blank2Copy];
  const clustering = clusterFingerprints(files, { method: 'pdq-dihedral', linkage: 'average' });

  it('groups exact copies, near duplicates and a mirrored copy; leaves unrelated photos alone', () => {
    const groups = groupsAt(clustering, files, 0.9);
    const groupA = groupOf(groups, a.path)!;
    expect(groupA.members.map((m) => m.path).sort()).toEqual([a.path, aCopy.path, aNear.path, aMirror.path].sort());
    expect(groupOf(groups, loner.path)).toBeUndefined();
    // b and bNear are 20 bits apart: similarity 0.84, grouped at 0.8 but not at 0.9.
    expect(groupOf(groups, b.path)).toBeUndefined();
    expect(groupOf(groupsAt(clustering, files, 0.8), b.path)!.members).toHaveLength(2);
  });

  it('marks the keeper with its reason and each member with its similarity to it', () => {
    const groupA = groupOf(groupsAt(clustering, files, 0.9), a.path)!;
    // a is one edit from each copy (aNear, aMirror), which are two edits apart: the centre.
    expect(groupA.members[0]).toMatchObject({ path: a.path, keeper: true });
    expect(groupA.members[0]!.reason).toMatch(/^closest to the other copies \(mean similarity 0\.97 vs 0\.95\)/);
    expect(groupA.members.find((m) => m.path === aCopy.path)).toMatchObject({ similarity: 1, reason: 'identical bytes' });
    expect(groupA.members.filter((m) => m.keeper)).toHaveLength(1);
    expect(groupA.members.find((m) => m.path === aNear.path)!.similarity).toBeCloseTo(1 - 6 / 128, 6);
    expect(groupA.reclaimableBytes).toBe(groupA.members.slice(1).reduce((s, m) => s + m.size, 0));
    expect(groupA.exact).toBe(false);
  });

  it('never groups low-information images by hash, only by identical bytes', () => {
    expect(MIN_PDQ_QUALITY).toBeGreaterThan(2);
    const groups = groupsAt(clustering, files, 0.8);
    expect(groupOf(groups, blank1.path)).toBeUndefined();
    const blanks = groupOf(groups, blank2.path)!;
    expect(blanks.members.map((m) => m.path).sort()).toEqual([blank2.path, blank2Copy.path].sort());
    expect(blanks.exact).toBe(true);
    expect(clustering.stats.lowInformation).toBe(2);
  });

  it('gives every group a dendrogram over its members that the cut respects', () => {
    for (const group of groupsAt(clustering, files, 0.8)) {
      expect(group.merges).toHaveLength(group.members.length - 1);
      expect([...group.order].sort()).toEqual(group.members.map((_, k) => k));
      expect(group.merges.at(-1)![3]).toBe(group.members.length);
      expect(Math.min(...group.merges.map((m) => m[2]))).toBeGreaterThanOrEqual(0.8);
      expect(group.similarity).toBe(Math.min(...group.merges.map((m) => m[2])));
    }
  });

  it('gives the same groups with a cache across slider positions, rebuilding only changed subtrees', () => {
    const burst = [photo()];
    for (let k = 1; k < 12; k++) burst.push(photo({ pdq: flip(burst[k - 1]!.pdq, 3 + (k % 4)) }));
    const inputs = [...burst, { ...a, digest: 'a copy' }, a, loner];
    const clustering = clusterFingerprints(inputs, { method: 'pdq', linkage: 'average' });
    const cache = new Map();
    const positions = [0.8, 0.9, 0.95, 0.85, 1, 0.8];
    const cached = positions.map((s) => groupsAt(clustering, inputs, s, {}, cache).map((g) => ({ ...g })));
    positions.forEach((s, k) => expect(cached[k], `at ${s}`).toEqual(groupsAt(clustering, inputs, s)));
    // Back at 0.8, the groups are the very objects built the first time.
    const again = groupsAt(clustering, inputs, 0.8, {}, cache);
    expect(again.every((g) => [...cache.values()].includes(g))).toBe(true);
    expect(cache.size).toBeGreaterThan(again.length);
  });

  it('says when only the first frame or page of a file was compared', () => {
    const animated = photo({ pdq: flip(a.pdq, 2), pages: 12 });
    const groups = groupsAt(clusterFingerprints([a, animated], { method: 'pdq', linkage: 'average' }), [a, animated], 0.9);
    expect(groups[0]!.members.find((m) => m.path === animated.path)!.pages).toBe(12);
    expect(groups[0]!.members.find((m) => m.path === a.path)!.pages).toBeUndefined();
  });

  it('keeps the two formats of one shot together without suggesting either, unless asked to', () => {
    const raw = photo({ path: '/photos/DSC_0042.NEF', format: 'raw-nef', width: 6000, height: 4000, size: 25_000_000 });
    const jpeg = photo({ path: '/photos/DSC_0042.JPG', format: 'jpeg', pdq: flip(raw.pdq, 4), width: 6000, height: 4000, size: 8_000_000 });
    const resized = photo({ path: '/photos/small/DSC_0042.jpg', format: 'jpeg', pdq: flip(raw.pdq, 8), width: 1200, height: 800, size: 400_000 });
    const inputs = [raw, jpeg, resized];
    const clustering = clusterFingerprints(inputs, { method: 'pdq', linkage: 'average' });
    const [group] = groupsAt(clustering, inputs, 0.8);
    const member = (p: string) => group!.members.find((m) => m.path === p)!;
    expect(member(raw.path).keeper).toBe(true);
    expect(member(jpeg.path)).toMatchObject({ companion: true, reason: 'RAW+JPEG pair with the keeper: not suggested' });
    expect(member(resized.path).companion).toBeUndefined(); // another folder, another name: a copy
    expect(group!.reclaimableBytes).toBe(resized.size);
    const [asDuplicates] = groupsAt(clustering, inputs, 0.8, { pairsAreDuplicates: true });
    expect(asDuplicates!.members.some((m) => m.companion)).toBe(false);
    expect(asDuplicates!.reclaimableBytes).toBe(jpeg.size + resized.size);
    // A preferred format decides the keeper before resolution and size.
    const pair = [raw, jpeg];
    const [jpegFirst] = groupsAt(clusterFingerprints(pair, { method: 'pdq', linkage: 'average' }), pair, 0.8, { preferFormat: 'jpeg' });
    expect(jpegFirst!.members[0]).toMatchObject({ path: jpeg.path, keeper: true, reason: 'the format you prefer (jpeg)' });
    expect(jpegFirst!.members[1]).toMatchObject({ path: raw.path, companion: true });
  });

  it('the 64-bit methods work the same way', () => {
    const near = photo({ phash: flip(a.phash, 3) });
    const clustering = clusterFingerprints([a, near, loner], { method: 'phash', linkage: 'average' });
    const groups = groupsAt(clustering, [a, near, loner], 0.9);
    expect(groups).toHaveLength(1);
    expect(groups[0]!.members[1]!.similarity).toBeCloseTo(1 - 3 / 32, 6);
  });

  it('switches big components to single linkage over candidate pairs, and says so', () => {
    const burst = [photo()];
    for (let k = 1; k < 40; k++) burst.push(photo({ pdq: flip(burst[k - 1]!.pdq, 2) }));
    const clustering = clusterFingerprints(burst, { method: 'pdq', linkage: 'average', denseLimit: 10 });
    expect(clustering.components).toHaveLength(1);
    expect(clustering.components[0]!.algorithm).toMatch(/^single linkage over \d+ candidate pairs \(component of 40 photos/);
    expect(clustering.notes).toHaveLength(1);
    expect(groupsAt(clustering, burst, 0.8)[0]!.members).toHaveLength(40);
  });
});

// groupsAt with a keeper the person chose: every member's relation is to that keeper.
import { describe, expect, it } from 'vitest';
import { groupsAt } from './groups';
import { clusterFingerprints } from '../grouping/pipeline';
import { syntheticFingerprints } from './synthetic-fingerprints';

const { flip, photo } = syntheticFingerprints(7);

describe('groupsAt with a chosen keeper', () => {
  const original = photo({ size: 5_000_000 });
  const copy = photo({ digest: original.digest, size: original.size, pdq: original.pdq, pdqDihedral: original.pdqDihedral });
  const near = photo({ pdq: flip(original.pdq, 6), width: 500, height: 375 });
  const files = [original, copy, near];
  const clustering = clusterFingerprints(files, { method: 'pdq-dihedral', linkage: 'average' });
  const member = (group: ReturnType<typeof groupsAt>[number], path: string) => group.members.find((m) => m.path === path)!;

  it('measures every member against the chosen keeper, the suggested one included', () => {
    const [suggested] = groupsAt(clustering, files, 0.9);
    expect(suggested!.members[0]!.path).toBe(original.path);
    const [group] = groupsAt(clustering, files, 0.9, {}, undefined, new Set([near.path]));
    expect(group!.members[0]).toMatchObject({ path: near.path, keeper: true, similarity: 1, reason: 'chosen by you' });
    expect(group!.members[0]!.evidence).toBeUndefined();
    expect(group!.members.filter((m) => m.keeper)).toHaveLength(1);
    // The identical copy is no longer "identical bytes": it is the edited photo's original.
    expect(member(group!, copy.path).similarity).toBeCloseTo(1 - 6 / 128, 6);
    expect(member(group!, copy.path).reason).toMatch(/^same photo/);
    expect(member(group!, copy.path).evidence).toBe('PDQ hashes 6 of 256 bits apart (best of the 8 rotations and flips)');
    // The suggested keeper says so, and what it is to the chosen one.
    expect(member(group!, original.path)).toMatchObject({ keeper: false, similarity: member(group!, copy.path).similarity });
    expect(member(group!, original.path).reason).toMatch(/^suggested keeper; same photo/);
    expect(group!.reclaimableBytes).toBe(original.size + copy.size);
  });

  it('an identical copy chosen instead reads as identical to the suggested keeper', () => {
    const [group] = groupsAt(clustering, files, 0.9, {}, undefined, new Set([copy.path]));
    expect(group!.members[0]!.path).toBe(copy.path);
    expect(member(group!, original.path)).toMatchObject({ similarity: 1, reason: 'suggested keeper; identical bytes', evidence: 'SHA-256 of the two files is equal' });
    expect(member(group!, near.path).similarity).toBeCloseTo(1 - 6 / 128, 6);
  });

  it('draws the dendrogram with the keeper, suggested or chosen, as its first leaf', () => {
    for (const chosen of [new Set<string>(), new Set([near.path]), new Set([copy.path])]) {
      const [group] = groupsAt(clustering, files, 0.9, {}, undefined, chosen);
      expect(group!.order[0]).toBe(0);
      expect([...group!.order].sort()).toEqual([0, 1, 2]);
      // Every merge's leaves sit side by side in the order (no crossing lines).
      const leavesOf = (node: number): number[] => (node < 3 ? [node] : group!.merges[node - 3]!.slice(0, 2).flatMap((c) => leavesOf(c)));
      for (let k = 0; k < group!.merges.length; k++) {
        const at = leavesOf(3 + k).map((leaf) => group!.order.indexOf(leaf));
        expect(Math.max(...at) - Math.min(...at)).toBe(at.length - 1);
      }
    }
  });

  it('caches each choice apart: a slider move reuses the group built for the same keeper', () => {
    const cache = new Map();
    const [first] = groupsAt(clustering, files, 0.9, {}, cache, new Set([near.path]));
    const [plain] = groupsAt(clustering, files, 0.9, {}, cache);
    expect(plain!.members[0]!.path).toBe(original.path);
    const [again] = groupsAt(clustering, files, 0.9, {}, cache, new Set([near.path]));
    expect(again).toBe(first);
  });
});

describe('groupsAt names the orientation a frame match needed', () => {
  const original = photo({ size: 5_000_000, exif: { make: 'Canon', model: 'EOS 400D' } });
  const mirrored = photo({ pdqDihedral: { ...photo().pdqDihedral, flipy: flip(original.pdq, 4) } });
  const turned = photo({ pdqDihedral: { ...photo().pdqDihedral, rotate90: flip(original.pdq, 3) } });
  const resized = photo({ pdq: flip(original.pdq, 5) });
  // Each pair of copies is as far apart as two unrelated photos: the turned one gets its own group.
  const groupOf = (files: typeof original[]) => groupsAt(clusterFingerprints(files, { method: 'pdq-dihedral', linkage: 'average' }), files, 0.9)[0]!;
  const group = groupOf([original, mirrored, resized]);
  const member = (path: string) => [...group.members, ...groupOf([original, turned]).members].find((m) => m.path === path)!;

  it('says "flipped" or "rotated 90°" where only a rotation or flip of the frame matches', () => {
    expect(group.members[0]!.path).toBe(original.path);
    expect(member(mirrored.path).reason).toBe('same photo, flipped');
    expect(member(mirrored.path).evidence).toBe('PDQ hashes 4 of 256 bits apart once flipped (best of the 8 rotations and flips)');
    expect(member(mirrored.path).similarity).toBeCloseTo(1 - 4 / 128, 6);
    expect(member(turned.path).reason).toBe('same photo, rotated 90°');
    expect(member(resized.path).reason).toBe('same photo (re-encoded, resized, rotated, flipped or recoloured)');
  });
});


describe('groupsAt when a member matches the keeper only through another copy', () => {
  const original = photo();
  const copy = photo({ pdq: flip(original.pdq, 4) });
  // Closer to the original than to the copy: with single linkage the group's lowest merge is
  // above its direct similarity to the copy (a flipped copy and a bordered one have none at all).
  const far = photo({ pdq: flip(original.pdq, 3) });
  const files = [original, copy, far];
  const clustering = clusterFingerprints(files, { method: 'pdq-dihedral', linkage: 'single' });

  it('gives the similarity of the path through that copy, and names it', () => {
    const direct = clustering.similarity(2, 1);
    const [group] = groupsAt(clustering, files, 0.9, {}, undefined, new Set([copy.path]));
    const member = group!.members.find((m) => m.path === far.path)!;
    expect(group!.members[0]!.path).toBe(copy.path);
    expect(member.similarity).toBeGreaterThanOrEqual(group!.similarity);
    expect(member.similarity).toBeCloseTo(Math.min(clustering.similarity(2, 0), clustering.similarity(0, 1)), 6);
    expect(member.similarity).toBeGreaterThan(direct);
    expect(member.reason.endsWith(`same photo (re-encoded, resized, rotated, flipped or recoloured), through ${original.path.split('/').pop()}`)).toBe(true);
    expect(member.evidence).toMatch(/^through .+: PDQ hashes 3 of 256 bits apart .*; it and the keeper: PDQ hashes 4 of 256 bits apart/);
  });
});

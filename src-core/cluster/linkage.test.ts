// NN-chain linkage against a textbook O(n³) agglomerative clustering.
import { describe, expect, it } from 'vitest';
import { Dendrogram, LINKAGES, type Linkage, type Merge } from './dendrogram';
import { denseLinkage, sparseSingleLinkage } from './linkage';

function randomSimilarities(n: number, seed: number): number[][] {
  let state = seed;
  const next = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const s = Array.from({ length: n }, () => new Array<number>(n).fill(1));
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) s[i]![j] = s[j]![i] = Math.round(next() * 1000) / 1000 + i * 1e-7 + j * 1e-9;
  return s;
}

/** Repeatedly merge the two most similar clusters; cluster similarity by the linkage rule
 *  recomputed from scratch over member pairs. Returns merge similarities and memberships. */
function naive(s: number[][], linkage: Linkage): Array<{ similarity: number; members: number[] }> {
  let clusters = s.map((_, i) => [i]);
  const out: Array<{ similarity: number; members: number[] }> = [];
  const between = (a: number[], b: number[]) => {
    const values = a.flatMap((i) => b.map((j) => s[i]![j]!));
    if (linkage === 'single') return Math.max(...values);
    if (linkage === 'complete') return Math.min(...values);
    return values.reduce((x, y) => x + y, 0) / values.length;
  };
  while (clusters.length > 1) {
    let best = [-1, -1, -Infinity] as [number, number, number];
    for (let a = 0; a < clusters.length; a++) for (let b = a + 1; b < clusters.length; b++) {
      const sim = between(clusters[a]!, clusters[b]!);
      if (sim > best[2]) best = [a, b, sim];
    }
    const merged = [...clusters[best[0]]!, ...clusters[best[1]]!].sort((x, y) => x - y);
    out.push({ similarity: best[2], members: merged });
    clusters = clusters.filter((_, k) => k !== best[0] && k !== best[1]).concat([merged]);
  }
  return out;
}

function membersOf(merges: readonly Merge[], n: number): Array<{ similarity: number; members: number[] }> {
  const sets: number[][] = [];
  const leaves = (node: number): number[] => (node < n ? [node] : sets[node - n]!);
  return merges.map(([l, r, similarity]) => {
    const members = [...leaves(l), ...leaves(r)].sort((x, y) => x - y);
    sets.push(members);
    return { similarity, members };
  });
}

describe('denseLinkage', () => {
  it.each(LINKAGES)('%s linkage equals the naive algorithm on random data', (linkage) => {
    for (const seed of [1, 2, 3, 4]) {
      const s = randomSimilarities(24, seed);
      const merges = denseLinkage(24, (i, j) => s[i]![j]!, linkage);
      const got = membersOf(merges, 24);
      const want = naive(s, linkage);
      expect(got.map((m) => m.members)).toEqual(want.map((m) => m.members));
      got.forEach((m, k) => expect(m.similarity).toBeCloseTo(want[k]!.similarity, 9));
      // Dendrogram format: decreasing similarity, sizes add up, children before parents.
      merges.forEach(([l, r, sim, size], k) => {
        if (k > 0) expect(sim).toBeLessThanOrEqual(merges[k - 1]![2] + 1e-12);
        expect(l).toBeLessThan(24 + k);
        expect(r).toBeLessThan(24 + k);
        expect(size).toBe(got[k]!.members.length);
      });
    }
  });
});

describe('sparseSingleLinkage', () => {
  it('equals dense single linkage when every edge is given', () => {
    const s = randomSimilarities(30, 9);
    const edges: Array<[number, number, number]> = [];
    for (let i = 0; i < 30; i++) for (let j = i + 1; j < 30; j++) edges.push([i, j, s[i]![j]!]);
    expect(membersOf(sparseSingleLinkage(30, edges), 30)).toEqual(membersOf(denseLinkage(30, (i, j) => s[i]![j]!, 'single'), 30));
  });
});

describe('Dendrogram', () => {
  // Leaves 0..4: (0,1)@0.95 → 5, (2,3)@0.9 → 6, (5,6)@0.85 → 7, (7,4)@0.5 → 8.
  const tree = new Dendrogram(5, [
    [0, 1, 0.95, 2],
    [2, 3, 0.9, 2],
    [5, 6, 0.85, 4],
    [4, 7, 0.5, 5],
  ]);
  const cut = (s: number) => tree.cut(s).map((g) => Array.from(g.leaves).sort());

  it('cuts into the maximal subtrees at or above the similarity', () => {
    expect(cut(0.99)).toEqual([]);
    expect(cut(0.95)).toEqual([[0, 1]]);
    expect(cut(0.9)).toEqual([[0, 1], [2, 3]]);
    expect(cut(0.85)).toEqual([[0, 1, 2, 3]]);
    expect(cut(0.1)).toEqual([[0, 1, 2, 3, 4]]);
  });

  it('draws every subtree as a contiguous run of leaves', () => {
    expect(Array.from(tree.order).sort()).toEqual([0, 1, 2, 3, 4]);
    for (const s of [0.95, 0.9, 0.85, 0.5]) {
      for (const group of tree.cut(s)) {
        const positions = Array.from(group.leaves, (leaf) => tree.order.indexOf(leaf)).sort((a, b) => a - b);
        expect(positions.at(-1)! - positions[0]!).toBe(positions.length - 1);
      }
    }
  });

  it('renumbers a subtree for its own leaves', () => {
    const [group] = tree.cut(0.85);
    const sub = tree.subtree(group!.merge, group!.leaves);
    expect(sub).toHaveLength(3);
    expect(sub.at(-1)).toEqual([4, 5, 0.85, 4]);
    const leaves = Array.from(group!.leaves);
    expect(sub.slice(0, 2).map(([l, r]) => [leaves[l], leaves[r]].sort())).toEqual([[0, 1], [2, 3]]);
  });

  it('handles a 100,000-leaf chain without recursion', () => {
    const n = 100_000;
    const merges: Merge[] = [];
    for (let k = 0; k < n - 1; k++) merges.push([k === 0 ? 0 : n + k - 1, k + 1, 1 - k / n, k + 2]);
    const chain = new Dendrogram(n, merges);
    // Merges 0..n/2 have similarity ≥ 0.5: n/2 + 1 merges join n/2 + 2 leaves.
    expect(chain.cut(0.5)[0]!.leaves.length).toBe(n / 2 + 2);
    expect(chain.subtree(chain.cut(0.5)[0]!.merge, chain.cut(0.5)[0]!.leaves)).toHaveLength(n / 2 + 1);
  });
});

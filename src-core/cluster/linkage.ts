// Agglomerative clustering of one connected component.
import type { Linkage, Merge } from './dendrogram';
import { UnionFind } from './union-find';

/** Condensed upper-triangle index of pair (i, j), i < j, among n. */
function pairIndex(n: number, i: number, j: number): number {
  return i < j ? n * i - (i * (i + 1)) / 2 + (j - i - 1) : n * j - (j * (j + 1)) / 2 + (i - j - 1);
}

/**
 * Exact hierarchical clustering from all n(n−1)/2 pair similarities, with the nearest-neighbour
 * chain algorithm (O(n²) time and memory; valid for single, complete and average linkage, which
 * are all reducible). Returns the merges sorted by decreasing similarity in dendrogram format.
 */
export function denseLinkage(n: number, similarity: (i: number, j: number) => number, linkage: Linkage): Merge[] {
  const distance = new Float64Array((n * (n - 1)) / 2);
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) distance[pairIndex(n, i, j)] = 1 - similarity(i, j);
  const size = new Int32Array(n).fill(1);
  const active: number[] = Array.from({ length: n }, (_, i) => i);
  const position = Int32Array.from(active); // where each slot sits in `active`
  const raw: Array<[number, number, number]> = [];
  const chain: number[] = [];
  while (active.length > 1) {
    if (chain.length === 0) chain.push(active[0]!);
    const a = chain[chain.length - 1]!;
    const previous = chain.length > 1 ? chain[chain.length - 2]! : -1;
    // Nearest active neighbour of a; on ties keep the previous chain element, which is what
    // guarantees the chain ends in a reciprocal pair.
    let b = previous;
    let best = previous >= 0 ? distance[pairIndex(n, a, previous)]! : Infinity;
    for (const c of active) {
      if (c === a) continue;
      const d = distance[pairIndex(n, a, c)]!;
      if (d < best) {
        best = d;
        b = c;
      }
    }
    if (b !== previous) {
      chain.push(b);
      continue;
    }
    chain.length -= 2;
    raw.push([a, b, best]);
    // Lance–Williams update: the merged cluster lives in slot a; slot b retires.
    for (const c of active) {
      if (c === a || c === b) continue;
      const ac = pairIndex(n, a, c);
      const dac = distance[ac]!;
      const dbc = distance[pairIndex(n, b, c)]!;
      distance[ac] =
        linkage === 'single' ? Math.min(dac, dbc) : linkage === 'complete' ? Math.max(dac, dbc) : (size[a]! * dac + size[b]! * dbc) / (size[a]! + size[b]!);
    }
    size[a]! += size[b]!;
    const last = active.pop()!;
    if (last !== b) {
      active[position[b]!] = last;
      position[last] = position[b]!;
    }
  }
  raw.sort((x, y) => x[2] - y[2]);
  return labelMerges(n, raw.map(([a, b, d]) => [a, b, 1 - d]));
}

/**
 * Exact single linkage over a sparse graph (Kruskal's minimum spanning tree): for components
 * too large for all n² similarities. Edges absent from the graph count as below the floor.
 */
export function sparseSingleLinkage(n: number, edges: ReadonlyArray<[number, number, number]>): Merge[] {
  const sorted = [...edges].sort((x, y) => y[2] - x[2]);
  return labelMerges(n, sorted);
}

/** Turns merges of leaf representatives, in merge order, into dendrogram node ids (leaves
 *  0..n-1, merge k → n+k), skipping pairs already joined. */
function labelMerges(n: number, merges: ReadonlyArray<[number, number, number]>): Merge[] {
  const sets = new UnionFind(n);
  const node = Int32Array.from({ length: n }, (_, i) => i);
  const size = new Int32Array(n).fill(1);
  const out: Merge[] = [];
  for (const [a, b, similarity] of merges) {
    const ra = sets.find(a);
    const rb = sets.find(b);
    if (ra === rb) continue;
    const left = Math.min(node[ra]!, node[rb]!);
    const right = Math.max(node[ra]!, node[rb]!);
    const merged = size[ra]! + size[rb]!;
    const root = sets.union(ra, rb);
    node[root] = n + out.length;
    size[root] = merged;
    out.push([left, right, similarity, merged]);
  }
  return out;
}

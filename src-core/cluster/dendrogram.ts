// Dendrograms as merge lists, and cutting them at a similarity.
//
// A dendrogram over n leaves is a list of merges [left, right, similarity, size] in order of
// decreasing similarity; node ids 0..n-1 are the leaves and n+k is the cluster made by merge k
// (scipy's linkage format, with similarity instead of distance). Every subtree is a contiguous
// run of the leaf order, so a cut is a list of runs: no per-cut union-find, linear in merges.

export type Merge = [left: number, right: number, similarity: number, size: number];
export const LINKAGES = ['average', 'single', 'complete'] as const;
export type Linkage = (typeof LINKAGES)[number];

export class Dendrogram {
  /** Leaves in drawing order: each subtree is order[start[k] .. start[k] + size[k]). */
  readonly order: Int32Array;
  private readonly start: Int32Array;
  /** Similarity of each merge's parent merge (-1 for a root). */
  private readonly parentSimilarity: Float64Array;

  constructor(
    readonly leaves: number,
    readonly merges: readonly Merge[],
  ) {
    const m = merges.length;
    this.start = new Int32Array(m);
    this.parentSimilarity = new Float64Array(m).fill(-1);
    for (let k = 0; k < m; k++) {
      const [left, right, similarity] = merges[k]!;
      for (const child of [left, right]) if (child >= leaves) this.parentSimilarity[child - leaves] = similarity;
    }
    this.order = new Int32Array(leaves);
    let next = 0;
    const placed = new Uint8Array(leaves);
    // Roots from the last merge back: a forest when the leaves never all merged.
    for (let k = m - 1; k >= 0; k--) {
      if (this.parentSimilarity[k] === -1) next = this.place(leaves + k, next, placed);
    }
    for (let leaf = 0; leaf < leaves; leaf++) if (!placed[leaf]) this.order[next++] = leaf;
  }

  /** Depth-first, left before right, iteratively (deep single-linkage chains would overflow
   *  the call stack). Returns the next free position in the order. */
  private place(root: number, next: number, placed: Uint8Array): number {
    const stack = [root];
    while (stack.length > 0) {
      const node = stack.pop()!;
      if (node < this.leaves) {
        this.order[next++] = node;
        placed[node] = 1;
        continue;
      }
      const k = node - this.leaves;
      this.start[k] = next;
      const [left, right] = this.merges[k]!;
      stack.push(right, left);
    }
    return next;
  }

  /** Flat groups (2+ leaves) of the cut at `similarity`: the maximal subtrees whose merges are
   *  all at or above it. Each group is its merge index and its leaves in drawing order. */
  cut(similarity: number): Array<{ merge: number; leaves: Int32Array }> {
    const groups: Array<{ merge: number; leaves: Int32Array }> = [];
    for (let k = 0; k < this.merges.length; k++) {
      const [, , s, size] = this.merges[k]!;
      if (s >= similarity && this.parentSimilarity[k]! < similarity) {
        groups.push({ merge: k, leaves: this.order.subarray(this.start[k]!, this.start[k]! + size) });
      }
    }
    return groups;
  }

  /** The merges inside merge `k`'s subtree, renumbered for its own leaves as listed in
   *  `leaves` (leaf i of the result is leaves[i]). */
  subtree(k: number, leaves: ArrayLike<number>): Merge[] {
    const local = new Map<number, number>();
    for (let i = 0; i < leaves.length; i++) local.set(leaves[i]!, i);
    const inside: number[] = [];
    const stack = [k];
    while (stack.length > 0) {
      const merge = stack.pop()!;
      inside.push(merge);
      for (const child of this.merges[merge]!.slice(0, 2) as number[]) if (child >= this.leaves) stack.push(child - this.leaves);
    }
    inside.sort((a, b) => a - b);
    const rank = new Map(inside.map((merge, k) => [merge, k]));
    const renumber = (node: number) => (node < this.leaves ? local.get(node)! : leaves.length + rank.get(node - this.leaves)!);
    return inside.map((merge) => {
      const [left, right, s, size] = this.merges[merge]!;
      return [renumber(left), renumber(right), s, size] as Merge;
    });
  }
}

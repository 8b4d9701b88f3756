// Which pairs go to a worker together: pairs that share images, so each worker decodes and
// detects an image once and matches every pair it is in from its cache. Candidates come in
// clusters (an original, its copies, their look-alikes); a cluster's pairs go in consecutive
// batches, the pairs of one image side by side.

/** Pairs a worker takes at once: big enough to reuse images, small enough that a batch of big
 *  photos stays far inside the job timeout and a crash costs little. */
export const MAX_BATCH = 16;

/** Batches of indices into `pairs` (every index once); `keys` gives a pair's two image keys
 *  (content digests). With `workers` processes there are at least two batches per worker when
 *  the pairs allow it, so none sits idle while another works through a long batch. */
export function batchPairsByImage(pairs: ReadonlyArray<readonly [string, string]>, workers: number): number[][] {
  const parent = new Map<string, string>();
  const root = (key: string): string => {
    let node = key;
    while (parent.has(node) && parent.get(node) !== node) node = parent.get(node)!;
    parent.set(key, node);
    return node;
  };
  for (const [a, b] of pairs) {
    if (!parent.has(a)) parent.set(a, a);
    if (!parent.has(b)) parent.set(b, b);
    const [ra, rb] = [root(a), root(b)];
    if (ra !== rb) parent.set(ra, rb);
  }
  const ordered = pairs.map((p, index) => {
    const [low, high] = p[0] < p[1] ? [p[0], p[1]] : [p[1], p[0]];
    return { index, cluster: root(low), low, high };
  });
  ordered.sort((x, y) => compare(x.cluster, y.cluster) || compare(x.low, y.low) || compare(x.high, y.high));
  const size = Math.max(1, Math.min(MAX_BATCH, Math.ceil(pairs.length / (2 * Math.max(1, workers)))));
  // A cluster is cut into batches of `size`; a batch with room takes the next cluster's first
  // part only if it fits whole, so small clusters share a batch and none is split needlessly.
  const batches: number[][] = [];
  for (let start = 0; start < ordered.length; ) {
    let end = start;
    while (end < ordered.length && ordered[end]!.cluster === ordered[start]!.cluster) end++;
    for (let at = start; at < end; at += size) {
      const part = ordered.slice(at, Math.min(end, at + size)).map((p) => p.index);
      const last = batches[batches.length - 1];
      if (last && at === start && last.length + part.length <= size) last.push(...part);
      else batches.push(part);
    }
    start = end;
  }
  return batches;
}

const compare = (x: string, y: string) => (x < y ? -1 : x > y ? 1 : 0);

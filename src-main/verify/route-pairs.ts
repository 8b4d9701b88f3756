// Which pairs go to a worker together: pairs that share images, so each worker decodes and
// detects an image once and matches every pair it is in from its cache. Candidates come in
// clusters (an original, its copies, their look-alikes); a cluster's pairs go in consecutive
// batches, the pairs of one image side by side, and each worker works through its own run of
// consecutive batches (lanes): batches dealt out in turn made two workers decode 1.7 images for
// every image the dev set's candidates hold.

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
  const rank = breadthFirstRanks(pairs);
  const ordered = pairs.map((p, index) => {
    const [low, high] = rank.get(p[0])! < rank.get(p[1])! ? [rank.get(p[0])!, rank.get(p[1])!] : [rank.get(p[1])!, rank.get(p[0])!];
    return { index, cluster: root(p[0]), low, high };
  });
  ordered.sort((x, y) => compare(x.cluster, y.cluster) || x.low - y.low || x.high - y.high);
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

/** Images numbered breadth first through the candidate graph (from each cluster's first image
 *  by key, neighbours by key): an image's pairs then sit near its neighbours' pairs, so a run of
 *  consecutive pairs holds few images, and two runs few in common. */
function breadthFirstRanks(pairs: ReadonlyArray<readonly [string, string]>): Map<string, number> {
  const neighbours = new Map<string, string[]>();
  for (const [a, b] of pairs) {
    if (!neighbours.has(a)) neighbours.set(a, []);
    if (!neighbours.has(b)) neighbours.set(b, []);
    neighbours.get(a)!.push(b);
    neighbours.get(b)!.push(a);
  }
  const rank = new Map<string, number>();
  for (const start of [...neighbours.keys()].sort(compare)) {
    if (rank.has(start)) continue;
    const queue = [start];
    rank.set(start, rank.size);
    for (let at = 0; at < queue.length; at++) {
      for (const next of neighbours.get(queue[at]!)!.sort(compare)) {
        if (rank.has(next)) continue;
        rank.set(next, rank.size);
        queue.push(next);
      }
    }
  }
  return rank;
}

/** The batches in `workers` runs of consecutive batches (in order) with about equal numbers of
 *  pairs: a cluster is split between two workers only where one run ends. */
export function lanes(batches: number[][], workers: number): number[][][] {
  const total = batches.reduce((n, batch) => n + batch.length, 0);
  const count = Math.max(1, workers);
  const out: number[][][] = Array.from({ length: count }, () => []);
  let done = 0;
  for (const batch of batches) {
    out[Math.min(count - 1, Math.floor((done * count) / Math.max(1, total)))]!.push(batch);
    done += batch.length;
  }
  return out;
}

/** The next batch for the worker of `own`: its own lane's next, else the last of the longest
 *  other lane (the images its owner would reach last). */
export function nextBatch(own: number[][], all: number[][][]): number[] | undefined {
  if (own.length > 0) return own.shift();
  const longest = all.reduce((a, b) => (b.length > a.length ? b : a));
  return longest.pop();
}

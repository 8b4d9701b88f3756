// Pair precision / recall / F1 of one tool's groups against a folder's ground truth, overall and
// per transform. Only planted files (those in the truth) are scored; groups touching unplanted
// filler photos are counted apart, since every pair with a filler photo is a false one.

export interface TruthFile {
  /** File name inside the folder (folders are flat). */
  name: string;
  group: string;
  transform: string;
}

export interface PairCounts {
  truePairs: number;
  predictedPairs: number;
  positivePairs: number;
}

export interface Score extends PairCounts {
  precision: number;
  recall: number;
  f1: number;
  /** Per transform: the (file of the 'original' transform, file of this transform) pairs; for
   *  'original' itself, pairs of originals (byte-different copies of one original). */
  byTransform: Map<string, PairCounts>;
  /** Predicted pairs with at least one filler photo in them. */
  fillerPairs: number;
  /** Files the tool named that are in no group of the folder (neither planted nor filler). */
  unknownPaths: number;
}

const ORIGINAL = 'original';
const pairsIn = (k: number) => (k * (k - 1)) / 2;

export const ratio = (numerator: number, denominator: number, empty = 1) => (denominator === 0 ? empty : numerator / denominator);

export function f1Of(counts: PairCounts): { precision: number; recall: number; f1: number } {
  const precision = ratio(counts.truePairs, counts.predictedPairs);
  const recall = ratio(counts.truePairs, counts.positivePairs, 0);
  return { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall) };
}

/** `groups`: the tool's groups as file names. A file named in two groups joins them (the user
 *  sees them linked), so predicted groups are the connected components. */
export function score(truth: TruthFile[], fillerNames: ReadonlySet<string>, groups: string[][]): Score {
  const indexOf = new Map(truth.map((f, i) => [f.name, i]));
  const fillerIndex = new Map([...fillerNames].map((name, i) => [name, truth.length + i]));
  const parent = Int32Array.from({ length: truth.length + fillerIndex.size }, (_, i) => i);
  const find = (i: number): number => {
    while (parent[i] !== i) i = parent[i] = parent[parent[i]!]!;
    return i;
  };
  const grouped = new Uint8Array(parent.length);
  let unknownPaths = 0;
  for (const members of groups) {
    let first = -1;
    for (const name of members) {
      const i = indexOf.get(name) ?? fillerIndex.get(name);
      if (i === undefined) {
        unknownPaths++;
        continue;
      }
      grouped[i] = 1;
      if (first < 0) first = i;
      else parent[find(i)] = find(first);
    }
  }
  // Component sizes: all members, and planted members per (component, true group, transform).
  const componentSize = new Map<number, number>();
  const plantedSize = new Map<number, number>();
  for (let i = 0; i < parent.length; i++) {
    if (!grouped[i]) continue;
    const c = find(i);
    componentSize.set(c, (componentSize.get(c) ?? 0) + 1);
    if (i < truth.length) plantedSize.set(c, (plantedSize.get(c) ?? 0) + 1);
  }
  let fillerPairs = 0;
  for (const [c, size] of componentSize) fillerPairs += pairsIn(size) - pairsIn(plantedSize.get(c) ?? 0);

  // Files per transform, bucketed three ways: by (component, true group), by component, by true group.
  const tally = (keyOf: (f: TruthFile, i: number) => string | undefined) => {
    const buckets = new Map<string, Map<string, number>>();
    truth.forEach((f, i) => {
      const key = keyOf(f, i);
      if (key === undefined) return;
      let byTransform = buckets.get(key);
      if (!byTransform) buckets.set(key, (byTransform = new Map()));
      byTransform.set(f.transform, (byTransform.get(f.transform) ?? 0) + 1);
    });
    return [...buckets.values()];
  };
  const cells = tally((f, i) => (grouped[i] ? `${find(i)}\u0000${f.group}` : undefined));
  const components = tally((_, i) => (grouped[i] ? String(find(i)) : undefined));
  const trueGroups = tally((f) => f.group);
  const allPairs = (buckets: Array<Map<string, number>>) => buckets.reduce((sum, b) => sum + pairsIn([...b.values()].reduce((n, k) => n + k, 0)), 0);
  const transformPairs = (buckets: Array<Map<string, number>>, transform: string) =>
    buckets.reduce((sum, b) => {
      const originals = b.get(ORIGINAL) ?? 0;
      return sum + (transform === ORIGINAL ? pairsIn(originals) : originals * (b.get(transform) ?? 0));
    }, 0);

  const byTransform = new Map<string, PairCounts>();
  for (const t of new Set(truth.map((f) => f.transform))) {
    byTransform.set(t, { truePairs: transformPairs(cells, t), predictedPairs: transformPairs(components, t), positivePairs: transformPairs(trueGroups, t) });
  }
  const counts = { truePairs: allPairs(cells), predictedPairs: allPairs(components), positivePairs: allPairs(trueGroups) };
  return { ...counts, ...f1Of(counts), byTransform, fillerPairs, unknownPaths };
}

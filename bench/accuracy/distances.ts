// The raw-distance view, no clustering: bits between pairs of dev-set files under one method
// (for PDQ-dihedral the minimum over the dihedral variants), grouped by what the pair is.
import type { Fingerprint } from '../../src-core/fingerprint';
import { pairDistance } from '../../src-core/similarity/hash-codes';
import { packHashes, type Method } from '../../src-core/similarity/methods';
import type { DevSet } from './devset';
import { ORIGINAL } from './transforms';

export interface DistanceRow {
  label: string;
  /** Sorted ascending. */
  distances: number[];
}

const NO_LIMIT = 1 << 16;

/** One row per transform (original → transformed copy), then two rows of negatives: every
 *  cross-group pair, and the hard-negative pairs (different shots of a similar scene). */
export function distanceRows(dev: DevSet, method: Method): DistanceRow[] {
  const hashed = dev.fingerprints.flatMap((f, i) => (f ? [i] : []));
  const codes = packHashes(method, hashed.map((i) => dev.fingerprints[i] as Fingerprint));
  const codeOf = new Int32Array(dev.files.length).fill(-1);
  hashed.forEach((i, row) => (codeOf[i] = row));
  const distance = (i: number, j: number) => pairDistance(codes, codeOf[i]!, codeOf[j]!, NO_LIMIT);
  const bothHashed = (i: number, j: number) => codeOf[i]! >= 0 && codeOf[j]! >= 0;

  const byTransform = new Map<string, number[]>(dev.transforms.map((t) => [t.name, []]));
  dev.files.forEach((f, i) => {
    const original = dev.originalOf[f.group]!;
    if (f.transform !== ORIGINAL && bothHashed(i, original)) byTransform.get(f.transform)!.push(distance(i, original));
  });
  const crossGroup: number[] = [];
  const hardNegative: number[] = [];
  const isHardNegative = new Set(dev.hardNegatives.flatMap(([a, b]) => [`${a},${b}`, `${b},${a}`]));
  for (let i = 0; i < dev.files.length; i++) {
    for (let j = i + 1; j < dev.files.length; j++) {
      const [gi, gj] = [dev.files[i]!.group, dev.files[j]!.group];
      if (gi === gj || !bothHashed(i, j)) continue;
      const d = distance(i, j);
      crossGroup.push(d);
      if (isHardNegative.has(`${gi},${gj}`)) hardNegative.push(d);
    }
  }
  const sorted = (xs: number[]) => xs.sort((a, b) => a - b);
  return [
    ...[...byTransform].map(([label, ds]) => ({ label, distances: sorted(ds) })),
    { label: 'negatives: all cross-group pairs', distances: sorted(crossGroup) },
    { label: 'negatives: hard-negative pairs', distances: sorted(hardNegative) },
  ];
}

/** Nearest-rank quantile of a sorted list (an actual distance, no interpolation). */
export function quantile(sorted: readonly number[], q: number): number {
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

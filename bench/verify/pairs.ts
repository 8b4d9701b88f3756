// The dev set's ground truth (.bench/devset, see ../shared/bench-data/README.md) as the pairs
// the verifier is scored on: each original against its transformed copies, the hard-negative
// photo pairs (different shots of a similar scene) and random pairs across groups.
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { seededRandom } from '../../src-core/random';

export const DEVSET_DIR = fileURLToPath(new URL('../../.bench/devset/', import.meta.url));

interface TruthJson {
  files: Array<{ file: string; group: string; transform: string }>;
  hardNegativePairs: Array<{ a: string; b: string }>;
}

export interface DevFile {
  path: string;
  group: string;
  transform: string;
}

export interface Pair {
  a: number;
  b: number;
  /** The transform of b for a positive; 'hard negative' or 'random negative' otherwise. */
  kind: string;
  positive: boolean;
}

export const HARD_NEGATIVE = 'hard negative';
export const RANDOM_NEGATIVE = 'random negative';
export const COPY_PAIR = 'copy vs copy';
/** Files outside a hard-negative pair of groups that each hard pair also samples against. */
const HARD_EXTRA_PER_PAIR = 30;

export function loadDevFiles(): DevFile[] {
  const truthPath = join(DEVSET_DIR, 'truth.json');
  if (!existsSync(truthPath)) throw new Error(`no dev set at ${DEVSET_DIR}: generate it with ../shared/bench-data/make-dataset.mjs`);
  const truth = JSON.parse(readFileSync(truthPath, 'utf8')) as TruthJson;
  return truth.files.map((f) => ({ path: join(DEVSET_DIR, f.file), group: f.group, transform: f.transform }));
}

export function hardNegativeGroups(): Array<[string, string]> {
  const truth = JSON.parse(readFileSync(join(DEVSET_DIR, 'truth.json'), 'utf8')) as TruthJson;
  return truth.hardNegativePairs.map(({ a, b }) => [a, b]);
}

export function scoredPairs(files: DevFile[], randomNegatives: number, seed = 1): Pair[] {
  const random = seededRandom(seed);
  const byGroup = new Map<string, number[]>();
  files.forEach((f, i) => byGroup.set(f.group, [...(byGroup.get(f.group) ?? []), i]));
  const originalOf = (group: string) => byGroup.get(group)!.find((i) => files[i]!.transform === 'original')!;
  const pairs: Pair[] = [];
  for (const [group, members] of byGroup) {
    const original = originalOf(group);
    for (const i of members) if (i !== original) pairs.push({ a: original, b: i, kind: files[i]!.transform, positive: true });
  }
  // Hard negatives: each original against every file of the other group (both ways), plus a
  // sample of any file of one group against any of the other.
  for (const [ga, gb] of hardNegativeGroups()) {
    const [ma, mb] = [byGroup.get(ga)!, byGroup.get(gb)!];
    for (const j of mb) pairs.push({ a: originalOf(ga), b: j, kind: HARD_NEGATIVE, positive: false });
    for (const j of ma) pairs.push({ a: originalOf(gb), b: j, kind: HARD_NEGATIVE, positive: false });
    for (let k = 0; k < HARD_EXTRA_PER_PAIR; k++) pairs.push({ a: ma[random() % ma.length]!, b: mb[random() % mb.length]!, kind: HARD_NEGATIVE, positive: false });
  }
  for (let added = 0; added < randomNegatives; ) {
    const a = random() % files.length;
    const b = random() % files.length;
    if (files[a]!.group === files[b]!.group) continue;
    pairs.push({ a, b, kind: RANDOM_NEGATIVE, positive: false });
    added++;
  }
  return pairs;
}

/** Two edited copies of the same photo (say a crop and a mirrored greyscale copy): not in the
 *  targets, but a library holds such pairs too. */
export function copyPairs(files: DevFile[], count: number, seed = 2): Pair[] {
  const random = seededRandom(seed);
  const copies = files.flatMap((f, i) => (f.transform === 'original' ? [] : [i]));
  const pairs: Pair[] = [];
  while (pairs.length < count) {
    const a = copies[random() % copies.length]!;
    const b = copies[random() % copies.length]!;
    if (a !== b && files[a]!.group === files[b]!.group) pairs.push({ a, b, kind: COPY_PAIR, positive: true });
  }
  return pairs;
}

// Scoring one flat clustering (a dendrogram cut) against the dev set's ground truth.
import type { Clustering } from '../../src-core/cluster/clustering';
import type { DevSet } from './devset';
import { ORIGINAL } from './transforms';

export interface Evaluation {
  similarity: number;
  truePairs: number;
  falsePairs: number;
  missedPairs: number;
  precision: number;
  recall: number;
  f1: number;
  /** Per transform: how many (group original, file of that transform) pairs share a group. */
  found: Map<string, number>;
  /** Per transform (and "original"): files put in a group that holds another photo's file. */
  mixed: Map<string, number>;
  distractorsGrouped: number;
  /** File pairs across hard-negative group pairs predicted together, and how many of the
   *  hard-negative group pairs that touches. */
  hardNegativePairs: number;
  hardNegativeGroups: number;
  contains: ContainsEvaluation;
}

/** The (collage, photo inside it) pairs: the photo's group original against the collage file. */
export interface ContainsEvaluation {
  pairs: number;
  /** Put in one group: wrong, a collage is not a duplicate of the photos inside it. */
  sameGroup: number;
  /** Of `pairs`, reported as "appears inside" (the collage holds any file of the group: a copy
   *  is the same photo); undefined when no report was passed. */
  reported?: number;
  /** Reported file pairs that are no collage holding a file of a group it contains. */
  falseContains?: number;
}

/** The "appears inside" relation the product reported, as (holder, held) dev-set file indices. */
export type ContainsReport = Array<[holder: number, held: number]>;

function evaluateContains(dev: DevSet, labels: Int32Array, reported?: ContainsReport): ContainsEvaluation {
  let sameGroup = 0;
  for (const [collage, group] of dev.contains) {
    const photo = dev.originalOf[group]!;
    if (labels[collage]! >= 0 && labels[collage] === labels[photo]) sameGroup++;
  }
  if (!reported) return { pairs: dev.contains.length, sameGroup };
  const expected = new Set(dev.contains.map(([collage, group]) => `${collage}>${group}`));
  const found = new Set<string>();
  const falsePairs = new Set<string>();
  for (const [holder, held] of reported) {
    const pair = `${holder}>${dev.files[held]!.group}`;
    if (expected.has(pair)) found.add(pair);
    else falsePairs.add(`${holder}>${held}`);
  }
  return { pairs: dev.contains.length, sameGroup, reported: found.size, falseContains: falsePairs.size };
}

/** Predicted group of every dev-set file at `similarity` (-1: in no group). `inputOf` maps the
 *  library's input index to the dev-set file index (unhashable files are not inputs). */
export function cutLabels(library: Clustering, inputOf: Int32Array, fileCount: number, similarity: number): Int32Array {
  const labels = new Int32Array(fileCount).fill(-1);
  let next = 0;
  for (const component of library.components) {
    for (const group of component.tree.cut(similarity)) {
      for (const leaf of group.leaves) labels[inputOf[component.members[leaf]!]!] = next;
      next++;
    }
  }
  return labels;
}

const pairsIn = (k: number) => (k * (k - 1)) / 2;

function increment<K>(map: Map<K, number>, key: K, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/** Contingency of predicted groups × true groups: every pair count below follows from it. */
class Contingency {
  readonly size = new Map<number, number>();
  private readonly cell = new Map<number, number>();

  constructor(
    private readonly labels: Int32Array,
    private readonly dev: DevSet,
  ) {
    labels.forEach((label, i) => {
      if (label < 0) return;
      increment(this.size, label);
      increment(this.cell, this.key(label, dev.files[i]!.group));
    });
  }

  private key(label: number, group: number): number {
    return label * this.dev.groupNames.length + group;
  }

  count(label: number, group: number): number {
    return this.cell.get(this.key(label, group)) ?? 0;
  }

  truePairs(): number {
    let sum = 0;
    for (const k of this.cell.values()) sum += pairsIn(k);
    return sum;
  }

  predictedPairs(): number {
    let sum = 0;
    for (const k of this.size.values()) sum += pairsIn(k);
    return sum;
  }

  /** File `i` shares its predicted group with a file of another photo. */
  isMixed(i: number): boolean {
    const label = this.labels[i]!;
    return label >= 0 && this.size.get(label)! > this.count(label, this.dev.files[i]!.group);
  }
}

export function evaluate(dev: DevSet, labels: Int32Array, similarity: number, reportedContains?: ContainsReport): Evaluation {
  const table = new Contingency(labels, dev);
  const truePairs = table.truePairs();
  const falsePairs = table.predictedPairs() - truePairs;
  const precision = truePairs + falsePairs === 0 ? 1 : truePairs / (truePairs + falsePairs);
  const recall = truePairs / dev.positivePairs;
  const found = new Map<string, number>();
  const mixed = new Map<string, number>();
  let distractorsGrouped = 0;
  dev.files.forEach((f, i) => {
    const original = dev.originalOf[f.group]!;
    if (f.transform !== ORIGINAL && labels[i]! >= 0 && labels[i] === labels[original]) increment(found, f.transform);
    if (!table.isMixed(i)) return;
    increment(mixed, f.transform);
    if (dev.isDistractor[f.group]) distractorsGrouped++;
  });
  let hardNegativePairs = 0;
  let hardNegativeGroups = 0;
  for (const [a, b] of dev.hardNegatives) {
    let together = 0;
    for (const label of table.size.keys()) together += table.count(label, a) * table.count(label, b);
    hardNegativePairs += together;
    if (together > 0) hardNegativeGroups++;
  }
  return {
    similarity,
    truePairs,
    falsePairs,
    missedPairs: dev.positivePairs - truePairs,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    found,
    mixed,
    distractorsGrouped,
    hardNegativePairs,
    hardNegativeGroups,
    contains: evaluateContains(dev, labels, reportedContains),
  };
}

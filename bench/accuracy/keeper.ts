// Is the suggested keeper the original? Per transform (the original against one copy, as two
// files), and per group as the product shows them at the default similarity (every copy at
// once, with the group's centrality). A byte-identical copy of the original counts as right.
import { groupsAt, type GroupedFile } from '../../src-core/cluster/groups';
import type { VerifiedEdge } from '../../src-core/cluster/clustering';
import type { Fingerprint } from '../../src-core/fingerprint';
import { clusterFingerprints } from '../../src-core/grouping/pipeline';
import { chooseKeeper } from '../../src-core/keeper';
import { DEFAULT_METHOD, DEFAULT_SIMILARITY } from '../../src-core/similarity/methods';
import type { DevSet } from './devset';
import { fixed, markdownTable, passFail } from './table';
import { ORIGINAL } from './transforms';
import { transformBetween } from '../../src-core/verify/pair-transform';
import { pairKey } from '../../src-core/verify/verified-pairs';

export const KEEPER_TARGET = 0.95;

const asCandidate = (f: Fingerprint) => ({ ...f, dateTaken: f.exif.dateTaken });

interface Tally {
  right: number;
  total: number;
  /** Reasons given when the keeper was a copy, with how often. */
  wrongReasons: Map<string, number>;
}

const tally = (): Tally => ({ right: 0, total: 0, wrongReasons: new Map() });
function count(t: Tally, right: boolean, reason: string): void {
  t.total++;
  if (right) t.right++;
  else t.wrongReasons.set(reason, (t.wrongReasons.get(reason) ?? 0) + 1);
}
const share = (t: Tally) => (t.total === 0 ? 1 : t.right / t.total);
const commonestWrong = (t: Tally) => [...t.wrongReasons].sort((a, b) => b[1] - a[1])[0]?.[0] ?? '';

/** Per transform: chooseKeeper on the original and one copy of it, nothing else but the
 *  verifier's alignment of the two when it confirmed them (as a group of two would have it). */
export function keeperPairTally(dev: DevSet, verified: readonly VerifiedEdge[]): Map<string, Tally> {
  const aligned = new Map(verified.flatMap((e) => (e.transform ? [[pairKey(e.a, e.b), e] as const] : [])));
  const byTransform = new Map<string, Tally>();
  dev.files.forEach((file, i) => {
    const original = dev.fingerprints[dev.originalOf[file.group]!];
    const copy = dev.fingerprints[i];
    if (file.transform === ORIGINAL || !original || !copy) return;
    const edge = aligned.get(pairKey(original.digest, copy.digest));
    const files = [original, copy];
    const alignment = edge && ((x: number, y: number) => transformBetween(edge, files[y]!.digest, files[x]!.digest));
    const choice = chooseKeeper([asCandidate(original), asCandidate(copy)], {}, alignment);
    const keeper = choice.index === 0 ? original : copy;
    const t = byTransform.get(file.transform) ?? tally();
    count(t, keeper.digest === original.digest, choice.reason);
    byTransform.set(file.transform, t);
  });
  return byTransform;
}

/** Per group the product shows at the default similarity (with these verified pairs): is the
 *  keeper the original of the photo most of its members are copies of? Groups without that
 *  original (it was split off) are counted apart. */
export function keeperGroupTally(dev: DevSet, verified: VerifiedEdge[]): { groups: Tally; withoutOriginal: number; byChosen: Map<string, Tally> } {
  const fileOf = new Map<string, number>();
  const inputs: GroupedFile[] = [];
  dev.fingerprints.forEach((f, i) => {
    if (!f) return;
    fileOf.set(f.path, i);
    inputs.push(f);
  });
  const clustering = clusterFingerprints(inputs as Fingerprint[], { method: DEFAULT_METHOD, linkage: 'average', verified });
  const groups = tally();
  const byChosen = new Map<string, Tally>();
  let withoutOriginal = 0;
  for (const group of groupsAt(clustering, inputs, DEFAULT_SIMILARITY)) {
    const members = group.members.map((m) => fileOf.get(m.path)!);
    const photo = majority(members.map((i) => dev.files[i]!.group));
    const original = dev.fingerprints[dev.originalOf[photo]!];
    if (!original || !group.members.some((m) => m.digest === original.digest)) {
      withoutOriginal++;
      continue;
    }
    const keeper = group.members.find((m) => m.keeper)!;
    const right = keeper.digest === original.digest;
    count(groups, right, keeper.reason);
    const chosen = right ? ORIGINAL : dev.files[fileOf.get(keeper.path)!]!.transform;
    const t = byChosen.get(chosen) ?? tally();
    count(t, right, keeper.reason);
    byChosen.set(chosen, t);
  }
  return { groups, withoutOriginal, byChosen };
}

function majority(values: number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  return [...counts].sort((a, b) => b[1] - a[1] || a[0] - b[0])[0]![0];
}

/** The two keeper tables for the report, and whether the group target is met. */
export function keeperTables(dev: DevSet, verified: VerifiedEdge[]): { pairs: string; groups: string; passed: boolean } {
  const pairs = keeperPairTally(dev, verified);
  const pairRows = [...pairs].map(([transform, t]) => [transform, String(t.total), `${t.right}/${t.total}`, fixed(share(t), 2), commonestWrong(t)]);
  const all = [...pairs.values()].reduce((sum, t) => ({ right: sum.right + t.right, total: sum.total + t.total }), { right: 0, total: 0 });
  pairRows.push(['all', String(all.total), `${all.right}/${all.total}`, fixed(all.total ? all.right / all.total : 1, 2), '']);
  const { groups, withoutOriginal, byChosen } = keeperGroupTally(dev, verified);
  const wrong = [...byChosen].filter(([chosen]) => chosen !== ORIGINAL).map(([chosen, t]) => [chosen, String(t.total), commonestWrong(t)]);
  const passed = share(groups) >= KEEPER_TARGET;
  const groupLines = [
    `Groups at the default similarity (${fixed(DEFAULT_SIMILARITY, 2)}) holding their photo's original: ${groups.total}; the keeper is the original (or a byte-identical copy) in ${groups.right} ` +
      `(${fixed(share(groups), 3)}; target ≥ ${KEEPER_TARGET}: ${passFail(passed)}). Groups without their original (split off): ${withoutOriginal}.`,
    '',
    wrong.length ? markdownTable(['keeper chosen instead (transform)', 'groups', 'commonest reason given'], wrong, 'lrl') : 'No group keeps a copy instead of its original.',
  ];
  return {
    pairs: markdownTable(['transform', 'pairs', 'keeper is the original', 'share', 'commonest reason when not'], pairRows, 'lrrrl'),
    groups: groupLines.join('\n'),
    passed,
  };
}

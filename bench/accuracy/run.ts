// npm run bench:accuracy -- [--rehash] [--set dev|devextra|heldout|devextra2|heldout2|DIR] [--copies N]
// (--copies N: the set with N byte-different copies of every file, .bench/<set folder>-copies-N.)
// Pair precision / recall / F1 of every similarity method on the near-duplicate dev set, alone
// and with the verification stage fed by each candidate signal and their combination, at each
// one's best threshold and at the default, per transform and overall, plus distractor false
// positives, the raw distances, and what each signal and the verifier cost. Prints markdown
// tables for docs/benchmarks.md.
import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import type { VerifiedEdge } from '../../src-core/cluster/clustering';
import { clusterFingerprints } from '../../src-core/grouping/pipeline';
import type { Fingerprint } from '../../src-core/fingerprint';
import { DEFAULT_METHOD, DEFAULT_SIMILARITY, METHODS, radiusForSimilarity, SIMILARITY_FLOOR, type Method } from '../../src-core/similarity/methods';
import { loadDevSet, type DevSet } from './devset';
import { distanceRows, quantile } from './distances';
import { cutLabels, evaluate, type ContainsReport, type Evaluation } from './metrics';
import { fixed, markdownTable, passFail } from './table';
import { ORIGINAL, type TransformSpec } from './transforms';
import { verifiedEdges, type CandidateSignal } from '../../src-core/verify/verified-pairs';
import { EMBEDDINGS_BY_DEFAULT } from '../../src-core/verify/candidates';
import { signalTable } from './signals';
import { keeperTables } from './keeper';
import { reportedContains, verifyDevSet, type DevVerification } from './verification';

const PRECISION_TARGET = 0.99;
const RECALL_TARGET = 0.9;
const OVERALL_RECALL_TARGET = 0.97;
const LINKAGE = 'average';
/** SIMILARITY_FLOOR … 1.00 in hundredths, built from integers so 0.8 is exactly the literal 0.8. */
const THRESHOLDS = Array.from({ length: 101 - Math.round(SIMILARITY_FLOOR * 100) }, (_, k) => (Math.round(SIMILARITY_FLOOR * 100) + k) / 100);

interface MethodResult {
  /** The method, and the verified signals when the verification stage ran. */
  method: string;
  best: Evaluation;
  atDefault: Evaluation;
  notes: string[];
}

/** Clusters once, then cuts the dendrograms at every threshold (cheap). */
function evaluateMethod(dev: DevSet, method: Method, verified: VerifiedEdge[] = [], name: string = method, contains?: ContainsReport): MethodResult {
  const inputOf = Int32Array.from(dev.fingerprints.flatMap((f, i) => (f ? [i] : [])));
  const inputs = Array.from(inputOf, (i) => dev.fingerprints[i] as Fingerprint);
  const library = clusterFingerprints(inputs, { method, linkage: LINKAGE, verified });
  const at = (similarity: number) => evaluate(dev, cutLabels(library, inputOf, dev.files.length, similarity), similarity, contains);
  // Ascending sweep with ≥: on equal F1 the stricter threshold wins.
  const best = THRESHOLDS.map(at).reduce((b, e) => (e.f1 >= b.f1 ? e : b));
  return { method: name, best, atDefault: at(DEFAULT_SIMILARITY), notes: library.notes };
}

/** The default method with the pairs that the given signals proposed and the verifier confirmed. */
function evaluateVerified(dev: DevSet, verification: DevVerification, signals: CandidateSignal[]): MethodResult {
  const decisions = verification.decisions.filter((d) => d.signals.some((s) => signals.includes(s)));
  return evaluateMethod(dev, DEFAULT_METHOD, verifiedEdges(decisions), `${DEFAULT_METHOD} + verified ${signals.join('+')}`, reportedContains(dev, decisions));
}

const count = (n: number) => n.toLocaleString('en-US');
const pairsOf = (dev: DevSet, t: TransformSpec) => dev.files.filter((f) => f.transform === t.name).length;
const recallOf = (dev: DevSet, e: Evaluation, t: TransformSpec) => (e.found.get(t.name) ?? 0) / pairsOf(dev, t);
const distractorCount = (dev: DevSet) => dev.files.filter((f) => dev.isDistractor[f.group]).length;
const collageCount = (dev: DevSet) => dev.isCollage.filter(Boolean).length;

/** The (collage, photo inside) pairs: how many were grouped (wrong) and how many reported as contains. */
function containsLine(e: Evaluation): string {
  const { pairs, sameGroup, reported, falseContains } = e.contains;
  const found =
    reported === undefined
      ? 'not scored (no verifier verdicts)'
      : `${reported}/${pairs} (${fixed(reported / pairs)}; the collage holding any file of the group), false contains: ${falseContains}`;
  return `Contains: ${pairs} (collage, photo inside) pairs; put in the same group (a violation): ${sameGroup}; reported as "appears inside": ${found}.`;
}

function overallTable(dev: DevSet, rows: Array<[string, Evaluation]>, withTarget: boolean): string {
  const header = ['method', 'similarity', 'precision', 'recall', 'F1', 'true pairs', 'false pairs', 'missed pairs', 'distractors grouped', 'hard-negative pairs together'];
  const body = rows.map(([method, e]) => {
    const cells = [
      method,
      fixed(e.similarity, 2),
      fixed(e.precision),
      fixed(e.recall),
      fixed(e.f1),
      count(e.truePairs),
      count(e.falsePairs),
      count(e.missedPairs),
      `${e.distractorsGrouped}/${distractorCount(dev)} (${fixed(e.distractorsGrouped / distractorCount(dev), 2)})`,
      `${e.hardNegativePairs} (${e.hardNegativeGroups}/${dev.hardNegatives.length} scene pairs)`,
    ];
    return withTarget ? [...cells, passFail(e.precision >= PRECISION_TARGET)] : cells;
  });
  const targetHeader = withTarget ? [`precision ≥ ${PRECISION_TARGET}`] : [];
  return markdownTable([...header, ...targetHeader], body, 'lrrrrrrrrrl');
}

/** Rows = transforms, columns = methods; whole-frame transforms under the target are marked. */
function recallTable(dev: DevSet, columns: Array<[string, Evaluation]>): string {
  const header = ['transform', 'class', 'whole frame', 'pairs', ...columns.map(([name]) => name)];
  const body = dev.transforms.map((t) => [
    t.name,
    t.coarse,
    t.wholeFrame ? 'yes' : 'no',
    String(pairsOf(dev, t)),
    ...columns.map(([, e]) => {
      const recall = recallOf(dev, e, t);
      return recall < RECALL_TARGET ? `FAIL ${fixed(recall)}` : fixed(recall);
    }),
  ]);
  return markdownTable(header, body, 'lllr' + 'r'.repeat(columns.length));
}

function mixedTable(dev: DevSet, results: MethodResult[]): string {
  const rows: TransformSpec[] = [{ name: ORIGINAL, coarse: 'original', wholeFrame: true }, ...dev.transforms];
  const body = rows.map((t) => [t.name, t.coarse, String(pairsOf(dev, t)), ...results.map((r) => String(r.atDefault.mixed.get(t.name) ?? 0))]);
  return markdownTable(['transform', 'class', 'files', ...results.map((r) => r.method)], body, 'llr' + 'r'.repeat(results.length));
}

function distanceTable(dev: DevSet, method: Method): string {
  const radius = radiusForSimilarity(method, DEFAULT_SIMILARITY);
  const classOf = new Map(dev.transforms.map((t) => [t.name, t.coarse]));
  const body = distanceRows(dev, method).map(({ label, distances: ds }) => {
    const within = ds.filter((d) => d <= radius).length;
    const stats = ds.length === 0 ? ['–', '–', '–', '–'] : [ds[0]!, quantile(ds, 0.5), quantile(ds, 0.9), ds[ds.length - 1]!].map(String);
    return [label, classOf.get(label) ?? 'negative', count(ds.length), ...stats, `${count(within)} (${fixed(ds.length ? within / ds.length : 0)})`];
  });
  const header = ['pairs', 'class', 'n', 'min', 'median', 'p90', 'max', `≤ ${radius} bits (similarity ≥ ${fixed(DEFAULT_SIMILARITY, 2)})`];
  return markdownTable(header, body, 'llrrrrrr');
}

function verdictTable(dev: DevSet, e: Evaluation): { table: string; passed: boolean } {
  const rows: Array<[string, string, boolean]> = [
    [`pair precision ≥ ${PRECISION_TARGET}`, fixed(e.precision), e.precision >= PRECISION_TARGET],
    [`pair recall ≥ ${OVERALL_RECALL_TARGET}`, fixed(e.recall), e.recall >= OVERALL_RECALL_TARGET],
  ];
  for (const t of dev.transforms) {
    const recall = recallOf(dev, e, t);
    rows.push([`recall ≥ ${RECALL_TARGET}: ${t.name} (${t.coarse})`, `${fixed(recall)} (${e.found.get(t.name) ?? 0}/${pairsOf(dev, t)})`, recall >= RECALL_TARGET]);
  }
  rows.push(['distractor photos never grouped', `${e.distractorsGrouped} of ${distractorCount(dev)} grouped`, e.distractorsGrouped === 0]);
  rows.push(['hard-negative scenes never together', `${e.hardNegativePairs} file pairs`, e.hardNegativePairs === 0]);
  if (e.contains.pairs > 0) rows.push(['collages never grouped with a photo inside them', `${e.contains.sameGroup} of ${e.contains.pairs} pairs`, e.contains.sameGroup === 0]);
  const table = markdownTable(['target', 'measured', 'result'], rows.map(([target, measured, ok]) => [target, measured, passFail(ok)]), 'lrl');
  return { table, passed: rows.every(([, , ok]) => ok) };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { rehash: { type: 'boolean', default: false }, set: { type: 'string', default: 'dev' }, copies: { type: 'string', default: '0' } } });
  const dev = loadDevSet(values.set, values.rehash, Number(values.copies));
  const hashed = dev.fingerprints.filter((f) => f).length;
  const allPairs = (dev.files.length * (dev.files.length - 1)) / 2;
  const verification = await verifyDevSet(dev, values.rehash);
  const signals = [...new Set(verification.candidates.flatMap((c) => c.signals))];
  // The product's default: every signal but the embedding unless embeddings are on by default.
  const defaults = signals.filter((s) => s !== 'embedding' || EMBEDDINGS_BY_DEFAULT);
  // Each signal alone, the default set, all, and all but one (what each adds to the others).
  const allBut = signals.length > 2 ? signals.map((left) => signals.filter((s) => s !== left)) : [];
  const sets = [...signals.map((s) => [s]), ...(defaults.length > 1 && defaults.length < signals.length ? [defaults] : []), ...allBut, ...(signals.length > 1 ? [signals] : [])];
  const verifiedResults = sets.map((set) => evaluateVerified(dev, verification, set));
  const results = [...METHODS.map((m) => evaluateMethod(dev, m)), ...verifiedResults];
  const product = verifiedResults.find((r) => r.method.endsWith(` ${defaults.join('+')}`)) ?? results.find((r) => r.method === DEFAULT_METHOD)!;
  const out: string[] = [];
  const section = (title: string, ...body: string[]) => out.push(`## ${title}`, '', ...body, '');

  out.push(
    '# bench:accuracy',
    '',
    `Set '${dev.name}' (${relative(process.cwd(), dev.dir)}): ${dev.files.length} files, ${dev.groupNames.length} photos (${dev.groupNames.length - dev.isDistractor.filter(Boolean).length - collageCount(dev)} with copies, ${distractorCount(dev)} distractors${collageCount(dev) ? `, ${collageCount(dev)} collages` : ''}), ` +
      `${count(dev.positivePairs)} duplicate pairs among ${count(allPairs)} file pairs, ${dev.hardNegatives.length} hard-negative scene pairs.`,
    `Fingerprints: product mode from \`doppel hash --json\` (${relative(process.cwd(), dev.fingerprintCache)}), ${hashed} hashed, ${dev.hashErrors.length} errors` +
      (dev.hashErrors.length ? ` (scored as never grouped):\n${dev.hashErrors.join('\n')}` : '.'),
    `Clustering: clusterFingerprints, ${LINKAGE} linkage; thresholds ${fixed(THRESHOLDS[0]!, 2)}–1.00 in steps of 0.01. ` +
      'Pair metrics over all unordered file pairs (positive = same photo). "Distractors grouped": distractor photos put in a group with another photo.',
    `Verification: ${verification.candidates.length} candidate pairs from ${signals.join(', ')}; ${verification.decisions.length} checked, ${verification.errors.length} errors.`,
    '',
  );
  for (const e of verification.errors) out.push(`Verification error: ${e}`);
  for (const r of results) for (const note of r.notes) out.push(`Note (${r.method}): ${note}`);

  section('Overall at each method’s best threshold (max pair F1; ties → stricter)', overallTable(dev, results.map((r) => [r.method, r.best]), false));
  section(
    `Overall at the default similarity (${fixed(DEFAULT_SIMILARITY, 2)})`,
    overallTable(dev, results.map((r) => [r.method, r.atDefault]), true),
    ...(dev.contains.length > 0 ? ['', `${product.method}: ${containsLine(product.atDefault)}`] : []),
  );
  section(
    `Recall per transform at the default (${fixed(DEFAULT_SIMILARITY, 2)})`,
    `Share of (original, transformed copy) pairs put in one group; FAIL = under ${RECALL_TARGET}.`,
    '',
    recallTable(dev, results.map((r) => [r.method, r.atDefault])),
  );
  section('Recall per transform at each method’s best threshold', recallTable(dev, results.map((r) => [`${r.method} @ ${fixed(r.best.similarity, 2)}`, r.best])));
  section(
    `Wrongly grouped files per transform at the default (${fixed(DEFAULT_SIMILARITY, 2)})`,
    'Files of that transform put in a group holding a file of another photo (the precision side).',
    '',
    mixedTable(dev, results),
  );
  section(
    `Raw distances, ${DEFAULT_METHOD} (no clustering)`,
    'Bits between each original and its transformed copy (minimum over the dihedral variants), and between files of different photos.',
    '',
    distanceTable(dev, DEFAULT_METHOD),
  );
  section(
    'Candidate signals and the verifier',
    'Per signal: the pairs it proposes beyond the hash search (each image keeps its nearest few), how many of them are true, ' +
      'how many the verifier confirmed (true and false), and the verifier\'s median cost per pair.',
    '',
    signalTable(dev, verification),
  );
  const keeper = keeperTables(dev, verifiedEdges(verification.decisions.filter((d) => d.signals.some((s) => defaults.includes(s)))));
  section(
    'Keeper: is the suggested keeper the original?',
    'Per transform: the original and one copy as a group of two (with the verifier\'s alignment when it confirmed them); ' +
      '"no clear original" reasons mean no evidence rule told the two apart and the last preference decided.',
    '',
    keeper.pairs,
    '',
    keeper.groups,
  );
  const verdict = verdictTable(dev, product.atDefault);
  section(
    `Verdict: ${product.method} at the default similarity ${fixed(DEFAULT_SIMILARITY, 2)}`,
    verdict.table,
    '',
    `All targets: ${passFail(verdict.passed)}. Best-F1 similarity for ${product.method}: ${fixed(product.best.similarity, 2)} ` +
      `(F1 ${fixed(product.best.f1)} vs ${fixed(product.atDefault.f1)} at the default; SIMILARITY_FLOOR ${fixed(SIMILARITY_FLOOR, 2)}).`,
  );
  console.log(out.join('\n'));
}

await main();

// npm run bench:verify [-- --runs N --random N --copies N]
// The pair verifier (src-main/verify) on the dev set: what verifying the candidate pairs costs,
// today's way against features cached per image (cost.ts); acceptance per transform (each
// original against its copies), false accepts on hard-negative and random pairs, and what a
// pair costs once its images' features are known. Informational rows: two copies of one
// photo, and synthetic "subject moved" bursts.
import { parseArgs } from 'node:util';
import { loadOpenCv } from '../../src-main/verify/opencv';
import { extractFeatures, loadGrey, MATCH_SCORE, verifyFeatures, type ImageFeatures, type PairVerdict } from '../../src-main/verify/verify-pair';
import { fixed, markdownTable } from '../accuracy/table';
import { candidateCost } from './cost';
import { copyPairs, HARD_NEGATIVE, loadDevFiles, RANDOM_NEGATIVE, scoredPairs, type Pair } from './pairs';
import { BURSTS, movedSubject } from './synthetic-bursts';

const { values } = parseArgs({ options: { runs: { type: 'string', default: '3' }, random: { type: 'string', default: '3000' }, copies: { type: 'string', default: '300' } } });

interface Outcome {
  kind: string;
  positive: boolean;
  verdict: PairVerdict;
}

const median = (xs: number[]) => quantile(xs, 0.5);
function quantile(xs: number[], q: number): number {
  if (xs.length === 0) return NaN;
  const sorted = [...xs].sort((x, y) => x - y);
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}
const ms = (x: number) => x.toFixed(1);

async function main(): Promise<void> {
  console.log(await candidateCost(Number(values.runs)) + '\n');
  const { cv } = await loadOpenCv();
  const files = loadDevFiles();
  const images: ImageFeatures[] = [];
  const loadMs: number[] = [];
  for (const f of files) {
    const start = performance.now();
    images.push(extractFeatures(cv, await loadGrey(f.path)));
    loadMs.push(performance.now() - start);
  }
  const pairs: Pair[] = [...scoredPairs(files, Number(values.random)), ...copyPairs(files, Number(values.copies))];
  const outcomes: Outcome[] = [];
  for (const p of pairs) outcomes.push({ kind: p.kind, positive: p.positive, verdict: await verifyFeatures(images[p.a]!, images[p.b]!) });
  for (const spec of BURSTS) {
    for (const [i, f] of files.entries()) {
      if (f.transform !== 'original') continue;
      const moved = extractFeatures(cv, await loadGrey(await movedSubject(f.path, spec)));
      outcomes.push({ kind: spec.label, positive: false, verdict: await verifyFeatures(images[i]!, moved) });
    }
  }
  print(outcomes, loadMs);
}

function print(outcomes: Outcome[], loadMs: number[]): void {
  const kinds = [...new Set(outcomes.map((o) => o.kind))];
  const of = (kind: string) => outcomes.filter((o) => o.kind === kind);
  const scored = (o: Outcome) => !o.kind.startsWith('synthetic') && o.kind !== 'copy vs copy';

  console.log('## Copies accepted (original vs transformed copy)\n');
  const transforms = kinds.filter((k) => of(k)[0]!.positive && k !== 'copy vs copy').sort();
  const positiveRow = (kind: string) => {
    const rows = of(kind);
    const accepted = rows.filter((o) => o.verdict.match);
    return [kind, String(rows.length), String(accepted.length), fixed(accepted.length / rows.length), fixed(median(rows.map((o) => o.verdict.agreement)), 2), String(median(rows.map((o) => o.verdict.inliers))), ms(median(rows.map((o) => o.verdict.ms)))];
  };
  console.log(markdownTable(['transform', 'pairs', 'accepted', 'recall', 'median agreement', 'median inliers', 'median ms'], [...transforms.map(positiveRow), positiveRow('copy vs copy')], 'lrrrrrr'));

  console.log('\n## Negatives (must be refused)\n');
  const negatives = [HARD_NEGATIVE, RANDOM_NEGATIVE, ...kinds.filter((k) => k.startsWith('synthetic'))];
  const negativeRow = (kind: string) => {
    const rows = of(kind);
    // Overlap is only measured once the keypoints aligned (enough inliers).
    const geometric = rows.filter((o) => o.verdict.overlap > 0);
    return [kind, String(rows.length), String(rows.filter((o) => o.verdict.match).length), fixed(Math.max(...rows.map((o) => o.verdict.score)), 2), String(geometric.length), fixed(Math.max(0, ...geometric.map((o) => o.verdict.agreement)), 2), ms(median(rows.map((o) => o.verdict.ms)))];
  };
  console.log(markdownTable(['pairs', 'count', 'false accepts', 'max score', 'aligned', 'max agreement of aligned', 'median ms'], negatives.map(negativeRow), 'lrrrrrr'));

  const scoredOutcomes = outcomes.filter(scored);
  const tp = scoredOutcomes.filter((o) => o.positive && o.verdict.match).length;
  const fp = scoredOutcomes.filter((o) => !o.positive && o.verdict.match).length;
  const positives = scoredOutcomes.filter((o) => o.positive).length;
  console.log(`\nScored pairs (originals vs copies, hard and random negatives): precision ${fixed(tp / Math.max(1, tp + fp))}, recall ${fixed(tp / positives)} (${tp}/${positives}), match ⇔ score ≥ ${MATCH_SCORE}.`);

  const rot90 = of('rotate-90').filter((o) => o.verdict.match).map((o) => o.verdict.rotationDeg);
  console.log(`rotate-90 copies accepted by the fitted rotation: ${rot90.length}/${of('rotate-90').length}, rotation ${fixed(Math.min(...rot90), 1)}…${fixed(Math.max(...rot90), 1)}°.`);
  const flips = of('flip-h').filter((o) => o.verdict.match && o.verdict.mirrored).length;
  console.log(`flip-h copies accepted as mirrored: ${flips}/${of('flip-h').length}.`);

  console.log('\n## Cost per pair once both images\' features are known (this machine, one thread)\n');
  const verifyMs = scoredOutcomes.map((o) => o.verdict.ms);
  const row = (label: string, xs: number[]) => [label, String(xs.length), ms(median(xs)), ms(quantile(xs, 0.9)), ms(Math.max(...xs))];
  console.log(
    markdownTable(
      ['step', 'n', 'median ms', 'p90 ms', 'max ms'],
      [row('per image: file → 320 px grey → features', loadMs), row('verifyFeatures, all scored pairs', verifyMs), row('verifyFeatures, matches', scoredOutcomes.filter((o) => o.verdict.match).map((o) => o.verdict.ms)), row('verifyFeatures, refusals (tries the mirror too)', scoredOutcomes.filter((o) => !o.verdict.match).map((o) => o.verdict.ms))],
      'lrrrr',
    ),
  );
}

await main();

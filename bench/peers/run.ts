// npm run bench:peers -- [--runs 3] [--sizes dev,copies,large] [--max-files 20000]
// `doppel scan` (default settings), dupeGuru 4.3.1's picture-mode Contents scan (hardness 95,
// headless through ../shared/peers/dupeguru_scan.py) and findimagedupes side by side on the same
// folders: wall time (median of --runs), peak RSS, pair precision / recall / F1 per transform,
// and Doppel's ratios against dupeGuru in the same run. Installs nothing: a missing peer is
// skipped with the apt-get line that installs it.
import { spawnSync } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { markdownTable, fixed, passFail } from '../accuracy/table';
import { transformsPresent } from '../accuracy/transforms';
import { copiesFolder, devFolder, largeFolder, type Folder } from './folders';
import { GNU_TIME, measure, type Measured } from './measure';
import { f1Of, ratio, score, type Score } from './score';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DUPEGURU_SCAN = resolve(ROOT, '../shared/peers/dupeguru_scan.py');
// Doppel runs from a copy of the build: other benches rebuild out/ while this one runs for minutes
// (a copy per run of the bench, so two at once do not replace each other's).
const DOPPEL_BUILD = join(ROOT, `.bench/peers-build-${process.pid}`);

function snapshotBuild(): void {
  rmSync(DOPPEL_BUILD, { recursive: true, force: true });
  cpSync(join(ROOT, 'bin'), join(DOPPEL_BUILD, 'bin'), { recursive: true });
  cpSync(join(ROOT, 'out/main'), join(DOPPEL_BUILD, 'out/main'), { recursive: true });
  // The CLI finds its workers beside the package.json named doppel above it: without this copy it
  // found the work tree's, and forked the live out/main/hash-worker.js.
  cpSync(join(ROOT, 'package.json'), join(DOPPEL_BUILD, 'package.json'));
}

interface Tool {
  name: string;
  /** Why it cannot run here, with what to install; undefined when it can. */
  missing(): string | undefined;
  run(dir: string): Promise<Measured & { groups: string[][]; stages?: DoppelStages }>;
}

/** Where Doppel's wall time goes, from its own --json stats. */
interface DoppelStages {
  hashSeconds: number;
  verifySeconds: number;
  verifiedPairs: number;
}

const names = (paths: string[]) => paths.map((p) => basename(p));

const doppel: Tool = {
  name: 'Doppel',
  missing: () => (existsSync(join(ROOT, 'out/main/cli.js')) ? undefined : 'the build: npm run build'),
  async run(dir) {
    // A fresh cache and state folder per run, as dupeGuru's fresh picture cache: every run is cold.
    const home = mkdtempSync(join(tmpdir(), 'doppel-peers-home-'));
    try {
      const env = { ...process.env, XDG_CACHE_HOME: join(home, 'cache'), XDG_STATE_HOME: join(home, 'state'), XDG_DATA_HOME: join(home, 'data') };
      const measured = await measure(process.execPath, [join(DOPPEL_BUILD, 'bin/doppel.mjs'), 'scan', '--json', dir], env);
      const json = JSON.parse(measured.stdout) as {
        groups: Array<{ members: Array<{ path: string; otherNames?: string[] }> }>;
        stats: { hashMs: number; verification: { ms: number; verifiedPairs: number } | null };
      };
      const stages = { hashSeconds: json.stats.hashMs / 1000, verifySeconds: (json.stats.verification?.ms ?? 0) / 1000, verifiedPairs: json.stats.verification?.verifiedPairs ?? 0 };
      return { ...measured, groups: json.groups.map((g) => names(g.members.flatMap((m) => [m.path, ...(m.otherNames ?? [])]))), stages };
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  },
};

const dupeGuru: Tool = {
  name: 'dupeGuru',
  missing: () => {
    if (!existsSync(DUPEGURU_SCAN)) return `${DUPEGURU_SCAN} (the ../shared folder)`;
    return existsSync('/usr/share/dupeguru') ? undefined : 'apt-get install -y dupeguru';
  },
  async run(dir) {
    const measured = await measure('/usr/bin/python3', [DUPEGURU_SCAN, dir], { ...process.env, QT_QPA_PLATFORM: 'offscreen' });
    const json = JSON.parse(measured.stdout) as Record<string, { groups: Array<{ members: Array<{ path: string }> }> }>;
    return { ...measured, groups: json['95']!.groups.map((g) => names(g.members.map((m) => m.path))) };
  },
};

const findimagedupes: Tool = {
  name: 'findimagedupes',
  missing: () => (spawnSync('findimagedupes', ['--version']).error ? 'apt-get install -y findimagedupes' : undefined),
  async run(dir) {
    const measured = await measure('findimagedupes', ['-q', '--', dir], process.env);
    // One group per line, paths separated by spaces (the folders' names have none).
    const groups = measured.stdout.split('\n').filter((line) => line.trim() !== '').map((line) => names(line.trim().split(' ')));
    return { ...measured, groups };
  },
};

interface ToolResult {
  tool: Tool;
  wallSeconds: number[];
  peakProcessMb: number[];
  peakTreeMb: number[];
  scores: Score[];
  stages: DoppelStages[];
}

const median = (xs: number[]) => {
  const sorted = [...xs].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
};
const thousands = (n: number) => n.toLocaleString('en-US');

/** Runs interleave the tools (run 1 of each, then run 2, …) so load on the shared machine falls on all of them alike. */
async function benchFolder(folder: Folder, tools: Tool[], runs: number): Promise<ToolResult[]> {
  const results = tools.map((tool) => ({ tool, wallSeconds: [], peakProcessMb: [], peakTreeMb: [], scores: [], stages: [] }) as ToolResult);
  for (let r = 1; r <= runs; r++) {
    for (const result of results) {
      process.stderr.write(`bench:peers: ${folder.label}: ${result.tool.name}, run ${r}/${runs} … `);
      const run = await result.tool.run(folder.dir);
      process.stderr.write(`${run.wallSeconds.toFixed(1)} s\n`);
      result.wallSeconds.push(run.wallSeconds);
      if (run.peakProcessMb !== undefined) result.peakProcessMb.push(run.peakProcessMb);
      result.peakTreeMb.push(run.peakTreeMb);
      result.scores.push(score(folder.truth, folder.filler, run.groups));
      if (run.stages) result.stages.push(run.stages);
    }
  }
  return results;
}

/** The run whose F1 is the median (dupeGuru's groups vary a little between runs). */
const medianScore = (scores: Score[]) => [...scores].sort((a, b) => a.f1 - b.f1)[(scores.length - 1) >> 1]!;

/** Issue 17's targets: wall ≤ 1.5× dupeGuru's at 1,000–2,000 files, below it at 20,000; F1 ≥ 5× dupeGuru's. */
function wallTarget(files: number): number | undefined {
  if (files >= 1000 && files <= 2000) return 1.5;
  if (files >= 20000) return 1;
  return undefined;
}

function report(folder: Folder, results: ToolResult[], runs: number): string[] {
  const lines: string[] = [`### ${folder.label}`, ''];
  const reference = results.find((r) => r.tool === dupeGuru);
  const refWall = reference ? median(reference.wallSeconds) : NaN;
  const refF1 = reference ? medianScore(reference.scores).f1 : NaN;
  const large = folder.filler.size > 0;
  const header = ['tool', `wall (s, median of ${runs})`, 'wall / dupeGuru', 'peak RSS, largest process (MB)', 'peak RSS, process tree (MB)', 'precision', 'recall', 'F1', 'F1 / dupeGuru', 'true pairs', 'false pairs'];
  if (large) header.push('pairs with a filler photo');
  const rows = results.map((r) => {
    const s = medianScore(r.scores);
    const row = [
      r.tool.name,
      median(r.wallSeconds).toFixed(1),
      reference ? `${fixed(median(r.wallSeconds) / refWall, 2)}×` : '—',
      r.peakProcessMb.length ? median(r.peakProcessMb).toFixed(0) : '—',
      median(r.peakTreeMb).toFixed(0),
      fixed(s.precision),
      fixed(s.recall),
      fixed(s.f1),
      reference ? `${fixed(ratio(s.f1, refF1, Infinity), 1)}×` : '—',
      thousands(s.truePairs),
      thousands(s.predictedPairs - s.truePairs),
    ];
    if (large) row.push(thousands(s.fillerPairs));
    return row;
  });
  lines.push(markdownTable(header, rows, 'lrrrrrrrrrr' + (large ? 'r' : '')), '');
  for (const r of results.filter((r) => r.stages.length > 0)) {
    const hash = median(r.stages.map((s) => s.hashSeconds));
    const verify = median(r.stages.map((s) => s.verifySeconds));
    const pairs = median(r.stages.map((s) => s.verifiedPairs));
    lines.push(`${r.tool.name}'s stages (medians, from its --json stats): hashing ${hash.toFixed(1)} s, verification ${verify.toFixed(1)} s (${thousands(pairs)} pairs, ${pairs ? fixed((verify * 1000) / pairs, 1) : '—'} ms a pair), the rest (start-up, grouping, keepers) ${(median(r.wallSeconds) - hash - verify).toFixed(1)} s.`, '');
  }
  const positives = medianScore(results[0]!.scores).positivePairs;
  lines.push(`Pairs over the ${thousands(folder.truth.length)} planted files (${thousands(positives)} duplicate pairs)${large ? '; the last column counts predicted pairs that include a filler photo, all false' : ''}.`, '');

  // Per transform: (original, copy) pairs; 'original' = pairs of byte-different copies of one original.
  const transforms = [
    ...(results[0] && medianScore(results[0].scores).byTransform.get('original')?.positivePairs ? [{ name: 'original', coarse: 'byte copies' }] : []),
    ...transformsPresent(folder.truth.map((f) => f.transform)),
  ];
  const perTransformHeader = ['transform', 'class', 'pairs', ...results.flatMap((r) => [`${r.tool.name} recall`, `${r.tool.name} precision`])];
  const perTransform = transforms.map((t) => {
    const counts = medianScore(results[0]!.scores).byTransform.get(t.name)!;
    return [
      t.name,
      t.coarse,
      thousands(counts.positivePairs),
      ...results.flatMap((r) => {
        const c = medianScore(r.scores).byTransform.get(t.name)!;
        const { precision, recall } = f1Of(c);
        return [fixed(recall), c.predictedPairs === 0 ? '—' : fixed(precision)];
      }),
    ];
  });
  lines.push('Per transform: (original, copy) pairs; precision over the (original, copy-of-this-transform) pairs each tool grouped; "original" = pairs of byte-different copies of one original.', '');
  lines.push(markdownTable(perTransformHeader, perTransform, 'llr' + 'rr'.repeat(results.length)), '');

  const ours = results.find((r) => r.tool === doppel);
  if (ours && reference) {
    const wallRatio = median(ours.wallSeconds) / refWall;
    const f1Ratio = ratio(medianScore(ours.scores).f1, refF1, Infinity);
    const target = wallTarget(folder.fileCount);
    const wallLine = target === undefined
      ? `wall ${fixed(wallRatio, 2)}× dupeGuru's (the wall targets are for 1,000–2,000 and 20,000 files)`
      : `wall ${fixed(wallRatio, 2)}× dupeGuru's (target ${target === 1 ? '< 1' : `≤ ${target}`}×): ${passFail(target === 1 ? wallRatio < 1 : wallRatio <= target)}`;
    lines.push(`Targets, ${thousands(folder.fileCount)} files: ${wallLine}; F1 ${fixed(f1Ratio, 1)}× dupeGuru's (target ≥ 5×): ${passFail(f1Ratio >= 5)}.`, '');
  }
  return lines;
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      runs: { type: 'string', default: '3' },
      sizes: { type: 'string', default: 'dev,copies,large' },
      'max-files': { type: 'string', default: '20000' },
    },
  });
  const runs = Number(values.runs);
  const maxFiles = Number(values['max-files']);
  const sizes = values.sizes.split(',');
  if (!Number.isInteger(runs) || runs < 1 || !Number.isInteger(maxFiles) || maxFiles < 1 || sizes.some((s) => !['dev', 'copies', 'large'].includes(s))) {
    throw new Error('usage: bench:peers -- [--runs N] [--sizes dev,copies,large] [--max-files N (size of the large folder)]');
  }
  const tools: Tool[] = [];
  for (const tool of [doppel, dupeGuru, findimagedupes]) {
    const missing = tool.missing();
    if (missing) console.error(`bench:peers: skipping ${tool.name}; it needs ${missing}`);
    else tools.push(tool);
  }
  if (tools.includes(doppel)) snapshotBuild();
  if (!existsSync(GNU_TIME)) console.error('bench:peers: no /usr/bin/time (apt-get install -y time): peak RSS of the largest process is not reported');

  try {
    for (const size of sizes) {
      const folder = size === 'dev' ? devFolder() : size === 'copies' ? copiesFolder(2) : await largeFolder(maxFiles);
      const results = await benchFolder(folder, tools, runs);
      console.log(report(folder, results, runs).join('\n'));
    }
  } finally {
    rmSync(DOPPEL_BUILD, { recursive: true, force: true });
  }
}

await main();

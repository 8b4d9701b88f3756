// npm run bench:hash -- [DIR] [--runs N]
// Files/s (median of N runs) and peak RSS of: (a) the decode floor, (b) the full product
// fingerprint with one worker and with the default pool, (c) reference mode, (d) a
// Python Pillow/numpy/scipy/pywt baseline computing the same four imagehash hashes, and (e)
// the product fingerprint with the image embedding (the "compare image content" setting); then
// product PDQ's decode against the one before issue 18 (bench/hash/pdq-source.ts).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import type { HashMode } from '../../src-core/fingerprint';
import { hasImageExtension } from '../../src-core/image-extensions';
import { forkWorkerFactory } from '../../src-main/hash/fork-worker';
import { WorkerPool, type HashJobOptions } from '../../src-main/hash/pool';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const DEFAULT_DIR = resolve(HERE, '../../../shared/bench-data/originals');
const PYTHON = '/usr/bin/python3';

interface Sample {
  seconds: number;
  maxRssBytes: number;
}
interface Row {
  name: string;
  workers: number;
  filesPerSecond: number;
  peakRssMb: number;
}

const { values, positionals } = parseArgs({ allowPositionals: true, options: { runs: { type: 'string', default: '5' } } });
const runs = Number(values.runs);
const dir = resolve(positionals[0] ?? DEFAULT_DIR);
const files = readdirSync(dir)
  .filter(hasImageExtension)
  .sort()
  .map((f) => join(dir, f));
if (files.length === 0) throw new Error(`no images in ${dir}`);

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m]! : (s[m - 1]! + s[m]!) / 2;
}

function summarize(name: string, workers: number, samples: Sample[]): Row {
  return {
    name,
    workers,
    filesPerSecond: files.length / median(samples.map((s) => s.seconds)),
    peakRssMb: Math.max(...samples.map((s) => s.maxRssBytes)) / 1e6,
  };
}

function decodeFloorRun(): Sample {
  const out = execFileSync(process.execPath, ['--import', 'tsx', join(HERE, 'decode-floor.ts'), ...files], { encoding: 'utf8' });
  return JSON.parse(out) as Sample;
}

/** A warm pool (workers started and JIT-warmed, the embedding model loaded) for one row. */
interface PoolRow {
  pool: WorkerPool;
  mode: HashMode;
  options: HashJobOptions;
  samples: Sample[];
}

async function warmPool(mode: HashMode, workers: number, options: HashJobOptions = {}): Promise<PoolRow> {
  const pool = new WorkerPool({ createWorker: forkWorkerFactory(), size: workers, maxQueued: files.length });
  await Promise.all(files.slice(0, workers * 2).map((f) => pool.hash(f, mode, options)));
  return { pool, mode, options, samples: [] };
}

/** One timed pass over every file. */
async function poolPass(row: PoolRow): Promise<void> {
  const started = performance.now();
  const outcomes = await Promise.all(files.map((f) => row.pool.hash(f, row.mode, row.options)));
  const failed = outcomes.filter((o) => !o.ok);
  if (failed.length > 0) throw new Error(`${failed.length} files failed to hash`);
  row.samples.push({ seconds: (performance.now() - started) / 1000, maxRssBytes: 0 });
}

/** The row's samples with the peak RSS of its busiest worker (what one hashing process costs). */
async function closePool(row: PoolRow): Promise<Sample[]> {
  try {
    const peak = Math.max(...(await row.pool.workerPeakRss()));
    return row.samples.map((s) => ({ ...s, maxRssBytes: peak }));
  } finally {
    await row.pool.close();
  }
}

function pythonRun(): Sample {
  const script = join(HERE, 'python/baseline_hashes.py');
  const out = execFileSync(PYTHON, [script, '--json', ...files], { encoding: 'utf8', maxBuffer: 64 << 20 });
  const summary = out
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l))
    .find((l) => l.summary);
  return { seconds: summary.seconds, maxRssBytes: summary.peak_rss_mb * 1e6 };
}

const cores = availableParallelism();
console.log(`bench:hash: ${files.length} files in ${dir}; median of ${runs} runs; ${cores} cores\n`);
// The rows take turns, one pass each per run, so a load change on a shared machine reaches
// every row alike and the ratios hold even when the seconds do not.
const pools = {
  single: await warmPool('product', 1),
  pooled: await warmPool('product', cores),
  reference: await warmPool('reference', 1),
  embedding: await warmPool('product', 1, { embedding: true }),
};
const hasPython = existsSync(PYTHON) && spawnSync(PYTHON, ['-c', 'import PIL, numpy, scipy, pywt'], { stdio: 'ignore' }).status === 0;
const floorSamples: Sample[] = [];
const pythonSamples: Sample[] = [];
for (let r = 0; r < runs; r++) {
  floorSamples.push(decodeFloorRun());
  for (const row of Object.values(pools)) await poolPass(row);
  if (hasPython) pythonSamples.push(pythonRun());
}
const rows: Row[] = [];
rows.push(summarize('(a) decode floor (sharp to hashing size)', 1, floorSamples));
rows.push(summarize('(b) product fingerprint, 1 worker', 1, await closePool(pools.single)));
rows.push(summarize(`(b) product fingerprint, default pool`, cores, await closePool(pools.pooled)));
rows.push(summarize('(c) reference mode, 1 worker', 1, await closePool(pools.reference)));
if (hasPython) rows.push(summarize('(d) Python Pillow+numpy+scipy+pywt', 1, pythonSamples));
else console.log('(d) skipped: /usr/bin/python3 with python3-pil, -numpy, -scipy, -pywt is needed (apt-get install)');
rows.push(summarize('(e) product fingerprint + embedding (the setting), 1 worker', 1, await closePool(pools.embedding)));

console.log('| configuration | workers | files/s (median) | files/s per worker | peak RSS per process (MB) |');
console.log('|---|---:|---:|---:|---:|');
for (const r of rows) {
  console.log(`| ${r.name} | ${r.workers} | ${r.filesPerSecond.toFixed(1)} | ${(r.filesPerSecond / r.workers).toFixed(1)} | ${r.peakRssMb.toFixed(0)} |`);
}
const row = (prefix: string) => rows.find((r) => r.name.startsWith(prefix));
const [floor, single, pooled, py, embedded] = [row('(a)')!, rows[1]!, rows[2]!, row('(d)'), row('(e)')!];
console.log(`\n(b)/(a), one worker vs the single-process floor: ${(single.filesPerSecond / floor.filesPerSecond).toFixed(2)}× (target ≥ 0.7×)`);
console.log(`(b) pool / (a) × ${cores} cores: ${(pooled.filesPerSecond / (floor.filesPerSecond * cores)).toFixed(2)}×`);
if (py) console.log(`(b)/(d) per core: ${(single.filesPerSecond / py.filesPerSecond).toFixed(2)}× (target ≥ 5×)`);
console.log(`(e)/(a), with embeddings, one worker vs the floor: ${(embedded.filesPerSecond / floor.filesPerSecond).toFixed(2)}× (target ≥ 0.4×); (b)/(e): embeddings make hashing ${(single.filesPerSecond / embedded.filesPerSecond).toFixed(1)}× slower`);
// Product PDQ's decode against the one it replaced, and both against the reference.
console.log(`\n${execFileSync(process.execPath, ['--import', 'tsx', join(HERE, 'pdq-source.ts'), '--runs', String(runs), ...files], { encoding: 'utf8' })}`);

// What verifying the dev set's candidate pairs costs, today's way against the cached way, in one
// process on one thread, in the same run: every pair decoding and detecting both its images
// (verifyPair, as each pair did before the features cache), against each image decoded and
// detected once (extractFeatures, as a worker's cache does) and every pair matched from the
// features (verifyFeatures); plus reading an image's features back from a data-folder store,
// as the app's next run does. The candidates are the pairs bench:accuracy verified
// (.bench/devset-verdicts.jsonl); the verdicts of both ways must be identical.
import { existsSync, readFileSync, rmSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { FeatureStore } from '../../src-main/verify/feature-store';
import { loadOpenCv } from '../../src-main/verify/opencv';
import { batchPairsByImage } from '../../src-main/verify/route-pairs';
import { extractFeatures, loadGrey, verifyFeatures, verifyPair, type ImageFeatures, type PairVerdict } from '../../src-main/verify/verify-pair';
import { markdownTable } from '../accuracy/table';

const BENCH_DIR = fileURLToPath(new URL('../../.bench/', import.meta.url));
const STORE_DIR = join(BENCH_DIR, 'verify-features-store');

interface Candidates {
  pairs: Array<[string, string]>;
  paths: Map<string, string>;
  /** The match decision bench:accuracy's worker pool recorded for each pair. */
  recorded: boolean[];
}

function loadCandidates(): Candidates {
  const [verdicts, fingerprints] = [join(BENCH_DIR, 'devset-verdicts.jsonl'), join(BENCH_DIR, 'devset-fingerprints.jsonl')];
  if (!existsSync(verdicts) || !existsSync(fingerprints)) throw new Error(`no ${verdicts}: run npm run bench:accuracy first (it verifies the dev set's candidates)`);
  const paths = new Map<string, string>();
  for (const line of readFileSync(fingerprints, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const { digest, path } = JSON.parse(line) as { digest: string; path: string };
    paths.set(digest, path);
  }
  const pairs: Array<[string, string]> = [];
  const recorded: boolean[] = [];
  for (const line of readFileSync(verdicts, 'utf8').split('\n')) {
    if (line.trim() === '') continue;
    const { key, check } = JSON.parse(line) as { key: string; check: { match: boolean } };
    const [a, b] = key.split(':') as [string, string];
    if (!paths.has(a) || !paths.has(b)) continue;
    pairs.push([a, b]);
    recorded.push(check.match);
  }
  return { pairs, paths, recorded };
}

/** CPU time of this process (all its threads: libvips decodes on its own) and wall time. */
class Clock {
  cpuMs = 0;
  wallMs = 0;
  async time<T>(work: () => Promise<T>): Promise<T> {
    const [cpu, wall] = [process.cpuUsage(), performance.now()];
    try {
      return await work();
    } finally {
      const used = process.cpuUsage(cpu);
      this.cpuMs += (used.user + used.system) / 1000;
      this.wallMs += performance.now() - wall;
    }
  }
}

const grey = async (path: string) => loadGrey(await readFile(path));
const withoutMs = ({ ms: _ms, ...v }: PairVerdict) => JSON.stringify(v);

interface Run {
  today: Clock;
  decode: Clock;
  features: Clock;
  matching: Clock;
  stored: Clock;
  todayVerdicts: string[];
  cachedVerdicts: PairVerdict[];
}

async function oneRun({ pairs, paths }: Candidates): Promise<Run> {
  const { cv } = await loadOpenCv();
  const run: Run = { today: new Clock(), decode: new Clock(), features: new Clock(), matching: new Clock(), stored: new Clock(), todayVerdicts: [], cachedVerdicts: [] };
  for (const [a, b] of pairs) run.todayVerdicts.push(withoutMs(await run.today.time(async () => verifyPair(await grey(paths.get(a)!), await grey(paths.get(b)!)))));

  // The order a worker gets them in (one worker: the batches in sequence).
  const order = batchPairsByImage(pairs, 1).flat();
  const cache = new Map<string, ImageFeatures>();
  const features = async (digest: string) => {
    let known = cache.get(digest);
    if (!known) {
      const image = await run.decode.time(() => grey(paths.get(digest)!));
      known = await run.features.time(async () => extractFeatures(cv, image));
      cache.set(digest, known);
    }
    return known;
  };
  const verdicts = new Array<PairVerdict>(pairs.length);
  for (const i of order) {
    const [fa, fb] = [await features(pairs[i]![0]), await features(pairs[i]![1])];
    verdicts[i] = await run.matching.time(() => verifyFeatures(fa, fb));
  }
  run.cachedVerdicts = verdicts;

  rmSync(STORE_DIR, { recursive: true, force: true });
  const store = new FeatureStore(STORE_DIR);
  for (const [digest, f] of cache) await store.write(digest, f);
  for (const digest of cache.keys()) await run.stored.time(() => store.read(digest));
  rmSync(STORE_DIR, { recursive: true, force: true });
  return run;
}

const median = (xs: number[]) => [...xs].sort((x, y) => x - y)[Math.floor((xs.length - 1) / 2)]!;

/** The markdown section: the table and what it rests on. */
export async function candidateCost(runs: number): Promise<string> {
  const candidates = loadCandidates();
  const { pairs } = candidates;
  const images = new Set(pairs.flat()).size;
  await verifyPair(await grey(candidates.paths.get(pairs[0]![0])!), await grey(candidates.paths.get(pairs[0]![1])!)); // OpenCV start-up
  const done: Run[] = [];
  for (let r = 0; r < runs; r++) {
    done.push(await oneRun(candidates));
    console.error(`bench:verify cost run ${r + 1}/${runs} done`);
  }
  const m = (pick: (run: Run) => number) => median(done.map(pick));
  const today = { cpu: m((r) => r.today.cpuMs), wall: m((r) => r.today.wallMs) };
  const perImage = { decode: m((r) => r.decode.cpuMs) / images, features: m((r) => r.features.cpuMs) / images, stored: m((r) => r.stored.cpuMs) / images };
  const matching = m((r) => r.matching.cpuMs) / pairs.length;
  const cached = { cpu: m((r) => r.decode.cpuMs + r.features.cpuMs + r.matching.cpuMs), wall: m((r) => r.decode.wallMs + r.features.wallMs + r.matching.wallMs) };
  const fromStore = { cpu: m((r) => r.stored.cpuMs + r.matching.cpuMs), wall: m((r) => r.stored.wallMs + r.matching.wallMs) };

  const last = done[done.length - 1]!;
  const identical = last.cachedVerdicts.filter((v, i) => withoutMs(v) === last.todayVerdicts[i]).length;
  const sameDecision = last.cachedVerdicts.filter((v, i) => v.match === candidates.recorded[i]).length;

  const f = (x: number) => x.toFixed(1);
  const ratio = (x: number) => `${(x / today.cpu).toFixed(2)}×`;
  const table = markdownTable(
    ['path', 'ms per image', 'ms per pair', `total ms (${images} images, ${pairs.length} pairs)`, 'wall ms', '× today (CPU)'],
    [
      ['today: each pair decodes and detects both images (verifyPair)', '—', f(today.cpu / pairs.length), f(today.cpu), f(today.wall), '1.00×'],
      ['each image once (decode + features), pairs matched from the cache', `${f(perImage.decode + perImage.features)} (${f(perImage.decode)} decode + ${f(perImage.features)} features)`, f(matching), f(cached.cpu), f(cached.wall), ratio(cached.cpu)],
      ["app's next run: features read from the data folder", `${f(perImage.stored)} (read)`, f(matching), f(fromStore.cpu), f(fromStore.wall), ratio(fromStore.cpu)],
    ],
    'lrrrrr',
  );
  return [
    `## Cost of the dev set's candidate pairs (CPU ms of one thread, median of ${runs} runs)\n`,
    table,
    '',
    `Verdicts: ${identical}/${pairs.length} identical between the two ways (every field but the time); ${sameDecision}/${pairs.length} match decisions as bench:accuracy recorded them.`,
  ].join('\n');
}

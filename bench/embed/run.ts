// npx tsx bench/embed/run.ts [--sizes 224,192,160,128] [--reembed]
// The MobileNetV2 embedding as a candidate-pair signal on the dev set: how close each kind of
// copy stays to its original (cosine and 256-bit SimHash distance), how close different photos
// come, what k nearest neighbours by code distance catch, and what an embedding costs. The first
// size is the one analysed in full; the others are summarised. Embeddings are cached per size in
// .bench/embeddings-<size>.bin (truth.json order; remade when truth.json is newer).
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { hammingHex } from '../../src-core/hash/hamming';
import { cosineSimilarity, embeddingCode } from '../../src-core/similarity/embedding-code';
import { decodeForEmbedding, EMBEDDING_DIMENSIONS, embedFile, embedPixels } from '../../src-main/embed/mobilenet';
import { quantile } from '../accuracy/distances';
import { fixed, markdownTable } from '../accuracy/table';
import { ORIGINAL, transformsPresent } from '../accuracy/transforms';
import { meanEmbedding, REFERENCE_PHOTOS } from './make-mean';
import { tfjsBackend, tfjsEmbedPixels } from './tfjs-mobilenet';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const DEVSET_DIR = join(ROOT, '.bench/devset');
const TRUTH = join(DEVSET_DIR, 'truth.json');
const KS = [5, 10, 20];
/** Candidate radii are set where this share of cross-group pairs would be let through. */
const FALSE_SHARES = [0.001, 0.01];

interface DevFile {
  file: string;
  group: string;
  transform: string;
}

interface Truth {
  files: DevFile[];
  hardNegativePairs: Array<{ a: string; b: string }>;
}

function loadTruth(): Truth {
  if (!existsSync(TRUTH)) throw new Error(`no dev set at ${DEVSET_DIR}: make it with node ../shared/bench-data/make-dataset.mjs .bench/devset (or npm run bench:accuracy)`);
  return JSON.parse(readFileSync(TRUTH, 'utf8')) as Truth;
}

async function embeddings(files: DevFile[], size: number, reembed: boolean): Promise<Float32Array[]> {
  const cache = join(ROOT, `.bench/embeddings-${size}.bin`);
  const bytes = files.length * EMBEDDING_DIMENSIONS * 4;
  const fresh = existsSync(cache) && statSync(cache).size === bytes && statSync(cache).mtimeMs >= statSync(TRUTH).mtimeMs;
  let all: Float32Array;
  if (fresh && !reembed) {
    all = new Float32Array(new Uint8Array(readFileSync(cache)).buffer);
  } else {
    console.error(`Embedding ${files.length} files at ${size}² …`);
    all = new Float32Array(files.length * EMBEDDING_DIMENSIONS);
    for (const [i, f] of files.entries()) all.set(await embedFile(join(DEVSET_DIR, f.file), size), i * EMBEDDING_DIMENSIONS);
    writeFileSync(cache, all);
  }
  return files.map((_, i) => all.subarray(i * EMBEDDING_DIMENSIONS, (i + 1) * EMBEDDING_DIMENSIONS));
}

interface Cost {
  /** onnxruntime (the product path): wall and process CPU milliseconds of the model alone. */
  model: number;
  modelCpu: number;
  /** tfjs on WebAssembly, the path onnxruntime replaced, on the same pixels. */
  tfjs: number;
  tfjsCpu: number;
  decode: number;
  file: number;
  /** Smallest cosine between the two runtimes' embeddings of one image. */
  agreement: number;
}

/** Median milliseconds per image over `paths` (bytes already in memory, so no disk time): each
 *  model alone on decoded pixels, sharp's decode alone, and embedFile (both). CPU time is the
 *  process's, so it holds on a loaded machine where wall time does not; both models run on one
 *  thread. */
async function cost(paths: string[], size: number): Promise<Cost> {
  const inputs = paths.map((p) => readFileSync(p));
  // Model loads and warm-up, not timed.
  const warm = await decodeForEmbedding(inputs[0]!, size);
  await embedPixels(warm.rgb, size, size, size);
  await tfjsEmbedPixels(warm.rgb, size, size, size);
  const times: Record<Exclude<keyof Cost, 'agreement'>, number[]> = { model: [], modelCpu: [], tfjs: [], tfjsCpu: [], decode: [], file: [] };
  let agreement = 1;
  const timed = async <T>(wall: number[], cpu: number[] | undefined, run: () => Promise<T>): Promise<T> => {
    const cpuStart = process.cpuUsage();
    const start = performance.now();
    const result = await run();
    wall.push(performance.now() - start);
    const used = process.cpuUsage(cpuStart);
    cpu?.push((used.user + used.system) / 1000);
    return result;
  };
  for (const input of inputs) {
    const { rgb, width, height } = await timed(times.decode, undefined, () => decodeForEmbedding(input, size));
    const onnx = await timed(times.model, times.modelCpu, () => embedPixels(rgb, width, height, size));
    const tfjs = await timed(times.tfjs, times.tfjsCpu, () => tfjsEmbedPixels(rgb, width, height, size));
    agreement = Math.min(agreement, cosineSimilarity(onnx, tfjs));
    await timed(times.file, undefined, () => embedFile(input, size));
  }
  const median = (t: number[]) => quantile([...t].sort((a, b) => a - b), 0.5);
  return {
    model: median(times.model),
    modelCpu: median(times.modelCpu),
    tfjs: median(times.tfjs),
    tfjsCpu: median(times.tfjsCpu),
    decode: median(times.decode),
    file: median(times.file),
    agreement,
  };
}

/** Pairwise code distances and cosines, and the pairs the truth defines. */
class Analysis {
  readonly n: number;
  readonly hamming: Int32Array;
  readonly cosine: Float32Array;

  constructor(
    readonly truth: Truth,
    vectors: Float32Array[],
    mean?: ArrayLike<number>,
  ) {
    const codes = vectors.map((v) => embeddingCode(v, mean));
    this.n = vectors.length;
    this.hamming = new Int32Array(this.n * this.n);
    this.cosine = new Float32Array(this.n * this.n);
    for (let i = 0; i < this.n; i++) {
      for (let j = i + 1; j < this.n; j++) {
        this.hamming[i * this.n + j] = this.hamming[j * this.n + i] = hammingHex(codes[i]!, codes[j]!);
        this.cosine[i * this.n + j] = this.cosine[j * this.n + i] = cosineSimilarity(vectors[i]!, vectors[j]!);
      }
    }
  }

  get files(): DevFile[] {
    return this.truth.files;
  }

  /** (original, copy) file pairs per transform. */
  copyPairs(): Map<string, Array<[number, number]>> {
    const originalOf = new Map(this.files.flatMap((f, i) => (f.transform === ORIGINAL ? [[f.group, i] as const] : [])));
    const pairs = new Map<string, Array<[number, number]>>(transformsPresent(this.files.map((f) => f.transform)).map((t) => [t.name, []]));
    this.files.forEach((f, i) => {
      if (f.transform !== ORIGINAL) pairs.get(f.transform)!.push([originalOf.get(f.group)!, i]);
    });
    return pairs;
  }

  /** Every pair of files, split into same group, different groups, and hard negatives (files
   *  of two groups that are different shots of a similar scene). */
  pairKinds(): { same: Array<[number, number]>; cross: Array<[number, number]>; hard: Array<[number, number]> } {
    const hardGroups = new Set(this.truth.hardNegativePairs.flatMap(({ a, b }) => [`${a}\n${b}`, `${b}\n${a}`]));
    const kinds = { same: [] as Array<[number, number]>, cross: [] as Array<[number, number]>, hard: [] as Array<[number, number]> };
    for (let i = 0; i < this.n; i++) {
      for (let j = i + 1; j < this.n; j++) {
        const [a, b] = [this.files[i]!.group, this.files[j]!.group];
        if (a === b) kinds.same.push([i, j]);
        else {
          kinds.cross.push([i, j]);
          if (hardGroups.has(`${a}\n${b}`)) kinds.hard.push([i, j]);
        }
      }
    }
    return kinds;
  }

  distances(pairs: Array<[number, number]>): number[] {
    return pairs.map(([i, j]) => this.hamming[i * this.n + j]!).sort((a, b) => a - b);
  }

  cosines(pairs: Array<[number, number]>): number[] {
    return pairs.map(([i, j]) => this.cosine[i * this.n + j]!).sort((a, b) => a - b);
  }

  /** Largest radius (smallest cosine) that lets at most `share` of cross-group pairs through. */
  radiusFor(share: number): number {
    return quantile(this.distances(this.pairKinds().cross), share + 1e-12) - 1;
  }

  cosineFor(share: number): number {
    const cross = this.cosines(this.pairKinds().cross);
    return cross[Math.floor(cross.length * (1 - share))]!;
  }

  /** Unordered pairs {i, j} with j among i's k nearest by `by` (ties by file order). */
  nearest(k: number, by: 'hamming' | 'cosine'): Set<number> {
    const pairs = new Set<number>();
    const others = Array.from({ length: this.n }, (_, j) => j);
    for (let i = 0; i < this.n; i++) {
      const key = (j: number) => (by === 'hamming' ? this.hamming[i * this.n + j]! : -this.cosine[i * this.n + j]!);
      const order = others.filter((j) => j !== i).sort((a, b) => key(a) - key(b) || a - b);
      for (const j of order.slice(0, k)) pairs.add(Math.min(i, j) * this.n + Math.max(i, j));
    }
    return pairs;
  }

  found(candidates: Set<number>, pairs: Array<[number, number]>): number {
    return pairs.filter(([i, j]) => candidates.has(Math.min(i, j) * this.n + Math.max(i, j))).length / pairs.length;
  }
}

const share = (x: number) => fixed(x, 2);
const within = (sorted: number[], radius: number) => sorted.filter((d) => d <= radius).length / sorted.length;
const atLeast = (sorted: number[], cosine: number) => sorted.filter((c) => c >= cosine).length / sorted.length;

function transformTable(a: Analysis): string {
  const radii = FALSE_SHARES.map((s) => a.radiusFor(s));
  const cosine = a.cosineFor(FALSE_SHARES[0]!);
  const knn = KS.map((k) => a.nearest(k, 'hamming'));
  const rows = [...a.copyPairs()].map(([name, pairs]) => {
    const d = a.distances(pairs);
    const c = a.cosines(pairs);
    return [
      name,
      String(pairs.length),
      fixed(quantile(c, 0.5)),
      fixed(c[0]!),
      share(atLeast(c, cosine)),
      String(quantile(d, 0.5)),
      String(d[d.length - 1]!),
      ...radii.map((r) => share(within(d, r))),
      ...knn.map((set) => share(a.found(set, pairs))),
    ];
  });
  const header = [
    'transform',
    'pairs',
    'cosine median',
    'cosine min',
    `cosine ≥ ${fixed(cosine)}`,
    'bits median',
    'bits max',
    ...radii.map((r) => `bits ≤ ${r}`),
    ...KS.map((k) => `in ${k}-NN`),
  ];
  return markdownTable(header, rows, 'lrrrrrrrrrrr');
}

function negativesTable(a: Analysis): string {
  const kinds = a.pairKinds();
  const radii = FALSE_SHARES.map((s) => a.radiusFor(s));
  const rows = (
    [
      ['cross-group pairs', kinds.cross],
      ['hard-negative pairs', kinds.hard],
      ['same-group pairs (positives)', kinds.same],
    ] as const
  ).map(([label, pairs]) => {
    const d = a.distances(pairs);
    const c = a.cosines(pairs);
    return [
      label,
      pairs.length.toLocaleString('en-US'),
      String(d[0]!),
      String(quantile(d, 0.01)),
      String(quantile(d, 0.5)),
      fixed(c[c.length - 1]!),
      fixed(quantile(c, 0.99)),
      fixed(quantile(c, 0.5)),
      ...radii.map((r) => fixed(within(d, r), 4)),
    ];
  });
  const header = ['pairs', 'count', 'bits min', 'bits p1', 'bits median', 'cosine max', 'cosine p99', 'cosine median', ...radii.map((r) => `share ≤ ${r} bits`)];
  return markdownTable(header, rows, 'lrrrrrrrrr');
}

function nearestTable(a: Analysis): string {
  const kinds = a.pairKinds();
  const copies = [...a.copyPairs().values()].flat();
  const rows = KS.map((k) => {
    const set = a.nearest(k, 'hamming');
    const truePairs = [...set].filter((key) => a.files[Math.floor(key / a.n)]!.group === a.files[key % a.n]!.group).length;
    return [
      String(k),
      share(a.found(set, copies)),
      share(a.found(set, kinds.same)),
      fixed(set.size / a.n, 1),
      share(truePairs / set.size),
      share(a.found(a.nearest(k, 'cosine'), copies)),
    ];
  });
  const header = ['k', 'original–copy pairs found', 'same-group pairs found', 'candidate pairs per image', 'true share of candidates', 'original–copy found by cosine k-NN'];
  return markdownTable(header, rows, 'rrrrrr');
}

/** One summary row: candidate radius at 0.1 % false share, its recall, and k-NN recall. */
function summary(a: Analysis): string[] {
  const copies = [...a.copyPairs().values()].flat();
  const radius = a.radiusFor(FALSE_SHARES[0]!);
  return [String(radius), share(within(a.distances(copies), radius)), ...KS.map((k) => share(a.found(a.nearest(k, 'hamming'), copies)))];
}

const summaryHeader = ['radius (0.1 % of cross-group pairs)', 'original–copy pairs within', ...KS.map((k) => `in ${k}-NN`)];

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { sizes: { type: 'string', default: '224,192,160,128' }, reembed: { type: 'boolean', default: false } } });
  const sizes = values.sizes.split(',').map(Number);
  const truth = loadTruth();
  const originals = truth.files.filter((f) => f.transform === ORIGINAL).map((f) => join(DEVSET_DIR, f.file));
  const vectors = new Map<number, Float32Array[]>();
  for (const size of sizes) vectors.set(size, await embeddings(truth.files, size, values.reembed));
  const costs = new Map<number, Cost>();
  for (const size of sizes) costs.set(size, await cost(originals, size));
  const backend = await tfjsBackend();
  const [main] = sizes as [number];
  const full = new Analysis(truth, vectors.get(main)!);

  console.log(`## Cost per image (median over the ${originals.length} originals, ms; onnxruntime CPU on one thread against tfjs ${backend} in the same run)\n`);
  const costRows = sizes.map((s) => {
    const c = costs.get(s)!;
    return [`${s}²`, fixed(c.model, 1), fixed(c.modelCpu, 1), fixed(c.tfjs, 1), fixed(c.tfjsCpu, 1), fixed(c.tfjsCpu / c.modelCpu, 1), fixed(c.agreement, 5), fixed(c.decode, 1), fixed(c.file, 1)];
  });
  console.log(
    markdownTable(
      ['input', 'onnxruntime model (wall)', 'onnxruntime model (CPU)', `tfjs ${backend} model (wall)`, `tfjs ${backend} model (CPU)`, 'CPU ratio tfjs / onnxruntime', 'min cosine onnxruntime–tfjs', 'sharp decode only', 'embedFile (decode included)'],
      costRows,
      'lrrrrrrrr',
    ),
  );

  console.log(`\n## Original → copy at ${main}², per transform\n`);
  console.log(`Radii and the cosine threshold let through 0.1 % / 1 % of the cross-group pairs; k-NN: the original is among the copy's k nearest by code distance, or the copy among the original's.\n`);
  console.log(transformTable(full));
  console.log(`\n## Distances between different photos at ${main}²\n`);
  console.log(negativesTable(full));
  console.log(`\n## k nearest neighbours by code distance at ${main}²\n`);
  console.log(nearestTable(full));

  console.log('\n## Input size (codes centred on the stored mean, which was computed at 224²)\n');
  const sizeRows = sizes.map((s) => [`${s}²`, fixed(costs.get(s)!.modelCpu, 1), ...summary(s === main ? full : new Analysis(truth, vectors.get(s)!))]);
  console.log(markdownTable(['input', 'model CPU ms', ...summaryHeader], sizeRows, 'lrrrrrr'));

  console.log(`\n## Centring at ${main}² (SimHash around which mean)\n`);
  const heldOut = await meanEmbedding(REFERENCE_PHOTOS);
  const centringRows = [
    ['stored mean (dev originals + reference photos)', ...summary(full)],
    [`held out: mean of the ${REFERENCE_PHOTOS.length} reference photos only`, ...summary(new Analysis(truth, vectors.get(main)!, heldOut))],
    ['none (around the origin)', ...summary(new Analysis(truth, vectors.get(main)!, new Float32Array(EMBEDDING_DIMENSIONS)))],
  ];
  console.log(markdownTable(['centre', ...summaryHeader], centringRows, 'lrrrrr'));
}

await main();

// One size of the scale benchmark, in its own process so peak RSS is its own.
// Prints one JSON line. Usage: tsx bench/cluster/scale-run.ts N
import { finishClustering, planClustering } from '../../src-core/cluster/clustering';
import { seededRandom } from '../../src-core/random';
import { searchPairsInWorkers } from '../../src-main/cluster/parallel-pairs';
import { allocateHashCodes, codeOffset, pairDistance, type HashCodes } from '../../src-core/similarity/hash-codes';
import { DEFAULT_METHOD, packHashes, radiusForSimilarity, SIMILARITY_FLOOR } from '../../src-core/similarity/methods';
import { bruteForcePairs, MultiIndex } from '../../src-core/similarity/multi-index';
import { CANDIDATE_DESCRIPTOR_BYTES, CANDIDATE_DESCRIPTORS, candidateRows, DEFAULT_CANDIDATES } from '../../src-core/verify/candidates';

const N = Number(process.argv[2]);
const BURST = 20_000;
// A good generator matters: an LCG's low bits repeat and would fill the index's buckets unevenly.
const next = seededRandom(20261121);
const radius = radiusForSimilarity(DEFAULT_METHOD, SIMILARITY_FLOOR);
/** Hashes per photo in the app's method: 8 dihedral variants and the window hashes. */
const VARIANTS = packHashes(DEFAULT_METHOD, []).variants;

/** Copies hash (from, variant) into the original of `to`, with `bits` random bits flipped. */
function plant(codes: HashCodes, from: number, variant: number, to: number, bits: number): void {
  const src = codeOffset(codes, from, variant);
  const dst = codeOffset(codes, to, 0);
  codes.data.copyWithin(dst, src, src + codes.words);
  for (let k = 0; k < bits; k++) {
    const bit = (next() >>> 8) % 256;
    codes.data[dst + (bit >>> 5)]! ^= 1 << (bit & 31);
  }
}

function generate() {
  const codes = allocateHashCodes(N, 8, VARIANTS, true);
  for (let k = 0; k < codes.data.length; k++) codes.data[k] = next();
  const digestId = Int32Array.from({ length: N }, (_, i) => i);
  const quality = new Uint8Array(N).fill(90);
  const planted: Array<[number, number]> = [];
  let item = 0;
  // A burst: 20,000 frames, each 2 bits from the previous one (only from 100k up).
  if (N >= 100_000) {
    for (let k = 1; k < BURST; k++) plant(codes, k - 1, 0, k, 2);
    item = BURST;
  }
  // Planted groups of 2–4 over 10% of the library; a quarter match through a dihedral variant.
  while (item < N * 0.1 + (N >= 100_000 ? BURST : 0)) {
    const base = item;
    const size = 2 + (next() % 3);
    for (let m = 1; m < size && item + m < N; m++) {
      const variant = next() % 4 === 0 ? 1 + (next() % 7) : 0;
      plant(codes, base, variant, item + m, next() % 13);
      planted.push([base, item + m]);
    }
    item += size;
  }
  // 1% exact copies and 0.5% low-information images among the rest.
  for (let k = 0; k < N * 0.01 && item + 1 < N; k++, item += 2) {
    codes.data.copyWithin(codeOffset(codes, item + 1, 0), codeOffset(codes, item, 0), codeOffset(codes, item + 1, 0));
    digestId[item + 1] = digestId[item]!;
    planted.push([item, item + 1]);
  }
  for (let k = 0; k < N * 0.005 && item < N; k++, item++) quality[item] = 10;
  return { codes, digestId, quality, planted };
}

const data = generate();
const started = performance.now();
const plan = planClustering(data.codes, data.digestId, data.quality, { method: DEFAULT_METHOD, linkage: 'average' });
const library = finishClustering(plan, await searchPairsInWorkers(plan.codes, plan.radius));
const clusterSeconds = (performance.now() - started) / 1000;

// Planted near-duplicates must share a component (their pair is within the radius).
const componentOf = new Int32Array(N).fill(-1);
library.components.forEach((c, k) => c.members.forEach((m) => (componentOf[m] = k)));
const recalled = data.planted.filter(([a, b]) => componentOf[a] >= 0 && componentOf[a] === componentOf[b]).length;

// The slider: re-cut every component at a new similarity.
const cutMs: number[] = [];
for (const s of [0.8, 0.85, 0.9, 0.95, 0.99, 0.82, 0.88]) {
  const t = performance.now();
  let groups = 0;
  for (const c of library.components) groups += c.tree.cut(s).length;
  cutMs.push(performance.now() - t);
  if (groups < 0) throw new Error('unreachable');
}
cutMs.sort((a, b) => a - b);

// The verification stage's candidate search (after the groups are shown, in the app): loose
// PDQ and aHash (random here: a cost measurement), each image keeping its nearest few.
const ahash = allocateHashCodes(plan.codes.count, 2, 1);
for (let k = 0; k < ahash.data.length; k++) ahash.data[k] = next();
const candidateStart = performance.now();
const candidates = candidateRows({ codes: plan.codes, linkedRadius: plan.radius, ahash: { codes: ahash, rows: Array.from({ length: ahash.count }, (_, k) => k) }, embedding: { codes: allocateHashCodes(0, 8, 1), rows: [] } });
const candidateSeconds = (performance.now() - candidateStart) / 1000;

// The local-features signal on its own: every photo's descriptors and its mirror's (random
// codes, so the multi-index's buckets fill as evenly as real ones at best), and 1,000 pairs of
// otherwise unrelated photos (the library's last rows) sharing 8 descriptors 0–1 bit apart.
// Its codes' bytes per photo, the time and the RSS it adds, and how many of those it proposes.
const perPhoto = 2 * CANDIDATE_DESCRIPTORS;
/** Undefined over maxFeaturePhotos: the signal proposes nothing there, and its codes alone would
 *  be N × perPhoto × CANDIDATE_DESCRIPTOR_BYTES. */
function measureFeatures() {
  if (N > DEFAULT_CANDIDATES.maxFeaturePhotos) return undefined;
  const featureWords = CANDIDATE_DESCRIPTOR_BYTES / 4;
  const rssBefore = process.memoryUsage().rss;
  const codes = allocateHashCodes(N * perPhoto, featureWords, 1);
  for (let k = 0; k < codes.data.length; k++) codes.data[k] = next();
  const sharing = Array.from({ length: 1000 }, (_, k): [number, number] => [N - 2 * k - 1, N - 2 * k - 2]);
  for (const [a, b] of sharing) {
    for (let d = 0; d < 8; d++) {
      const [from, to] = [(a * perPhoto + d) * featureWords, (b * perPhoto + d) * featureWords];
      codes.data.copyWithin(to, from, from + featureWords);
      codes.data[to]! ^= (1 << (next() % 32)) & -(next() % 2);
    }
  }
  const rows = Int32Array.from({ length: N * perPhoto }, (_, k) => Math.floor(k / perPhoto));
  const mirrored = Uint8Array.from({ length: N * perPhoto }, (_, k) => (k % perPhoto >= CANDIDATE_DESCRIPTORS ? 1 : 0));
  const noCodes = { codes: allocateHashCodes(0, 2, 1), rows: [] };
  const start = performance.now();
  const pairs = candidateRows({ codes: plan.codes, linkedRadius: plan.radius, ahash: noCodes, embedding: noCodes, features: { codes, rows, mirrored } }, { ...DEFAULT_CANDIDATES, pdqRadius: 0, windowRadius: 0, pairsPerPhoto: Infinity });
  const seconds = (performance.now() - start) / 1000;
  const proposed = new Set(pairs.map(({ r, s }) => `${r},${s}`));
  return {
    featureSeconds: seconds,
    featureRssMb: (process.memoryUsage().rss - rssBefore) / 1e6,
    featurePairs: pairs.length,
    featureRecalled: sharing.filter(([a, b]) => proposed.has(`${Math.min(a, b)},${Math.max(a, b)}`)).length,
  };
}
const features = measureFeatures();

// Brute force for the ratio: complete at 10k, timed on a sample of query rows above that.
let bruteSeconds: number | undefined;
let bruteExtrapolated = false;
let indexMatchesBruteForce: boolean | undefined;
if (N <= 10_000) {
  const t = performance.now();
  const brute = new Set<string>();
  bruteForcePairs(data.codes, radius, (i, j) => brute.add(`${i},${j}`));
  bruteSeconds = (performance.now() - t) / 1000;
  const found = new Set<string>();
  new MultiIndex(data.codes, radius).forEachPair((i, j) => found.add(`${i},${j}`));
  indexMatchesBruteForce = found.size === brute.size && [...brute].every((p) => found.has(p));
} else if (N <= 100_000) {
  // Every query row costs the same, so a sample of rows times the whole triangle.
  const rows = 300;
  const t = performance.now();
  for (let i = 0; i < rows; i++) for (let j = i + 1; j < N; j++) pairDistance(data.codes, i, j, radius);
  const compared = rows * N - (rows * (rows + 1)) / 2;
  bruteSeconds = ((performance.now() - t) / 1000) * ((N * (N - 1)) / 2 / compared);
  bruteExtrapolated = true;
}

process.stdout.write(
  `${JSON.stringify({
    n: N,
    clusterSeconds,
    peakRssMb: (process.resourceUsage().maxRSS * 1024) / 1e6,
    candidatePairs: library.stats.candidatePairs,
    components: library.stats.components,
    largestComponent: library.stats.largestComponent,
    notes: library.notes,
    planted: data.planted.length,
    recalled,
    cutMsMedian: cutMs[cutMs.length >> 1],
    candidateSeconds,
    verificationCandidates: candidates.length,
    featureBytesPerPhoto: perPhoto * CANDIDATE_DESCRIPTOR_BYTES,
    ...(features ?? { featureSeconds: 0, featureRssMb: 0, featurePairs: 0, featureRecalled: 0 }),
    featureSkipped: features === undefined,
    bruteSeconds,
    bruteExtrapolated,
    indexMatchesBruteForce,
  })}\n`,
);

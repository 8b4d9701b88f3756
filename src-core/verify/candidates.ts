// Candidate pairs for the verification stage: pairs the default search did not link but a
// looser signal puts close, found by sorting (similarity/sorted-neighbours.ts, linear in the
// library), each image keeping only its nearest few per signal so the number of pairs to
// verify stays linear too.
import { allocateHashCodes, pairDistance, type HashCodes } from '../similarity/hash-codes';
import { MultiIndex } from '../similarity/multi-index';
import { PairBuffer } from '../similarity/pair-buffer';
import { nearestOfEach, sortedNeighbourPairs } from '../similarity/sorted-neighbours';
import type { CandidateSignal } from './verified-pairs';

export interface CandidateOptions {
  /** Bits (of 256) within which PDQ, its variants and windows propose a pair. */
  pdqRadius: number;
  /** Bits (of 64) within which aHash proposes a pair: it survives crops and small rotations
   *  that move PDQ as far as an unrelated photo, but lumps look-alikes together. */
  ahashRadius: number;
  /** Bits (of 256) within which the embedding codes propose a pair. */
  embeddingRadius: number;
  /** Bits (of 256) within which a window (fixed or content rectangle) of one image and the
   *  frame of another, in any orientation, propose a pair. */
  windowRadius: number;
  /** Bits (of a local feature code's CANDIDATE_DESCRIPTOR_BYTES × 8) within which two
   *  images' ORB descriptors match (or one's and the other's mirror's)… */
  featureRadius: number;
  /** …and how many such matches make two images a candidate pair. */
  featureMatches: number;
  /** Libraries with more contents than this get no local-feature candidates: 128 short codes a
   *  photo fill the multi-index's buckets, and its cost grows with the square of the library
   *  (docs/benchmarks.md, bench:scale). */
  maxFeaturePhotos: number;
  /** Each image keeps at most this many nearest candidates per signal. */
  perImage: number;
  /** The whole library's pairs, at most this many per photo: the nearest (and those several
   *  signals propose) first. Libraries of look-alikes fill every image's slots (a burst of a
   *  thousand frames, or bench:library's mosaics: 6.5 pairs a photo), and each pair costs two
   *  decodes; ordinary libraries stay under it (the dev set: 3.0). */
  pairsPerPhoto: number;
}

/** On: the embedding finds the edits the hashes miss on held-out sets (screenshots, quarter crops,
 *  7° rotations: issue 17), and on onnxruntime it costs ~6 ms of model time a photo
 *  (docs/benchmarks.md, bench/embed and bench:hash row (e)). `--no-embedding` and the "Compare image
 *  content too" setting turn it off. */
export const EMBEDDINGS_BY_DEFAULT = true;

/** Measured on the dev set (`npm run bench:accuracy`): see docs/grouping.md, "The verification stage". */
export const DEFAULT_CANDIDATES: CandidateOptions = { pdqRadius: 70, ahashRadius: 16, embeddingRadius: 64, windowRadius: 48, featureRadius: 7, featureMatches: 3, maxFeaturePhotos: 10_000, perImage: 8, pairsPerPhoto: 3 };

/** Local features per image (src-main/verify/candidate-features.ts): the strongest ORB
 *  descriptors of the image and of its mirror, each cut to its first bytes:
 *  2 × CANDIDATE_DESCRIPTORS × CANDIDATE_DESCRIPTOR_BYTES = 1 KB a photo. */
export const CANDIDATE_DESCRIPTORS = 64;
export const CANDIDATE_DESCRIPTOR_BYTES = 8;
/** A descriptor that matches descriptors of more images than this is a corner every photo has
 *  (a blank edge, a grid): it proposes nothing. */
const MAX_DESCRIPTOR_MEETINGS = 16;

export interface CandidatePair {
  a: string;
  b: string;
  signals: CandidateSignal[];
  /** Where the verifier reads each digest: its row in the source (src-core/grouping). */
  inputA: number;
  inputB: number;
}

/** Row-aligned codes of the images to propose pairs among (one row per distinct content). */
export interface CandidateCodes {
  /** The clustering method's codes, and the radius within which its search already links. */
  codes: HashCodes;
  linkedRadius: number;
  /** 64-bit aHashes and 256-bit embedding codes of the rows that have one. */
  ahash: RowCodes;
  embedding: RowCodes;
  /** PDQ of the rows' content rectangles, several codes per row (absent: the source keeps none). */
  windows?: RowCodes;
  /** Local feature codes of the rows, several per row (absent: the source keeps none), and
   *  which of them are the mirror image's. */
  features?: RowCodes & { mirrored: ArrayLike<number> };
}

/** Codes of some rows: code k belongs to row `rows[k]`. */
export interface RowCodes {
  codes: HashCodes;
  rows: ArrayLike<number>;
}

export interface CandidateRows {
  r: number;
  s: number;
  signals: CandidateSignal[];
}

/** Candidate pairs between rows (r < s), each once, with the signals that proposed it, leaving
 *  out pairs the clustering search already links; at most `pairsPerPhoto` per row overall. */
export function candidateRows(c: CandidateCodes, options: CandidateOptions = DEFAULT_CANDIDATES): CandidateRows[] {
  const found = new Map<number, CandidateRows & { rank: number }>();
  const stride = c.codes.count;
  /** `rank`: the pair's place in its signal's list, nearest first. */
  const add = (signal: CandidateSignal, x: number, y: number, rank: number) => {
    const [r, s] = x < y ? [x, y] : [y, x];
    if (pairDistance(c.codes, r, s, c.linkedRadius) <= c.linkedRadius) return;
    const key = r * stride + s;
    const known = found.get(key);
    if (known) {
      known.signals.push(signal);
      known.rank = Math.min(known.rank, rank);
    } else found.set(key, { r, s, signals: [signal], rank });
  };
  const propose = (name: CandidateSignal, pairs: Array<[number, number, number]>, row: (k: number) => number) => pairs.forEach(([k, l], rank) => add(name, row(k), row(l), rank));
  // Whole frames as they are (variant 0): rotated and mirrored copies are the strict search's.
  if (c.codes.words === 8 && options.pdqRadius > c.linkedRadius) propose('pdq-loose', sortedNeighbourPairs(firstVariant(c.codes), { radius: options.pdqRadius, perCode: options.perImage }), (k) => k);
  const signal = (name: CandidateSignal, { codes, rows }: RowCodes, radius: number) => {
    if (codes.count > 1) propose(name, sortedNeighbourPairs(codes, { radius, perCode: options.perImage }), (k) => rows[k]!);
  };
  signal('ahash', c.ahash, options.ahashRadius);
  signal('embedding', c.embedding, options.embeddingRadius);
  windowPairs(c, options).forEach(([r, s], rank) => add('windows', r, s, rank));
  featurePairs(c, options).forEach(([r, s], rank) => add('features', r, s, rank));
  // Over budget, the signals take turns, nearest first (each signal's own distances: a dense
  // signal does not crowd out a sparse one); a pair several signals propose comes first.
  const budget = Math.floor(options.pairsPerPhoto * c.codes.count);
  const all = [...found.values()];
  if (all.length > budget) all.sort((x, y) => x.rank - y.rank || y.signals.length - x.signals.length).length = budget;
  return all.map(({ r, s, signals }) => ({ r, s, signals }));
}

function firstVariant(codes: HashCodes): HashCodes {
  if (codes.variants === 1) return codes;
  const out = allocateHashCodes(codes.count, codes.words, 1);
  for (let i = 0; i < codes.count; i++) out.data.set(codes.data.subarray(i * codes.variants * codes.words, (i * codes.variants + 1) * codes.words), i * codes.words);
  return out;
}

/** Every orientation of each frame against the windows of the others: the fixed windows of the
 *  clustering codes (variants past the 8 dihedral ones) and the content rectangles. A mirrored
 *  crop's frame, mirrored back, is the original's window; a screenshot's photo rectangle is
 *  the photo's frame. Pairs between two rows (r < s), nearest first, each once. */
function windowPairs(c: CandidateCodes, options: CandidateOptions): Array<[number, number, number]> {
  const { codes } = c;
  if (codes.words !== 8 || codes.variants < 8) return [];
  const extra = c.windows ?? { codes: allocateHashCodes(0, 8, 1), rows: [] };
  const total = codes.count * codes.variants + extra.codes.count;
  const all = allocateHashCodes(total, 8, 1);
  all.data.set(codes.data.subarray(0, codes.count * codes.variants * 8));
  all.data.set(extra.codes.data.subarray(0, extra.codes.count * 8), codes.count * codes.variants * 8);
  const rowOf = (k: number) => (k < codes.count * codes.variants ? (k / codes.variants) | 0 : extra.rows[k - codes.count * codes.variants]!);
  const isWindow = (k: number) => k >= codes.count * codes.variants || k % codes.variants >= 8;
  const nearest = new Map<number, [number, number, number]>();
  for (const [k, l, d] of sortedNeighbourPairs(all, { radius: options.windowRadius, perCode: options.perImage })) {
    if (!isWindow(k) && !isWindow(l)) continue;
    const [x, y] = [rowOf(k), rowOf(l)];
    if (x === y) continue;
    const [r, s] = x < y ? [x, y] : [y, x];
    const key = r * codes.count + s;
    if ((nearest.get(key)?.[2] ?? Infinity) > d) nearest.set(key, [r, s, d]);
  }
  return [...nearest.values()].sort((x, y) => x[2] - y[2]);
}

/** Rows sharing at least `featureMatches` local features (descriptor pairs within
 *  `featureRadius`, found by the multi-index), either both as they are or one mirrored, most
 *  shared first, each row keeping its best `perImage`. */
function featurePairs(c: CandidateCodes, options: CandidateOptions): Array<[number, number, number]> {
  const features = c.features;
  if (!features || features.codes.count < 2 || c.codes.count > options.maxFeaturePhotos) return [];
  const { rows, mirrored } = features;
  const met = new PairBuffer();
  const meetings = new Uint16Array(features.codes.count);
  new MultiIndex(features.codes, options.featureRadius).forEachPair((k, l) => {
    // Two mirrors' match repeats the direct one.
    if (rows[k] === rows[l] || (mirrored[k] && mirrored[l])) return;
    met.push(k, l, 0);
    meetings[k] = Math.min(0xffff, meetings[k]! + 1);
    meetings[l] = Math.min(0xffff, meetings[l]! + 1);
  });
  const { first, second, count } = met.toArrays();
  const rowCount = c.codes.count;
  // Per row pair: matches as they are, and with one mirrored (2 counters a pair).
  const shared = new Map<number, [number, number]>();
  for (let m = 0; m < count; m++) {
    const [k, l] = [first[m]!, second[m]!];
    if (meetings[k]! > MAX_DESCRIPTOR_MEETINGS || meetings[l]! > MAX_DESCRIPTOR_MEETINGS) continue;
    const [r, s] = rows[k]! < rows[l]! ? [rows[k]!, rows[l]!] : [rows[l]!, rows[k]!];
    const key = r * rowCount + s;
    const counts = shared.get(key) ?? [0, 0];
    counts[mirrored[k] || mirrored[l] ? 1 : 0]++;
    shared.set(key, counts);
  }
  const pairs: Array<[number, number, number]> = [];
  // Fewer unshared descriptors = nearer, as nearestOfEach orders them.
  for (const [key, counts] of shared) {
    const n = Math.max(...counts);
    if (n >= options.featureMatches) pairs.push([Math.floor(key / rowCount), key % rowCount, CANDIDATE_DESCRIPTORS - n]);
  }
  return nearestOfEach(pairs, rowCount, options.perImage);
}

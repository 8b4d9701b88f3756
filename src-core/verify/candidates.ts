// Candidate pairs for the verification stage: pairs the default search did not link but a
// looser signal puts close, found by sorting (similarity/sorted-neighbours.ts, linear in the
// library), each image keeping only its nearest few per signal so the number of pairs to
// verify stays linear too.
import { allocateHashCodes, pairDistance, type HashCodes } from '../similarity/hash-codes';
import { sortedNeighbourPairs } from '../similarity/sorted-neighbours';
import type { CandidateSignal } from './verified-pairs';

export interface CandidateOptions {
  /** Bits (of 256) within which PDQ, its variants and windows propose a pair. */
  pdqRadius: number;
  /** Bits (of 64) within which aHash proposes a pair: it survives crops and small rotations
   *  that move PDQ as far as an unrelated photo, but lumps look-alikes together. */
  ahashRadius: number;
  /** Bits (of 256) within which the embedding codes propose a pair. */
  embeddingRadius: number;
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
export const DEFAULT_CANDIDATES: CandidateOptions = { pdqRadius: 70, ahashRadius: 16, embeddingRadius: 64, perImage: 8, pairsPerPhoto: 3 };

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

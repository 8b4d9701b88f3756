// Candidate pairs for the verification stage: pairs the default search did not link but a
// looser signal puts close, found by sorting (similarity/sorted-neighbours.ts, linear in the
// library), each image keeping only its nearest few per signal so the number of pairs to
// verify stays linear too.
import type { ClusteringPlan, ClusterInput } from '../cluster/library';
import { hexToWords32 } from '../hash/hamming';
import { allocateHashCodes, pairDistance, type HashCodes } from '../similarity/hash-codes';
import { sortedNeighbourPairs } from '../similarity/sorted-neighbours';
import { packHashes } from '../similarity/methods';
import { orderedPair, type CandidateSignal } from './verified-pairs';

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
}

/** Embeddings cost about 10× the hashes per photo (README "Verification"); the hashes' own
 *  signals already meet the dev-set targets, so embeddings are a setting, off unless asked. */
export const EMBEDDINGS_BY_DEFAULT = false;

/** Measured on the dev set (`npm run bench:accuracy`): see README "Verification". */
export const DEFAULT_CANDIDATES: CandidateOptions = { pdqRadius: 70, ahashRadius: 16, embeddingRadius: 64, perImage: 8 };

export interface CandidatePair {
  a: string;
  b: string;
  signals: CandidateSignal[];
  /** Inputs holding each digest, for the verifier to read. */
  inputA: number;
  inputB: number;
}

export type CandidateInput = ClusterInput & { embedding?: string };

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
 *  out pairs the clustering search already links. */
export function candidateRows(c: CandidateCodes, options: CandidateOptions = DEFAULT_CANDIDATES): CandidateRows[] {
  const found = new Map<number, CandidateRows>();
  const stride = c.codes.count;
  const add = (signal: CandidateSignal, x: number, y: number) => {
    const [r, s] = x < y ? [x, y] : [y, x];
    if (pairDistance(c.codes, r, s, c.linkedRadius) <= c.linkedRadius) return;
    const key = r * stride + s;
    const known = found.get(key);
    if (known) known.signals.push(signal);
    else found.set(key, { r, s, signals: [signal] });
  };
  // Whole frames as they are (variant 0): rotated and mirrored copies are the strict search's.
  if (c.codes.words === 8 && options.pdqRadius > c.linkedRadius) for (const [r, s] of sortedNeighbourPairs(firstVariant(c.codes), { radius: options.pdqRadius, perCode: options.perImage })) add('pdq-loose', r, s);
  const signal = (name: CandidateSignal, { codes, rows }: RowCodes, radius: number) => {
    if (codes.count > 1) for (const [k, l] of sortedNeighbourPairs(codes, { radius, perCode: options.perImage })) add(name, rows[k]!, rows[l]!);
  };
  signal('ahash', c.ahash, options.ahashRadius);
  signal('embedding', c.embedding, options.embeddingRadius);
  return [...found.values()];
}

function firstVariant(codes: HashCodes): HashCodes {
  if (codes.variants === 1) return codes;
  const out = allocateHashCodes(codes.count, codes.words, 1);
  for (let i = 0; i < codes.count; i++) out.data.set(codes.data.subarray(i * codes.variants * codes.words, (i * codes.variants + 1) * codes.words), i * codes.words);
  return out;
}

/** Every candidate pair of a clustering plan, by digest (see candidateRows). */
export function proposeCandidates(inputs: ReadonlyArray<CandidateInput>, plan: ClusteringPlan, options: CandidateOptions = DEFAULT_CANDIDATES): CandidatePair[] {
  const rows = Array.from(plan.hashed, (input) => inputs[input]!);
  const embedded = rows.flatMap((f, r) => (f.embedding ? [r] : []));
  const embedding = allocateHashCodes(embedded.length, 8, 1);
  embedded.forEach((r, k) => embedding.data.set(hexToWords32(rows[r]!.embedding!), k * 8));
  const ahash = { codes: packHashes('ahash', rows), rows: Array.from(rows.keys()) };
  const pairs = candidateRows({ codes: plan.codes, linkedRadius: plan.radius, ahash, embedding: { codes: embedding, rows: embedded } }, options);
  return pairs.map(({ r, s, signals }) => {
    const [x, y] = [plan.hashed[r]!, plan.hashed[s]!];
    const [a, b] = orderedPair(inputs[x]!.digest, inputs[y]!.digest);
    return a === inputs[x]!.digest ? { a, b, signals, inputA: x, inputB: y } : { a, b, signals, inputA: y, inputB: x };
  });
}

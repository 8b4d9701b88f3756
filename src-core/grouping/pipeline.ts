// The grouping pipeline: contents from a fingerprint source → pair search → candidate pairs →
// verification → clustering per file. The stages are here once; the CLI and the app are thin
// adapters that plug in their ports (where the contents come from, how the search runs, who
// verifies). The app runs the stages apart (groups first, candidates later), the CLI in one go
// (groupFingerprints).
import { finishClustering, planClustering, type ClusterOptions, type Clustering, type VerifiedEdge, type VerifiedIdEdge } from '../cluster/clustering';
import { selectRows, type HashCodes } from '../similarity/hash-codes';
import { MultiIndex } from '../similarity/multi-index';
import { PairBuffer, type PairArrays } from '../similarity/pair-buffer';
import { candidateRows, DEFAULT_CANDIDATES, type CandidateOptions, type CandidatePair, type RowCodes } from '../verify/candidates';
import { verifiedEdges, type PairDecision } from '../verify/verified-pairs';
import { contentRows, fingerprintContents, searchableContents, type Contents, type FingerprintInput, type SearchableContents } from './contents';

/** Port: finds every pair of `codes` within `radius` (in this thread, or across workers). */
export type PairSearch = (codes: HashCodes, radius: number) => PairArrays | Promise<PairArrays>;

/** Port: decides candidate pairs (the CLI checks them in a pool of worker processes). */
export type PairVerifier = (candidates: CandidatePair[]) => Promise<PairDecision[]>;

const NO_CODES: RowCodes = { codes: { count: 0, words: 8, variants: 1, data: new Uint32Array(0) }, rows: [] };

export function searchPairsHere(codes: HashCodes, radius: number): PairArrays {
  const pairs = new PairBuffer();
  new MultiIndex(codes, radius).forEachPair((i, j, d) => pairs.push(i, j, d));
  return pairs;
}

/** The similar pairs among the searchable contents, between content rows. */
export async function searchPairs(searchable: SearchableContents, search: PairSearch): Promise<PairArrays> {
  return contentPairs(searchable, await search(searchable.codes, searchable.radius));
}

/** Pairs found between search rows, renumbered to content rows. */
function contentPairs(searchable: SearchableContents, found: PairArrays): PairArrays {
  const pairs = new PairBuffer();
  for (let k = 0; k < found.count; k++) pairs.push(searchable.rows[found.first[k]!]!, searchable.rows[found.second[k]!]!, found.distance[k]!);
  return pairs.toArrays();
}

/** Pairs for the verifier: those the search does not link but a looser signal puts close
 *  (src-core/verify/candidates.ts), between the searchable contents' representatives, by
 *  digest (a < b), `inputA`/`inputB` their rows. The budget counts contents, not files. */
export function proposePairs(contents: Contents, searchable: SearchableContents, options: CandidateOptions = DEFAULT_CANDIDATES): CandidatePair[] {
  const searchIndex = new Int32Array(contents.digests.length).fill(-1);
  searchable.rows.forEach((row, k) => (searchIndex[row] = k));
  const { ahash, embedding, windows, features } = contents.signals ?? { ahash: NO_CODES, embedding: NO_CODES };
  const found = candidateRows(
    { codes: searchable.codes, linkedRadius: searchable.radius, ahash: searchedRowCodes(ahash, searchIndex), embedding: searchedRowCodes(embedding, searchIndex), ...(windows ? { windows: searchedRowCodes(windows, searchIndex) } : {}), ...(features ? { features: searchedRowCodes(features, searchIndex) } : {}) },
    options,
  );
  return found.map(({ r, s, signals }) => {
    const [x, y] = [searchable.rows[r]!, searchable.rows[s]!];
    const [dx, dy] = [contents.digests[x]!, contents.digests[y]!];
    return dx < dy ? { a: dx, b: dy, signals, inputA: x, inputB: y } : { a: dy, b: dx, signals, inputA: y, inputB: x };
  });
}

/** Candidates among fingerprints in memory, each read from the first input holding it
 *  (`holder` from fingerprintContents) rather than by content row. */
export function readFromInputs(candidates: CandidatePair[], holder: Int32Array): CandidatePair[] {
  return candidates.map((c) => ({ ...c, inputA: holder[c.inputA]!, inputB: holder[c.inputB]! }));
}

/** The signal codes of searchable contents, their rows renumbered to search rows, with which
 *  are mirrored (local features; none for the other signals). */
function searchedRowCodes({ codes, rows, mirrored }: RowCodes & { mirrored?: ArrayLike<number> }, searchIndex: Int32Array): RowCodes & { mirrored: number[] } {
  const kept = Array.from({ length: codes.count }, (_, k) => k).filter((k) => searchIndex[rows[k]!]! >= 0);
  return { codes: selectRows(codes, kept), rows: kept.map((k) => searchIndex[rows[k]!]!), mirrored: kept.map((k) => mirrored?.[k] ?? 0) };
}

/**
 * Clusters files: `fileRow[i]` is the row (digest) of file i, `pairs` are between rows (from
 * searchPairs, or saved), `verified` between digests (of any row of a content). Every file of
 * a content joins the content's groups at similarity 1, with its representative's hashes and
 * verified links. The clustering's inputs are the files.
 */
export function clusterContents(contents: Contents, fileRow: Int32Array, pairs: PairArrays, verified: ReadonlyArray<VerifiedEdge>, options: ClusterOptions): Clustering {
  const sameAs = contentRows(contents);
  const fileContent = Int32Array.from(fileRow, (row) => sameAs[row]!);
  const quality = Uint8Array.from(fileContent, (row) => contents.quality[row]!);
  const rowOfDigest = new Map(contents.digests.map((d, k) => [d, k]));
  const verifiedRows: VerifiedIdEdge[] = [];
  for (const { a, b, similarity, edits, transform } of verified) {
    const [ra, rb] = [rowOfDigest.get(a), rowOfDigest.get(b)];
    if (ra !== undefined && rb !== undefined && sameAs[ra] !== sameAs[rb]) verifiedRows.push([sameAs[ra]!, sameAs[rb]!, similarity, edits, transform]);
  }
  const plan = planClustering(selectRows(contents.codes, fileContent), fileRow, quality, options, verifiedRows, fileContent);
  const codeOfContent = new Map<number, number>();
  fileContent.forEach((row, i) => plan.codeOf[i]! >= 0 && codeOfContent.set(row, plan.codeOf[i]!));
  const planPairs = new PairBuffer();
  for (let k = 0; k < pairs.count; k++) {
    const [a, b] = [codeOfContent.get(sameAs[pairs.first[k]!]!), codeOfContent.get(sameAs[pairs.second[k]!]!)];
    if (a !== undefined && b !== undefined && a !== b) planPairs.push(a, b, pairs.distance[k]!);
  }
  return finishClustering(plan, planPairs);
}

export interface FingerprintGrouping {
  clustering: Clustering;
  /** The verifier's decisions; undefined when no verifier was given. */
  decisions?: PairDecision[];
}

/** `verified`: pairs confirmed before (the verifier's decisions are added to them). */
export type FingerprintClusterOptions = ClusterOptions & { verified?: ReadonlyArray<VerifiedEdge> };

/** The whole pipeline on fingerprints in memory. */
export async function groupFingerprints(
  inputs: ReadonlyArray<FingerprintInput>,
  options: FingerprintClusterOptions,
  ports: { search: PairSearch; verifier?: PairVerifier },
): Promise<FingerprintGrouping> {
  const { contents, contentOf, holder } = fingerprintContents(inputs, options.method);
  const searchable = searchableContents(contents, options);
  const pairs = await searchPairs(searchable, ports.search);
  const decisions = ports.verifier ? await ports.verifier(readFromInputs(proposePairs(contents, searchable), holder)) : undefined;
  const verified = [...(options.verified ?? []), ...verifiedEdges(decisions ?? [])];
  return { clustering: clusterContents(contents, contentOf, pairs, verified, options), ...(decisions ? { decisions } : {}) };
}

/** The same without a verifier, searched in this thread (benchmarks, tests). */
export function clusterFingerprints(inputs: ReadonlyArray<FingerprintInput>, options: FingerprintClusterOptions): Clustering {
  const { contents, contentOf } = fingerprintContents(inputs, options.method);
  const searchable = searchableContents(contents, options);
  return clusterContents(contents, contentOf, contentPairs(searchable, searchPairsHere(searchable.codes, searchable.radius)), options.verified ?? [], options);
}

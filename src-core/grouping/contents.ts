// What a fingerprint source hands the grouping pipeline: one row per distinct content
// (digest) with its packed hashes. Files are clustered per file later; searching and proposing
// pairs per content means identical copies cost nothing extra.
import { hexToWords32 } from '../hash/hamming';
import { MIN_PDQ_QUALITY, type ClusterInput, type ClusterOptions } from '../cluster/clustering';
import { allocateHashCodes, selectRows, type HashCodes } from '../similarity/hash-codes';
import { packHashes, radiusForSimilarity, SIMILARITY_FLOOR, type Method } from '../similarity/methods';
import type { RowCodes } from '../verify/candidates';

/** The looser signals that propose pairs for verification; their rows index contents. */
export interface CandidateSignalCodes {
  ahash: RowCodes;
  embedding: RowCodes;
}

export interface Contents {
  digests: readonly string[];
  /** Row k holds the clustering method's hashes of digests[k]. */
  codes: HashCodes;
  quality: Uint8Array;
  /** Absent when the source keeps none (a saved snapshot): no pair is proposed. */
  signals?: CandidateSignalCodes;
}

/** The contents searched for pairs: those with enough PDQ quality, and the search radius. */
export interface SearchableContents {
  /** Content row of each row of `codes`. */
  rows: Int32Array;
  codes: HashCodes;
  radius: number;
}

export type FingerprintInput = ClusterInput & { embedding?: string };

/** Fingerprints in memory as contents (in order of first appearance), with the content row of
 *  each input and the first input holding each content (where a verifier reads it). */
export function fingerprintContents(inputs: ReadonlyArray<FingerprintInput>, method: Method): { contents: Contents; contentOf: Int32Array; holder: Int32Array } {
  const rowOfDigest = new Map<string, number>();
  const holders: number[] = [];
  const contentOf = Int32Array.from(inputs, (f, i) => {
    let row = rowOfDigest.get(f.digest);
    if (row === undefined) rowOfDigest.set(f.digest, (row = holders.push(i) - 1));
    return row;
  });
  const firsts = holders.map((i) => inputs[i]!);
  const embedded = firsts.flatMap((f, row) => (f.embedding ? [row] : []));
  const embedding = allocateHashCodes(embedded.length, 8, 1);
  embedded.forEach((row, k) => embedding.data.set(hexToWords32(firsts[row]!.embedding!), k * 8));
  const contents: Contents = {
    digests: firsts.map((f) => f.digest),
    codes: packHashes(method, firsts),
    quality: Uint8Array.from(firsts, (f) => f.pdqQuality),
    signals: { ahash: { codes: packHashes('ahash', firsts), rows: Array.from(firsts.keys()) }, embedding: { codes: embedding, rows: embedded } },
  };
  return { contents, contentOf, holder: Int32Array.from(holders) };
}

/** The contents of `rows` (all, by default), in that order, that are worth searching: below
 *  the minimum quality a content groups by identical bytes only. */
export function searchableContents(contents: Contents, options: Pick<ClusterOptions, 'method' | 'floor' | 'minQuality'>, rows?: ArrayLike<number>): SearchableContents {
  const minQuality = options.minQuality ?? MIN_PDQ_QUALITY;
  const searched = Int32Array.from(rows ?? Array.from(contents.digests.keys())).filter((row) => contents.quality[row]! >= minQuality);
  return { rows: searched, codes: selectRows(contents.codes, searched), radius: radiusForSimilarity(options.method, options.floor ?? SIMILARITY_FLOOR) };
}

// What a fingerprint source hands the grouping pipeline: one row per distinct digest with its
// packed hashes, and which rows are one content: byte-different copies (a backup with bytes
// appended, a re-download, edited metadata) with the same pixels or the same fingerprint.
// Files are clustered per file later; searching, proposing and verifying pairs once per
// content means copies cost nothing extra and take no share of the candidate budget.
import { hexToWords32 } from '../hash/hamming';
import { MIN_PDQ_QUALITY, type ClusterInput, type ClusterOptions } from '../cluster/clustering';
import { UnionFind } from '../cluster/union-find';
import { allocateHashCodes, selectRows, type HashCodes } from '../similarity/hash-codes';
import { packHashes, radiusForSimilarity, SIMILARITY_FLOOR, type Method } from '../similarity/methods';
import type { RowCodes } from '../verify/candidates';
import type { Fingerprint } from '../fingerprint';

/** The looser signals that propose pairs for verification; their rows index contents. */
export interface CandidateSignalCodes {
  ahash: RowCodes;
  embedding: RowCodes;
}

export interface Contents {
  /** One row per distinct digest. */
  digests: readonly string[];
  /** Row k holds the clustering method's hashes of digests[k]. */
  codes: HashCodes;
  quality: Uint8Array;
  /** Absent when the source keeps none (a saved snapshot): no pair is proposed. */
  signals?: CandidateSignalCodes;
  /** Row k's content: the first row of the same content (`k` itself for the first); absent
   *  when every row is a content of its own. Rows of one content have the same hashes. */
  sameAs?: Int32Array;
}

/** The contents searched for pairs: those with enough PDQ quality, and the search radius. */
export interface SearchableContents {
  /** Content row of each row of `codes`. */
  rows: Int32Array;
  codes: HashCodes;
  radius: number;
}

export type FingerprintInput = ClusterInput & Partial<Pick<Fingerprint, 'pdqWindows' | 'pixelDigest' | 'embedding'>>;

/** Fingerprints in memory as contents (a row per digest, in order of first appearance), with
 *  the row of each input and the first input holding each row (where a verifier reads it).
 *  Rows are one content by fingerprintContentKey. */
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
    sameAs: sameContentRows(firsts.map(fingerprintContentKeys)),
  };
  return { contents, contentOf, holder: Int32Array.from(holders) };
}

/** What makes fingerprints one content, either of: the same JPEG pixel data (a metadata
 *  edit), or (with enough quality to mean anything) every hash alike: PDQ, its variants and
 *  windows, the imagehash family, and the embedding code (a copy hashed without one stays
 *  apart). Bytes appended after a JPEG's end change its pixel digest but not its hashes. */
export function fingerprintContentKeys(f: FingerprintInput): string[] {
  const keys = f.pixelDigest ? [`pixels ${f.pixelDigest}`] : [];
  if (f.pdqQuality >= MIN_PDQ_QUALITY) keys.push(['hashes', ...packHashes('pdq-windows', [f]).data, f.ahash, f.dhash, f.phash, f.whash, f.embedding ?? ''].join(' '));
  return keys;
}

/** One content per equal packed hashes (the clustering method's codes, all variants), for a
 *  source that keeps nothing else per digest (the app's packed blocks). Rows under the minimum
 *  quality stay apart: blank images can share hashes without being copies. */
export function packedContentKeys(contents: Pick<Contents, 'codes' | 'quality'>, minQuality = MIN_PDQ_QUALITY): string[][] {
  const stride = contents.codes.words * contents.codes.variants;
  return Array.from(contents.quality, (quality, row) => (quality < minQuality ? [] : [contents.codes.data.subarray(row * stride, (row + 1) * stride).join(' ')]));
}

/** Rows sharing any key are one content (transitively); per row, the first of `rows` (all, by
 *  default, in order) of its content. Rows not among `rows` are their own. */
export function sameContentRows(keys: ReadonlyArray<readonly string[]>, rows?: ArrayLike<number>): Int32Array {
  const order = Array.from(rows ?? keys.keys());
  const sets = new UnionFind(keys.length);
  const holder = new Map<string, number>();
  for (const row of order) {
    for (const key of keys[row]!) {
      const known = holder.get(key);
      if (known === undefined) holder.set(key, row);
      else sets.union(known, row);
    }
  }
  const firstOfSet = new Map<number, number>();
  const sameAs = Int32Array.from(keys.keys());
  for (const row of order) {
    const root = sets.find(row);
    const first = firstOfSet.get(root);
    if (first === undefined) firstOfSet.set(root, row);
    else sameAs[row] = first;
  }
  return sameAs;
}

/** The representative row of each row's content. */
export function contentRows(contents: Contents): Int32Array {
  return contents.sameAs ?? Int32Array.from(contents.digests.keys());
}

/** The contents of `rows` (all, by default), in that order, that are worth searching: one row
 *  per content (its first), and below the minimum quality a content groups by identical bytes
 *  only. */
export function searchableContents(contents: Contents, options: Pick<ClusterOptions, 'method' | 'floor' | 'minQuality'>, rows?: ArrayLike<number>): SearchableContents {
  const minQuality = options.minQuality ?? MIN_PDQ_QUALITY;
  const sameAs = contentRows(contents);
  const searched = Int32Array.from(rows ?? Array.from(contents.digests.keys())).filter((row) => sameAs[row] === row && contents.quality[row]! >= minQuality);
  return { rows: searched, codes: selectRows(contents.codes, searched), radius: radiusForSimilarity(options.method, options.floor ?? SIMILARITY_FLOOR) };
}

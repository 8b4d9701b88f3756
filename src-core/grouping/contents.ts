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
import { CANDIDATE_DESCRIPTOR_BYTES, type RowCodes } from '../verify/candidates';
import type { Fingerprint } from '../fingerprint';

/** The looser signals that propose pairs for verification; their rows index contents. */
export interface CandidateSignalCodes {
  ahash: RowCodes;
  embedding: RowCodes;
  /** PDQ of content rectangles, several per row (windows signal). */
  windows?: RowCodes;
  /** Local feature codes, several per row, and which are the mirror image's (features signal). */
  features?: RowCodes & { mirrored: ArrayLike<number> };
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

export type FingerprintInput = ClusterInput & Partial<Pick<Fingerprint, 'pdqWindows' | 'pdqContent' | 'orb' | 'orbMirrored' | 'pixelDigest' | 'embedding'>>;

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
  // Records from other tools may lack aHash (src-core/fingerprint-records.ts): no aHash candidates.
  const ahashed = firsts.flatMap((f, row) => (f.ahash ? [row] : []));
  const embedded = firsts.flatMap((f, row) => (f.embedding ? [row] : []));
  const embedding = allocateHashCodes(embedded.length, 8, 1);
  embedded.forEach((row, k) => embedding.data.set(hexToWords32(firsts[row]!.embedding!), k * 8));
  const windowRows = firsts.flatMap((f, row) => (f.pdqContent ?? []).map(() => row));
  const windows = allocateHashCodes(windowRows.length, 8, 1);
  firsts.flatMap((f) => f.pdqContent ?? []).forEach((hex, k) => windows.data.set(hexToWords32(hex), k * 8));
  const features = featureCodes(firsts);
  const contents: Contents = {
    digests: firsts.map((f) => f.digest),
    codes: packHashes(method, firsts),
    quality: Uint8Array.from(firsts, (f) => f.pdqQuality),
    signals: { ahash: { codes: packHashes('ahash', ahashed.map((row) => firsts[row]!)), rows: ahashed }, embedding: { codes: embedding, rows: embedded }, windows: { codes: windows, rows: windowRows }, features },
    sameAs: sameContentRows(firsts.length, fingerprintContentKeys(firsts)),
  };
  return { contents, contentOf, holder: Int32Array.from(holders) };
}

/** One way two rows can be one content: `bucket` narrows the rows compared (undefined: the row
 *  has no such key), `equal` decides. Buckets, not whole keys, are held: a million rows of
 *  11 PDQ hashes would be a gigabyte of key strings. */
export interface ContentKey {
  bucket(row: number): number | undefined;
  equal(a: number, b: number): boolean;
}

/** The first 48 bits of a hex digest or hash, as a bucket. */
const hexBucket = (hex: string) => parseInt(hex.slice(0, 12), 16);

/** What makes fingerprints one content, either of: the same JPEG pixel data (a metadata edit),
 *  or (with enough quality to mean anything: blank images share hashes without being copies)
 *  every hash alike: PDQ, its variants and windows, the imagehash family, and the embedding
 *  code (a copy hashed without one stays apart). Bytes appended after a JPEG's end change its
 *  pixel digest but not its hashes. */
export function fingerprintContentKeys(rows: ReadonlyArray<FingerprintInput>): ContentKey[] {
  const pixels: ContentKey = {
    bucket: (row) => (rows[row]!.pixelDigest ? hexBucket(rows[row]!.pixelDigest!) : undefined),
    equal: (a, b) => rows[a]!.pixelDigest === rows[b]!.pixelDigest,
  };
  const hashes: ContentKey = {
    bucket: (row) => (rows[row]!.pdqQuality >= MIN_PDQ_QUALITY ? hexBucket(rows[row]!.pdq) : undefined),
    equal: (a, b) => sameHashes(rows[a]!, rows[b]!),
  };
  return [pixels, hashes];
}

function sameHashes(x: FingerprintInput, y: FingerprintInput): boolean {
  const fields = ['pdq', 'ahash', 'dhash', 'phash', 'whash', 'embedding'] as const;
  const windows = (f: FingerprintInput) => (f.pdqWindows ?? []).join();
  return fields.every((k) => x[k] === y[k]) && windows(x) === windows(y) && Object.entries(x.pdqDihedral).every(([name, hash]) => y.pdqDihedral[name as keyof typeof y.pdqDihedral] === hash);
}

/** Per row, the first of `rows` of its content when one content is equal packed hashes (the
 *  clustering method's codes, every variant): for a source that keeps nothing else per digest
 *  (the app's packed blocks). Rows under the minimum quality stay apart. */
export function packedSameContents(contents: Pick<Contents, 'codes' | 'quality'>, rows?: ArrayLike<number>, minQuality = MIN_PDQ_QUALITY): Int32Array {
  const { data, words, variants } = contents.codes;
  const stride = words * variants;
  const key: ContentKey = {
    bucket: (row) => (contents.quality[row]! < minQuality ? undefined : data[row * stride]! * 0x10000 + (data[row * stride + 1]! >>> 16)),
    equal: (a, b) => {
      for (let k = 0; k < stride; k++) if (data[a * stride + k] !== data[b * stride + k]) return false;
      return true;
    },
  };
  return sameContentRows(contents.quality.length, [key], rows);
}

/** Rows that any key finds equal are one content (transitively); per row, the first of `rows`
 *  (all, by default, in order) of its content. Rows not among `rows` are their own. */
export function sameContentRows(count: number, keys: readonly ContentKey[], rows?: ArrayLike<number>): Int32Array {
  const sameAs = Int32Array.from({ length: count }, (_, row) => row);
  const order = Array.from(rows ?? sameAs);
  const sets = new UnionFind(count);
  for (const key of keys) {
    // Per bucket, a chain of the distinct keys seen: its latest row, then each one's previous.
    const latest = new Map<number, number>();
    const previous = new Int32Array(count).fill(-1);
    for (const row of order) {
      const bucket = key.bucket(row);
      if (bucket === undefined) continue;
      let other = latest.get(bucket) ?? -1;
      while (other >= 0 && !key.equal(other, row)) other = previous[other]!;
      if (other >= 0) sets.union(other, row);
      else {
        previous[row] = latest.get(bucket) ?? -1;
        latest.set(bucket, row);
      }
    }
  }
  const firstOfSet = new Map<number, number>();
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

/** The local feature codes of each row (Fingerprint.orb, then orbMirrored), one code per
 *  descriptor. */
function featureCodes(fingerprints: ReadonlyArray<FingerprintInput>): RowCodes & { mirrored: Uint8Array } {
  const decode = (base64: string | undefined) => (base64 ? Uint8Array.from(atob(base64), (c) => c.charCodeAt(0)) : new Uint8Array(0));
  const parts = fingerprints.flatMap((f, row) => [{ row, mirrored: 0, bytes: decode(f.orb) }, { row, mirrored: 1, bytes: decode(f.orbMirrored) }]);
  const rows: number[] = [];
  const mirrored: number[] = [];
  for (const { row, mirrored: m, bytes } of parts) {
    for (let k = 0; k < Math.floor(bytes.length / CANDIDATE_DESCRIPTOR_BYTES); k++) rows.push(row), mirrored.push(m);
  }
  const codes = allocateHashCodes(rows.length, CANDIDATE_DESCRIPTOR_BYTES / 4, 1);
  const bytes = new Uint8Array(codes.data.buffer);
  let at = 0;
  for (const part of parts) {
    const usable = part.bytes.subarray(0, Math.floor(part.bytes.length / CANDIDATE_DESCRIPTOR_BYTES) * CANDIDATE_DESCRIPTOR_BYTES);
    bytes.set(usable, at);
    at += usable.length;
  }
  return { codes, rows, mirrored: Uint8Array.from(mirrored) };
}

// The fingerprint of one image file, and the typed error a file can yield instead.
// Shared by the worker, the CLI, the host and the renderer: keep it plain JSON.
import type { DihedralName } from './hash/pdq';

/** How pixels were obtained: `product` = fast shrink-on-load decode with EXIF orientation
 *  applied; `reference` = full decode, no orientation, resized exactly as the reference
 *  implementations do (bit-compatible hashes). */
export type HashMode = 'product' | 'reference';

export interface ExifSummary {
  /** DateTimeOriginal (or CreateDate) as an ISO-like local time `YYYY-MM-DDTHH:MM:SS`, no zone. */
  dateTaken?: string;
  make?: string;
  model?: string;
  /** EXIF Orientation tag 1..8 as stored in the file. */
  orientation?: number;
  gpsPresent?: boolean;
  /** IFD0 DateTime (the file's last edit as the writer recorded it), same form as dateTaken. */
  modifyDate?: string;
  /** IFD0 Software: the camera firmware or the program that last wrote the file. */
  software?: string;
}

/** What a file's bytes and pixels say about how it was made: the evidence the keeper rules
 *  weigh to find the original among copies (src-core/keeper.ts). Measured on the product
 *  decode (hash/decode.ts), so values compare between copies of one photo, not across photos. */
export interface ImageEvidence {
  /** JPEG only: the IJG quality (1..100) its luminance quantisation table corresponds to. */
  jpegQuality?: number;
  /** The photo inside uniform borders or letterbox bars: [left, top, width, height] as
   *  fractions of the frame ([0, 0, 1, 1] when there are none). */
  content: [number, number, number, number];
  /** The content is grey: a black-and-white image, whatever its channels (under 0.5% of its
   *  pixels have channels more than 12 levels apart: JPEG chroma noise stays within that). */
  grey: boolean;
  /** Share of the content's pixels with a channel at ≤ 1 or ≥ 254: clipped shadows and highlights. */
  clipped: number;
  /** Estimated noise standard deviation of the content's luma (Immerkær), in grey levels. */
  noise: number;
  /** Mean gradient energy of the content's luma, in grey levels²: higher is sharper. Like
   *  noise, per pixel of the decode (docs/hash-definitions.md, "Keeper evidence"). */
  sharpness: number;
  /** Standard deviation of the content's luma, in grey levels: sharpness over its square does
   *  not change when a copy's contrast or brightness is scaled. */
  contrast?: number;
  /** Colour that does not follow brightness, in levels: the standard deviation of the opponent
   *  channels (R−G, (R+G)/2−B) left after their linear fit on luma. A colour photo has plenty;
   *  a grey photo has none, also once tinted or toned (its colour then follows brightness). */
  chroma?: number;
}

export type DihedralHashes = Record<Exclude<DihedralName, 'original'>, string>;

/** Product-mode hashes of this version: 2 = PDQ from the ≥ 512 px decode squashed as the
 *  reference does (docs/hash-definitions.md, "Product mode"); absent in older fingerprints (1). */
export const PRODUCT_HASH_VERSION = 2;

/** A stored product fingerprint to hash again: made before keeper evidence or before the
 *  current product hashes (their PDQ is a few bits off what the same file hashes to now).
 *  Content rectangles (`pdqContent`) do not count: the app does not store them, so a
 *  fingerprint lacking them would be hashed again on every clustering. */
export function isStaleFingerprint(f: Pick<Fingerprint, 'evidence' | 'hashVersion'>): boolean {
  return !f.evidence || (f.hashVersion ?? 1) < PRODUCT_HASH_VERSION;
}

export interface Fingerprint {
  path: string;
  size: number;
  mtimeMs: number;
  /** SHA-256 of the file bytes, lowercase hex: equal digests are exact duplicates. */
  digest: string;
  /** Dimensions as displayed (after EXIF orientation in product mode). */
  width: number;
  height: number;
  format: string;
  /** PDQ hash, 64 hex chars in ThreatExchange's order. */
  pdq: string;
  pdqQuality: number;
  pdqDihedral: DihedralHashes;
  /** Product mode: PDQ of the border-trimmed frame and of fixed windows of it (WINDOW_NAMES
   *  order, hash/windows.ts), candidates for crops, borders and letterboxes. Absent in
   *  reference mode and in fingerprints from before it existed. */
  pdqWindows?: string[];
  /** Product mode: PDQ of each content rectangle found in the image (the photo inside a
   *  screenshot's chrome, above a caption bar, inside a mat; a collage's tiles), at most 8,
   *  largest first, [] when there is none (hash/content-rects.ts). A candidate signal for the
   *  verifier, matched against every orientation of the other images' frames. Absent in
   *  reference mode and in fingerprints from before it existed (refreshed like `evidence`). */
  pdqContent?: string[];
  /** Product mode: local features, the image's strongest ORB descriptors cut to their first
   *  8 bytes (up to 64 of them, base64; src-main/verify/candidate-features.ts), and its mirror
   *  image's. A candidate signal for the verifier where no global hash sees the copy (a crop of
   *  20–35%, a photo in a screenshot, perspective; mirrored too). Only when the hash job asks
   *  (`localFeatures`: `doppel scan`); absent otherwise, in reference mode and in older
   *  fingerprints, which are not stale for it. */
  orb?: string;
  orbMirrored?: string;
  /** imagehash-compatible 64-bit hashes, 16 hex chars MSB-first. */
  ahash: string;
  dhash: string;
  phash: string;
  whash: string;
  exif: ExifSummary;
  /** Animated or multi-page input: only the first frame/page was hashed. */
  pages?: number;
  /** JPEG only: SHA-256 of the pixel-defining data (metadata segments left out), so copies
   *  that differ only in metadata are recognised as the same pixels. */
  pixelDigest?: string;
  /** When embeddings are on: a 256-bit code (64 hex chars) of the image's MobileNetV2
   *  embedding whose Hamming distance follows the embeddings' cosine distance. A candidate
   *  signal for the verification stage that survives crops, screenshots and colour edits. */
  embedding?: string;
  /** Keeper evidence (ImageEvidence); absent in reference mode and in older fingerprints. */
  evidence?: ImageEvidence;
  /** Product mode: PRODUCT_HASH_VERSION when it was made. */
  hashVersion?: number;
}

export const HASH_ERROR_KINDS = [
  'empty', // zero-byte file
  'truncated', // image data ends early
  'corrupt', // an image format we know, but the data is broken
  'unsupported', // not an image, or a format we cannot decode
  'too-large', // over the pixel limit (decompression-bomb guard)
  'vanished', // deleted or moved before we could read it
  'permission', // the OS refused to let us read it
  'not-a-file', // a directory or device where a file was expected
  'outside', // not inside a watched folder once links are resolved (hashed only inside them)
  'changed', // modified while we were reading it
  'io', // any other read error (network drive dropped, EIO…)
  'timeout', // the worker took longer than the per-job limit and was replaced
  'crashed', // the worker process died while hashing this file
  'cancelled', // the job was cancelled before it ran
] as const;
export type HashErrorKind = (typeof HASH_ERROR_KINDS)[number];

export interface HashErrorInfo {
  kind: HashErrorKind;
  message: string;
}

export type HashOutcome =
  | { ok: true; fingerprint: Fingerprint }
  | { ok: false; path: string; error: HashErrorInfo };

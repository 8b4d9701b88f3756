// One file in, one Fingerprint out (or a typed HashError). Runs inside a worker process.
import { createHash } from 'node:crypto';
import { PRODUCT_HASH_VERSION, type Fingerprint, type HashErrorKind, type HashMode } from '../../src-core/fingerprint';
import type { FileFacts } from '../../src-core/hash-protocol';
import { perceptualHashes } from '../../src-core/hash/perceptual';
import { imageEvidence } from '../../src-core/hash/image-evidence';
import { jpegQuality } from '../../src-core/hash/jpeg-quality';
import { decodeImage, type DecodedImage } from './decode';
import { classifyDecodeError, classifyFsError, HashError } from './errors';
import { OpenRefused, openRegularFile, type OpenRefusal } from '../files/open-regular';
import { readExifSummary } from './exif';
import { decodeKey, jpegPixelDigest } from './pixel-digest';
import { DecodedElsewhere } from './same-pixels';
import { isRawPath } from '../../src-core/image-extensions';
import { largestRawPreview } from './raw-preview';
import { ensureThumbnail } from './thumbnail';
import { embeddingCodeOf } from '../embed/fingerprint-embedding';

export interface FileBytes {
  bytes: Buffer;
  size: number;
  mtimeMs: number;
}

/** Fault injection for tests: every read waits this long first, like a slow network share. */
const TEST_READ_DELAY_MS = Number(process.env.DOPPEL_TEST_READ_DELAY_MS) || 0;

/** Reads the whole file through one descriptor and checks it did not change meanwhile,
 *  so the digest, the pixels and the recorded size/mtime all describe the same bytes. Only a
 *  regular file is read (never a FIFO or device), and with `within` only one inside those
 *  folders at the moment it is opened (open-regular.ts). */
export async function readStableFile(path: string, within?: readonly string[]): Promise<FileBytes> {
  if (TEST_READ_DELAY_MS > 0) await new Promise((resolve) => setTimeout(resolve, TEST_READ_DELAY_MS));
  let handle;
  let before;
  try {
    ({ handle, stats: before } = await openRegularFile(path, within));
  } catch (error) {
    throw error instanceof OpenRefused ? refusalError(error) : classifyFsError(error);
  }
  try {
    if (before.size === 0) throw new HashError('empty', 'the file is empty (0 bytes)');
    const bytes = await handle.readFile();
    const after = await handle.stat();
    if (after.size !== before.size || after.mtimeMs !== before.mtimeMs || bytes.length !== before.size) {
      throw new HashError('changed', 'the file changed while it was being read; it will be hashed again when it settles');
    }
    return { bytes, size: before.size, mtimeMs: before.mtimeMs };
  } catch (error) {
    throw error instanceof HashError ? error : classifyFsError(error);
  } finally {
    await handle.close();
  }
}

function refusalError(error: OpenRefused): HashError {
  if (error.refusal === 'gone') return classifyFsError(Object.assign(new Error(error.message), { code: 'ENOENT' }));
  const kinds: Record<Exclude<OpenRefusal, 'gone'>, HashErrorKind> = { outside: 'outside', 'not-a-file': 'not-a-file', swapped: 'changed' };
  return new HashError(kinds[error.refusal], error.message);
}

export interface FingerprintOptions {
  /** Also cache a WebP thumbnail there (product mode only), from the same decode. */
  thumbnailDir?: string;
  /** Also compute the embedding code from the same decode (product mode only). */
  embedding?: boolean;
  /** Also compute the local features (Fingerprint.orb, orbMirrored; product mode only): ~38 ms
   *  of CPU a photo, for `doppel scan`'s features signal only (docs/benchmarks.md, bench:hash). */
  localFeatures?: boolean;
  /** Read the file only inside these folders (readStableFile). */
  within?: readonly string[];
  /** Asked before decoding, with the file's same-decode key (pixel-digest.ts) and its own
   *  fields: false when another job decodes the same pixels, so this file is not decoded
   *  (fingerprintFile throws DecodedElsewhere; see hash/same-pixels.ts). */
  samePixels?: (key: string, file: FileFacts) => Promise<boolean>;
}

export async function fingerprintFile(path: string, mode: HashMode, { thumbnailDir, embedding, localFeatures, within, samePixels }: FingerprintOptions = {}): Promise<Fingerprint> {
  const file = await readStableFile(path, within);
  // A camera RAW is fingerprinted from its largest embedded JPEG preview (its EXIF and digest
  // are the RAW file's own).
  const raw = isRawPath(path);
  const image = raw ? largestRawPreview(file.bytes) : file.bytes;
  const digest = createHash('sha256').update(file.bytes).digest('hex');
  const exif = await readExifSummary(file.bytes);
  const pixelDigest = raw ? undefined : jpegPixelDigest(file.bytes);
  const key = samePixels && !raw ? decodeKey(file.bytes, exif.orientation) : undefined;
  if (key && !(await samePixels!(key, { path, size: file.size, mtimeMs: file.mtimeMs, digest, exif, ...(pixelDigest ? { pixelDigest } : {}) }))) throw new DecodedElsewhere(key);
  let decoded: DecodedImage;
  try {
    decoded = await decodeImage(image, mode);
  } catch (error) {
    throw classifyDecodeError(error, image);
  }
  const fingerprint: Fingerprint = {
    path,
    size: file.size,
    mtimeMs: file.mtimeMs,
    digest,
    width: decoded.width,
    height: decoded.height,
    format: raw ? rawFormat(path) : decoded.format,
    ...perceptualHashes(decoded.pixels, mode, decoded.pdqSource),
    exif,
  };
  if (decoded.pages > 1) fingerprint.pages = decoded.pages;
  if (pixelDigest && decoded.format === 'jpeg') fingerprint.pixelDigest = pixelDigest;
  if (mode === 'product') {
    // The quantisation table is the decoded JPEG's: a RAW's preview, not the sensor data.
    const quality = decoded.format === 'jpeg' ? jpegQuality(image) : undefined;
    fingerprint.evidence = { ...(quality !== undefined ? { jpegQuality: quality } : {}), ...imageEvidence(decoded.pixels) };
    fingerprint.hashVersion = PRODUCT_HASH_VERSION;
  }
  if (embedding && mode === 'product') fingerprint.embedding = await embeddingCodeOf(decoded.pixels);
  // Local features from the decode with its true aspect (the hashers' pixels are squashed);
  // OpenCV loads on the first such job only.
  if (localFeatures && mode === 'product') Object.assign(fingerprint, await (await import('../verify/candidate-features')).candidateDescriptors(decoded.pdqSource ?? decoded.pixels));
  if (thumbnailDir && mode === 'product') {
    await ensureThumbnail(thumbnailDir, fingerprint.digest, decoded.pixels, decoded.width, decoded.height).catch(() => undefined);
  }
  return fingerprint;
}

/** "raw-nef", "raw-dng", …: the container, not the preview's JPEG. */
function rawFormat(path: string): string {
  return `raw-${path.slice(path.lastIndexOf('.') + 1).toLowerCase()}`;
}

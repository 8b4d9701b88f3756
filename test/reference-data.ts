// The shared reference data set (shared/reference: core-vectors.json, expected.json; see its README):
// where it is, its JSON shapes, and decoding of its array entries. Generic plumbing only; what a test
// checks stays in that test.
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { DihedralName } from '../src-core/hash/pdq';

/** shared/reference next to this checkout (…/main/test → …/shared/reference), unless DOPPEL_REFERENCE_DIR says otherwise. */
export const REFERENCE_DIR = process.env.DOPPEL_REFERENCE_DIR ?? fileURLToPath(new URL('../../shared/reference', import.meta.url));

/** An array in the reference files: its data as `values` or little-endian `base64`, or only its sha256. */
export interface ArrayEntry {
  dtype: 'uint8' | 'float32' | 'float64';
  shape: number[];
  values?: number[];
  base64?: string;
  sha256: string;
}

/** One image of expected.json (the fields the tests use). */
export interface ExpectedImage {
  width: number;
  height: number;
  pil_mode: string;
  exif_orientation: number | null;
  pil_rgb_sha256: string;
  imagehash: { ahash: string; dhash: string; phash: string; whash: string };
  imagehash_flags: { phash_tie_sensitive: boolean };
  pdq: { hash: string; quality: number };
  pdq_dihedral?: Record<string, string>;
  pdq_cpp_on_pil_rgb: { hash: string; quality: number };
  pdq_published?: Record<string, { hash: string; hamming_to_pdq: number }>;
}

/** The PDQ stages of one core-vectors.json vector. */
export interface PdqVector {
  width: number;
  height: number;
  channels: number;
  pixels: ArrayEntry;
  luma: ArrayEntry;
  window_size_along_rows: number;
  window_size_along_cols: number;
  buffer64x64: ArrayEntry;
  quality: number;
  dct_first_pass_16x64: ArrayEntry;
  dct16x16: ArrayEntry;
  median: number;
  hash: string;
  dihedral: Record<DihedralName, string>;
}

/** One vector of core-vectors.json (the fields the tests use). */
export interface CoreVector {
  image: string;
  width: number;
  height: number;
  imagehash: {
    rgb: ArrayEntry;
    gray: ArrayEntry;
    ahash: { input: ArrayEntry; mean: number; hash: string };
    dhash: { input: ArrayEntry; hash: string };
    phash: { input: ArrayEntry; dct_lowfreq_8x8: ArrayEntry; median: number; tie_sensitive: boolean; hash: string };
    whash: {
      image_scale: number;
      dwt_level: number;
      input: ArrayEntry;
      after_ll_removal: ArrayEntry;
      dwt_low_8x8: ArrayEntry;
      median: number;
      hash: string;
    };
  };
  pdq: PdqVector;
}

export interface CoreVectors {
  globals: {
    pdq_dct_matrix_16x64: ArrayEntry;
    pdq_luma_coefficients_float32: [number, number, number];
    pdq_window_size_examples: Record<string, number>;
    pillow_lanczos_fixed_point_coefficients: { tables: Record<string, { xmin: number; k: number[] }[]> };
  };
  vectors: CoreVector[];
}

/** Parses a JSON file of the reference folder as T (unchecked: T describes the file). */
export function readReferenceJson<T>(name: string): T {
  return JSON.parse(readFileSync(join(REFERENCE_DIR, name), 'utf8')) as T;
}

export function loadCoreVectors(): CoreVectors {
  return readReferenceJson<CoreVectors>('core-vectors.json');
}

/** expected.json's images, by path below reference/images. */
export function loadExpected(): Record<string, ExpectedImage> {
  return readReferenceJson<{ images: Record<string, ExpectedImage> }>('expected.json').images;
}

/** The number of elements the entry's shape describes. */
export function elementCount(entry: ArrayEntry): number {
  return entry.shape.reduce((a, b) => a * b, 1);
}

function checkDtype(entry: ArrayEntry, dtype: ArrayEntry['dtype']): void {
  if (entry.dtype !== dtype) throw new Error(`expected a ${dtype} array, got ${entry.dtype}`);
}

/** The entry's base64 bytes, copied into a fresh buffer so that float views of it are aligned;
 *  undefined when there is no base64. */
function rawBytes(entry: ArrayEntry): Uint8Array<ArrayBuffer> | undefined {
  return entry.base64 === undefined ? undefined : Uint8Array.from(Buffer.from(entry.base64, 'base64'));
}

function requiredBytes(entry: ArrayEntry): Uint8Array<ArrayBuffer> {
  const bytes = rawBytes(entry);
  if (!bytes) throw new Error(`the ${entry.dtype} entry has no data, only its sha256`);
  return bytes;
}

/** uint8 data of an entry, or undefined when the file gives only its sha256. */
export function uint8Of(entry: ArrayEntry): Uint8Array | undefined {
  checkDtype(entry, 'uint8');
  return entry.values ? Uint8Array.from(entry.values) : rawBytes(entry);
}

/** float32 data of an entry (throws when the file gives only its sha256). Base64 is read little-endian. */
export function float32Of(entry: ArrayEntry): Float32Array {
  checkDtype(entry, 'float32');
  return entry.values ? Float32Array.from(entry.values) : new Float32Array(requiredBytes(entry).buffer);
}

/** float64 data of an entry (throws when the file gives only its sha256). Base64 is read little-endian. */
export function float64Of(entry: ArrayEntry): Float64Array {
  checkDtype(entry, 'float64');
  return entry.values ? Float64Array.from(entry.values) : new Float64Array(requiredBytes(entry).buffer);
}

/** The bytes under a typed array, in platform order (little-endian on every engine these tests run on,
 *  which is the order numpy and the C++ reference hashed). */
function bytesOf(array: ArrayBufferView): Uint8Array {
  return new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
}

/** Hex sha256 of a typed array's bytes, comparable with an ArrayEntry's sha256. */
export function sha256(array: ArrayBufferView): string {
  return createHash('sha256').update(bytesOf(array)).digest('hex');
}

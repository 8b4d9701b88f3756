/**
 * PDQ perceptual hash (256 bits), a bit-exact port of the facebook/ThreatExchange C++ reference
 * (pdq/cpp/hashing/pdqhashing.cpp, pdq/cpp/downscaling/downscaling.cpp, pdq/cpp/common/pdqhashtypes.cpp).
 *
 * Step numbers ("step N") refer to the "PDQ (C++ reference)" list of docs/hash-definitions.md, pitfall
 * numbers to its pitfalls. The C++ works in float32; every +, -, *, / is rounded with Math.fround in the
 * reference's operation order (pitfall 3), otherwise degenerate images get different bits.
 *
 * Pure standard JavaScript: runs in Node, a browser or a Web Worker.
 */

import type { PixelImage } from './image';

export type { PixelImage } from './image';

export const DIHEDRAL_NAMES = [
  'original',
  'rotate90',
  'rotate180',
  'rotate270',
  'flipx',
  'flipy',
  'flipplus1',
  'flipminus1',
] as const;
export type DihedralName = (typeof DIHEDRAL_NAMES)[number];

export interface PdqResult {
  /** 64 lowercase hex digits (step 11). */
  hash: string;
  /** 0..100; ThreatExchange suggests discarding hashes with quality <= 49. */
  quality: number;
  /** The 8 dihedral hashes; dihedral.original === hash. */
  dihedral: Record<DihedralName, string>;
}

// Storing a double into a Float32Array rounds it exactly like fr, so the operation right before a store
// needs no explicit fr.
const fr = Math.fround;

/** step 2: larger images are squashed to exactly this size. */
const REFERENCE_SIDE = 512;
/** step 4 (C++ MIN_HASHABLE_DIM). */
const MIN_HASHABLE_DIM = 5;
/** Side of the blurred, decimated buffer (steps 5–6). */
const BUFFER_SIDE = 64;
/** Number of DCT frequencies kept per axis (step 8). */
const DCT_SIDE = 16;
const DCT_COUNT = DCT_SIDE * DCT_SIDE;
/** step 9: Torben's median of 256 values is the 128th smallest. */
const MEDIAN_INDEX = 127;
/** step 6: two repetitions of (row box filter, column box filter). */
const BLUR_REPETITIONS = 2;
const ZERO_HASH = '0'.repeat(64);

/** step 3: the C++ float literals 0.299f, 0.587f, 0.114f. */
const LUMA_R = fr(0.299);
const LUMA_G = fr(0.587);
const LUMA_B = fr(0.114);

// ---------------------------------------------------------------------------------------------
// Pixels → luma
// ---------------------------------------------------------------------------------------------

function checkImage(img: PixelImage): void {
  const { data, width, height, channels } = img;
  if (!Number.isInteger(width) || !Number.isInteger(height) || width < 0 || height < 0) {
    throw new RangeError(`PDQ: invalid image size ${width}x${height}`);
  }
  if (channels !== 1 && channels !== 2 && channels !== 3 && channels !== 4) {
    throw new RangeError(`PDQ: unsupported channel count ${channels}`);
  }
  if (data.length < width * height * channels) {
    throw new RangeError(`PDQ: pixel data too short for ${width}x${height}x${channels}`);
  }
}

/**
 * step 2: the C++ squashes any image with a side > 512 to exactly 512×512 by nearest neighbour,
 * ignoring the aspect ratio (CImg resize(512, 512), interpolation 1). Smaller images are returned as is.
 */
export function referenceSquash512(img: PixelImage): PixelImage {
  checkImage(img);
  const { data, width, height, channels } = img;
  if (width <= REFERENCE_SIDE && height <= REFERENCE_SIDE) return img;
  const out = new Uint8Array(REFERENCE_SIDE * REFERENCE_SIDE * channels);
  const srcColumn = nearestIndices(width);
  let o = 0;
  for (let y = 0; y < REFERENCE_SIDE; y++) {
    const rowStart = Math.floor((y * height) / REFERENCE_SIDE) * width;
    for (let x = 0; x < REFERENCE_SIDE; x++) {
      const s = (rowStart + srcColumn[x]!) * channels;
      for (let c = 0; c < channels; c++) out[o++] = data[s + c]!;
    }
  }
  return { data: out, width: REFERENCE_SIDE, height: REFERENCE_SIDE, channels };
}

/** src = floor(dst * size / 512) for every destination index (step 2). */
function nearestIndices(size: number): Int32Array {
  const indices = new Int32Array(REFERENCE_SIDE);
  for (let i = 0; i < REFERENCE_SIDE; i++) indices[i] = Math.floor((i * size) / REFERENCE_SIDE);
  return indices;
}

/**
 * step 3: float32 luma. 1/2-channel input, and colour input whose pixels are all grey, take the grey
 * path Y = value: ImageMagick hands CImg a 1-channel PNM for all-grey images (pitfall 11).
 */
export function pdqLuma(img: PixelImage): Float32Array {
  checkImage(img);
  const luma = new Float32Array(img.width * img.height);
  if (img.channels < 3 || isAllGrey(img)) greyLuma(img, luma);
  else rgbLuma(img, luma);
  return luma;
}

function isAllGrey(img: PixelImage): boolean {
  const { data, channels } = img;
  const end = img.width * img.height * channels;
  for (let s = 0; s < end; s += channels) {
    const r = data[s]!;
    if (data[s + 1] !== r || data[s + 2] !== r) return false;
  }
  return true;
}

function greyLuma(img: PixelImage, luma: Float32Array): void {
  const { data, channels } = img;
  for (let p = 0, s = 0; p < luma.length; p++, s += channels) luma[p] = data[s]!;
}

/** fr(coefficient * v) for v = 0..255: the three products of step 3, precomputed exactly. */
function productTable(coefficient: number): Float32Array {
  const table = new Float32Array(256);
  for (let v = 0; v < 256; v++) table[v] = coefficient * v;
  return table;
}

const LUMA_R_TABLE = productTable(LUMA_R);
const LUMA_G_TABLE = productTable(LUMA_G);
const LUMA_B_TABLE = productTable(LUMA_B);

function rgbLuma(img: PixelImage, luma: Float32Array): void {
  const { data, channels } = img;
  for (let p = 0, s = 0; p < luma.length; p++, s += channels) {
    // C++: 0.299f*R + 0.587f*G + 0.114f*B, left to right, float32 (SSE, no FMA); the store rounds the last +.
    luma[p] = fr(LUMA_R_TABLE[data[s]!]! + LUMA_G_TABLE[data[s + 1]!]!) + LUMA_B_TABLE[data[s + 2]!]!;
  }
}

// ---------------------------------------------------------------------------------------------
// Luma → 64×64 buffer (steps 5–6)
// ---------------------------------------------------------------------------------------------

/** Rows filtered together by the row pass: independent running sums let the CPU overlap their latency. */
const ROW_BLOCK = 8;

/** step 6: Jarosz window = ceil(old / 128), computed as (old + 2*64 - 1) / (2*64) in integers. */
export function pdqWindowSize(oldDimension: number): number {
  return Math.floor((oldDimension + 2 * BUFFER_SIDE - 1) / (2 * BUFFER_SIDE));
}

/** The 64×64 float32 buffer that feeds the quality metric and the DCT. Does not modify `luma`. */
export function pdqBuffer64(luma: Float32Array, width: number, height: number): Float32Array {
  if (luma.length !== width * height || width < 1 || height < 1) {
    throw new RangeError(`PDQ: luma has ${luma.length} values, expected ${width}x${height}`);
  }
  // step 5 / pitfall 16: exactly 64×64 is copied without blur.
  if (width === BUFFER_SIDE && height === BUFFER_SIDE) return luma.slice();
  const sampledColumns = decimationIndices(width);
  const blurred = jaroszBlur(luma, width, height, sampledColumns);
  return decimate(blurred, width, sampledColumns, decimationIndices(height));
}

/** step 6: floor((i + 0.5) * size / 64), computed in double then truncated like the C++. */
function decimationIndices(size: number): Int32Array {
  const indices = new Int32Array(BUFFER_SIDE);
  for (let i = 0; i < BUFFER_SIDE; i++) indices[i] = Math.floor(((i + 0.5) * size) / BUFFER_SIDE);
  return indices;
}

/**
 * step 6: BLUR_REPETITIONS × (box filter along rows, then along columns).
 * The last column pass only filters the columns that decimation reads: columns are independent, so those
 * values are identical to a full pass, and the rest of the returned buffer must not be read.
 */
function jaroszBlur(
  luma: Float32Array,
  width: number,
  height: number,
  sampledColumns: Int32Array,
): Float32Array {
  const rowWindow = pdqWindowSize(width);
  const columnWindow = pdqWindowSize(height);
  const rowStarts = arithmeticSequence(height, width);
  const allColumns = arithmeticSequence(width, 1);
  const rowPassOut = new Float32Array(luma.length);
  const columnPassOut = new Float32Array(luma.length);
  const sums = new Float32Array(Math.max(width, height, BUFFER_SIDE)); // one per lane
  let input = luma;
  for (let rep = 0; rep < BLUR_REPETITIONS; rep++) {
    for (let first = 0; first < height; first += ROW_BLOCK) {
      const end = Math.min(first + ROW_BLOCK, height);
      boxLanes(input, rowPassOut, rowStarts, first, end, width, 1, rowWindow, sums);
    }
    const columns = rep === BLUR_REPETITIONS - 1 ? sampledColumns : allColumns;
    boxLanes(rowPassOut, columnPassOut, columns, 0, columns.length, height, width, columnWindow, sums);
    input = columnPassOut;
  }
  return columnPassOut;
}

/** [0, step, 2*step, …] with `count` entries. */
function arithmeticSequence(count: number, step: number): Int32Array {
  const sequence = new Int32Array(count);
  for (let i = 0; i < count; i++) sequence[i] = i * step;
  return sequence;
}

/**
 * C++ box1DFloat (step 6), run in lockstep over several independent lanes: lane c is the sequence
 * input[starts[c] + k*step], k = 0..length-1 (a row when step = 1, a column when step = width). Each lane
 * keeps its own float32 running sum in `sums`, with exactly box1DFloat's operation order; the running sum,
 * not a per-window recomputation, is what makes the output bit-exact. Lockstep keeps memory access
 * sequential for columns and overlaps the sums' latency for rows.
 */
function boxLanes(
  input: Float32Array,
  output: Float32Array,
  starts: Int32Array,
  firstLane: number,
  endLane: number,
  length: number,
  step: number,
  windowSize: number,
  sums: Float32Array,
): void {
  const half = Math.floor((windowSize + 2) / 2);
  sums.fill(0, firstLane, endLane);
  let count = 0;
  let add = 0; // next position to add (right edge of the window)
  let sub = 0; // next position to subtract (left edge)
  let out = 0;
  // Phase 1: accumulate half-1 values without writing.
  for (; add < half - 1; add++) {
    count++;
    const a = add * step;
    for (let c = firstLane; c < endLane; c++) sums[c] = fr(sums[c]! + input[starts[c]! + a]!);
  }
  // Phase 2: growing window, windowSize-half+1 outputs.
  for (; add < windowSize; add++, out++) {
    count++;
    const a = add * step;
    const o = out * step;
    for (let c = firstLane; c < endLane; c++) {
      const start = starts[c]!;
      const sum = fr(sums[c]! + input[start + a]!);
      sums[c] = sum;
      output[start + o] = sum / count;
    }
  }
  // Phase 3: the full window slides, length-windowSize outputs.
  for (; add < length; add++, sub++, out++) {
    const a = add * step;
    const d = sub * step;
    const o = out * step;
    for (let c = firstLane; c < endLane; c++) {
      const start = starts[c]!;
      const sum = fr(fr(sums[c]! + input[start + a]!) - input[start + d]!);
      sums[c] = sum;
      output[start + o] = sum / count;
    }
  }
  // Phase 4: shrinking window, half-1 outputs.
  for (; out < length; sub++, out++) {
    count--;
    const d = sub * step;
    const o = out * step;
    for (let c = firstLane; c < endLane; c++) {
      const start = starts[c]!;
      const sum = fr(sums[c]! - input[start + d]!);
      sums[c] = sum;
      output[start + o] = sum / count;
    }
  }
}

/** step 6: A[i][j] = blurred[rows[i]][columns[j]]. */
function decimate(blurred: Float32Array, width: number, columns: Int32Array, rows: Int32Array): Float32Array {
  const out = new Float32Array(BUFFER_SIDE * BUFFER_SIDE);
  for (let i = 0; i < BUFFER_SIDE; i++) {
    const rowStart = rows[i]! * width;
    for (let j = 0; j < BUFFER_SIDE; j++) out[i * BUFFER_SIDE + j] = blurred[rowStart + columns[j]!]!;
  }
  return out;
}

// ---------------------------------------------------------------------------------------------
// Quality (step 7)
// ---------------------------------------------------------------------------------------------

/** step 7: sum of |trunc((u - v) * 100 / 255)| over all adjacent pairs, / 90, capped at 100. */
export function pdqQuality(buf64: Float32Array): number {
  let sum = 0;
  for (let i = 0; i < BUFFER_SIDE - 1; i++) {
    for (let j = 0; j < BUFFER_SIDE; j++) {
      sum += gradient(buf64[i * BUFFER_SIDE + j]!, buf64[(i + 1) * BUFFER_SIDE + j]!);
    }
  }
  for (let i = 0; i < BUFFER_SIDE; i++) {
    for (let j = 0; j < BUFFER_SIDE - 1; j++) {
      sum += gradient(buf64[i * BUFFER_SIDE + j]!, buf64[i * BUFFER_SIDE + j + 1]!);
    }
  }
  return Math.min(Math.floor(sum / 90), 100);
}

/** C++: int d = ((u - v) * 100) / 255; in float32, truncated to int. */
function gradient(u: number, v: number): number {
  return Math.abs(Math.trunc(fr(fr(fr(u - v) * 100) / 255)));
}

// ---------------------------------------------------------------------------------------------
// DCT (step 8)
// ---------------------------------------------------------------------------------------------

/** D[i][j] = fr(fr(sqrt(2/64)) * cos((π/2/64)*(i+1)*(2j+1))), 16×64 row-major. */
function buildDctMatrix(): Float32Array {
  const matrix = new Float32Array(DCT_SIDE * BUFFER_SIDE);
  const scale = fr(Math.sqrt(2 / BUFFER_SIDE));
  for (let i = 0; i < DCT_SIDE; i++) {
    for (let j = 0; j < BUFFER_SIDE; j++) {
      matrix[i * BUFFER_SIDE + j] = scale * Math.cos((Math.PI / 2 / BUFFER_SIDE) * (i + 1) * (2 * j + 1));
    }
  }
  return matrix;
}

const DCT_MATRIX = buildDctMatrix();

/** A copy of the 16×64 float32 DCT matrix D (row-major). */
export function pdqDctMatrix(): Float32Array {
  return DCT_MATRIX.slice();
}

/** First DCT pass T = D·A (16×64), each entry summed in float32 over ascending k. */
export function pdqDctFirstPass(buf64: Float32Array): Float32Array {
  const t = new Float32Array(DCT_SIDE * BUFFER_SIDE);
  for (let i = 0; i < DCT_SIDE; i++) {
    const dRow = i * BUFFER_SIDE;
    for (let j = 0; j < BUFFER_SIDE; j++) {
      let sum = 0;
      for (let k = 0; k < BUFFER_SIDE; k++) {
        sum = fr(sum + fr(DCT_MATRIX[dRow + k]! * buf64[k * BUFFER_SIDE + j]!));
      }
      t[dRow + j] = sum;
    }
  }
  return t;
}

/** Second DCT pass B = T·Dᵀ (16×16), each entry summed in float32 over ascending k. */
function dctSecondPass(t: Float32Array): Float32Array {
  const b = new Float32Array(DCT_COUNT);
  for (let i = 0; i < DCT_SIDE; i++) {
    const tRow = i * BUFFER_SIDE;
    for (let j = 0; j < DCT_SIDE; j++) {
      const dRow = j * BUFFER_SIDE;
      let sum = 0;
      for (let k = 0; k < BUFFER_SIDE; k++) sum = fr(sum + fr(t[tRow + k]! * DCT_MATRIX[dRow + k]!));
      b[i * DCT_SIDE + j] = sum;
    }
  }
  return b;
}

/** The 16×16 DCT B = D·A·Dᵀ of the 64×64 buffer (row i = vertical frequency i+1). */
export function pdqDct16(buf64: Float32Array): Float32Array {
  if (buf64.length !== BUFFER_SIDE * BUFFER_SIDE) throw new RangeError('PDQ: buffer must be 64x64');
  return dctSecondPass(pdqDctFirstPass(buf64));
}

// ---------------------------------------------------------------------------------------------
// Median, bits, hex (steps 9–11)
// ---------------------------------------------------------------------------------------------

/** step 9: Torben's median of the 256 coefficients = the 128th smallest value. */
export function pdqMedian(dct: Float32Array): number {
  if (dct.length !== DCT_COUNT) throw new RangeError('PDQ: DCT must have 256 values');
  return dct.slice().sort()[MEDIAN_INDEX]!; // typed-array sort is numeric
}

/** step 10–11: word i = DCT row i; bit j set iff B[i][j] > median (strictly). */
export function pdqBitsFromDct(dct: Float32Array): Uint16Array {
  const median = pdqMedian(dct);
  const words = new Uint16Array(DCT_SIDE);
  for (let i = 0; i < DCT_SIDE; i++) {
    let word = 0;
    for (let j = 0; j < DCT_SIDE; j++) if (dct[i * DCT_SIDE + j]! > median) word |= 1 << j;
    words[i] = word;
  }
  return words;
}

/** step 11 (Hash256::format): w[15] … w[0], each as 4 lowercase hex digits. */
export function pdqHex(words: Uint16Array): string {
  if (words.length !== DCT_SIDE) throw new RangeError('PDQ: a hash has 16 words');
  let hex = '';
  for (let i = DCT_SIDE - 1; i >= 0; i--) hex += words[i]!.toString(16).padStart(4, '0');
  return hex;
}

/** Inverse of pdqHex (accepts upper or lower case). */
export function pdqWordsFromHex(hex: string): Uint16Array {
  if (!/^[0-9a-fA-F]{64}$/.test(hex)) throw new RangeError(`PDQ: not a 64-digit hex hash: ${hex}`);
  const words = new Uint16Array(DCT_SIDE);
  for (let i = 0; i < DCT_SIDE; i++) {
    const at = (DCT_SIDE - 1 - i) * 4;
    words[i] = parseInt(hex.slice(at, at + 4), 16);
  }
  return words;
}

// ---------------------------------------------------------------------------------------------
// Dihedral variants (step 13)
// ---------------------------------------------------------------------------------------------

/**
 * C++ dct16OriginalTo*: A[i][j] goes to B'[j][i] when `transpose`, else to B'[i][j], negated when
 * `negate(i, j)`. Only the parity of i and j matters (odd DCT basis functions change sign under a flip).
 */
interface DihedralTransform {
  transpose: boolean;
  negate: (i: number, j: number) => boolean;
}

const isEven = (n: number): boolean => (n & 1) === 0;
const isOdd = (n: number): boolean => (n & 1) === 1;

const DIHEDRAL_TRANSFORMS: Record<DihedralName, DihedralTransform> = {
  original: { transpose: false, negate: () => false },
  rotate90: { transpose: true, negate: (_i, j) => isEven(j) },
  rotate180: { transpose: false, negate: (i, j) => isOdd(i + j) },
  rotate270: { transpose: true, negate: (i) => isEven(i) },
  flipx: { transpose: false, negate: (i) => isEven(i) },
  flipy: { transpose: false, negate: (_i, j) => isEven(j) },
  flipplus1: { transpose: true, negate: () => false },
  flipminus1: { transpose: true, negate: (i, j) => isOdd(i + j) },
};

function applyDihedral(dct: Float32Array, transform: DihedralTransform): Float32Array {
  const out = new Float32Array(DCT_COUNT);
  for (let i = 0; i < DCT_SIDE; i++) {
    for (let j = 0; j < DCT_SIDE; j++) {
      const value = dct[i * DCT_SIDE + j]!;
      const target = transform.transpose ? j * DCT_SIDE + i : i * DCT_SIDE + j;
      out[target] = transform.negate(i, j) ? -value : value;
    }
  }
  return out;
}

/** The 16×16 DCT of each of the 8 dihedral variants, derived from the original's DCT only. */
export function pdqDihedralDcts(dct: Float32Array): Record<DihedralName, Float32Array> {
  if (dct.length !== DCT_COUNT) throw new RangeError('PDQ: DCT must have 256 values');
  const out = {} as Record<DihedralName, Float32Array>;
  for (const name of DIHEDRAL_NAMES) out[name] = applyDihedral(dct, DIHEDRAL_TRANSFORMS[name]);
  return out;
}

// ---------------------------------------------------------------------------------------------
// Full pipeline
// ---------------------------------------------------------------------------------------------

export function pdqZeroResult(): PdqResult {
  const dihedral = {} as Record<DihedralName, string>;
  for (const name of DIHEDRAL_NAMES) dihedral[name] = ZERO_HASH;
  return { hash: ZERO_HASH, quality: 0, dihedral };
}

/**
 * PDQ hash, quality and the 8 dihedral hashes of an image. Does not apply referenceSquash512: callers that
 * want the reference hash of a > 512 px image squash first; others pass an already downscaled image.
 */
export function pdqHash(img: PixelImage): PdqResult {
  checkImage(img);
  if (!isPdqHashable(img.width, img.height)) return pdqZeroResult();
  return pdqHashFromBuffer64(pdqBuffer64(pdqLuma(img), img.width, img.height));
}

/** steps 7–13 from the 64×64 buffer: quality, DCT, and the 8 dihedral hashes. */
export function pdqHashFromBuffer64(buf64: Float32Array): PdqResult {
  const quality = pdqQuality(buf64);
  const dcts = pdqDihedralDcts(pdqDct16(buf64));
  const dihedral = {} as Record<DihedralName, string>;
  for (const name of DIHEDRAL_NAMES) dihedral[name] = pdqHex(pdqBitsFromDct(dcts[name]));
  return { hash: dihedral.original, quality, dihedral };
}

/** step 4: images with a side under 5 px get the all-zero hash and quality 0. */
export function isPdqHashable(width: number, height: number): boolean {
  return width >= MIN_HASHABLE_DIM && height >= MIN_HASHABLE_DIM;
}

// Pillow 9.4 convert("L") and LANCZOS resize for 8-bit greyscale, bit-exact.
// Written from docs/hash-definitions.md, "imagehash (hash_size = 8)" steps 1-2.
// Pure TypeScript: runs in Node, Electron and browser workers alike.
import type { PixelImage } from './image';

/** Pillow's fixed-point precision for 8-bit resampling (PRECISION_BITS = 22). */
const FIXED_ONE = 4194304; // 2^22
const FIXED_HALF = 2097152; // 2^21, added before the shift so it rounds to nearest
/** Sums at or above 256 * 2^22 clip to 255; below this bound `>> 22` stays in int32. */
const FIXED_CLIP_HIGH = 1073741824; // 2^30
const LANCZOS_SUPPORT = 3;

/** One axis of a LANCZOS resize: for output i, taps coeffs[i*kernelSize .. +bounds[2i+1]]
 *  apply to input samples bounds[2i] .. bounds[2i] + bounds[2i+1] - 1. */
export interface LanczosTable {
  /** (xmin, count) per output sample. */
  bounds: Int32Array;
  /** Row stride of `coeffs`; taps past `count` are 0. */
  kernelSize: number;
  /** Fixed-point weights scaled by 2^22. */
  coeffs: Int32Array;
}

/** Pillow convert("L"): integer ITU-R 601 luma, alpha ignored; grey (+alpha) input copied. */
export function pillowGray(img: PixelImage): Uint8Array {
  const { data, width, height, channels } = img;
  checkDims(width, height);
  if (!Number.isInteger(channels) || channels < 1 || channels > 4) {
    throw new RangeError(`pillowGray: unsupported channel count ${channels}`);
  }
  const n = width * height;
  if (data.length !== n * channels) {
    throw new RangeError(`pillowGray: expected ${n * channels} bytes, got ${data.length}`);
  }
  if (channels === 1) return data.slice();
  const out = new Uint8Array(n);
  if (channels === 2) {
    for (let i = 0; i < n; i++) out[i] = data[i * 2]!;
    return out;
  }
  // step 1: L = (R*19595 + G*38470 + B*7471 + 0x8000) >> 16; max < 2^31, so int32 is safe.
  for (let i = 0, p = 0; i < n; i++, p += channels) {
    out[i] = (data[p]! * 19595 + data[p + 1]! * 38470 + data[p + 2]! * 7471 + 0x8000) >> 16;
  }
  return out;
}

/** Pillow Resample.c coefficient table for LANCZOS (a = 3), converted to 2^22 fixed point. */
export function lanczosTable(inSize: number, outSize: number): LanczosTable {
  checkDims(inSize, outSize);
  const scale = inSize / outSize;
  const filterScale = Math.max(scale, 1);
  const support = LANCZOS_SUPPORT * filterScale;
  const kernelSize = Math.ceil(support) * 2 + 1;
  // Pillow multiplies by the reciprocal rather than dividing; keep that for identical rounding.
  const invFilterScale = 1 / filterScale;
  const bounds = new Int32Array(outSize * 2);
  const coeffs = new Int32Array(outSize * kernelSize);
  const weights = new Float64Array(kernelSize);
  for (let i = 0; i < outSize; i++) {
    const center = (i + 0.5) * scale;
    const xmin = Math.max(Math.trunc(center - support + 0.5), 0);
    const count = Math.min(Math.trunc(center + support + 0.5), inSize) - xmin;
    let sum = 0;
    for (let t = 0; t < count; t++) {
      const w = lanczos((t + xmin - center + 0.5) * invFilterScale);
      weights[t] = w;
      sum += w;
    }
    for (let t = 0; t < count; t++) {
      // Normalise by the running sum (skipped when it is 0, as Pillow does), then fix.
      coeffs[i * kernelSize + t] = toFixed(sum !== 0 ? weights[t]! / sum : weights[t]!);
    }
    bounds[i * 2] = xmin;
    bounds[i * 2 + 1] = count;
  }
  return { bounds, kernelSize, coeffs };
}

/** Pillow `Image.resize((outW, outH), LANCZOS)` of an 8-bit greyscale image (step 2). */
export function pillowResize(
  gray: Uint8Array,
  width: number,
  height: number,
  outW: number,
  outH: number,
): Uint8Array {
  checkDims(width, height);
  checkDims(outW, outH);
  if (gray.length !== width * height) {
    throw new RangeError(`pillowResize: expected ${width * height} bytes, got ${gray.length}`);
  }
  const needHorizontal = outW !== width;
  const needVertical = outH !== height;
  if (!needHorizontal && !needVertical) return gray.slice();
  if (!needVertical) return horizontalPass(gray, width, 0, height, cachedTable(width, outW));
  const vertical = cachedTable(height, outH);
  if (!needHorizontal) return verticalPass(gray, width, 0, vertical);
  // The horizontal pass only needs the rows the vertical taps will read.
  const first = vertical.bounds[0]!;
  const last = vertical.bounds[outH * 2 - 2]! + vertical.bounds[outH * 2 - 1]!;
  const temp = horizontalPass(gray, width, first, last - first, cachedTable(width, outW));
  return verticalPass(temp, outW, first, vertical);
}

function sinc(x: number): number {
  if (x === 0) return 1;
  const px = x * Math.PI;
  return Math.sin(px) / px;
}

function lanczos(x: number): number {
  return x >= -3 && x < 3 ? sinc(x) * sinc(x / 3) : 0;
}

/** Step 2: k = trunc(w*2^22 + 0.5), or trunc(w*2^22 - 0.5) for negative w. */
function toFixed(w: number): number {
  return w < 0 ? Math.trunc(w * FIXED_ONE - 0.5) : Math.trunc(w * FIXED_ONE + 0.5);
}

/** Clamp a fixed-point sum (already including the 2^21 rounding term) to uint8.
 *  Sums are exact integers in float64, so no int32 overflow can occur on the way here. */
function clip8(sum: number): number {
  if (sum <= 0) return 0;
  if (sum >= FIXED_CLIP_HIGH) return 255;
  return sum >> 22;
}

/** Resize each of `rows` rows starting at `rowStart` along x; output is table-width × rows. */
function horizontalPass(
  src: Uint8Array,
  width: number,
  rowStart: number,
  rows: number,
  table: LanczosTable,
): Uint8Array {
  const outW = table.bounds.length / 2;
  const { bounds, kernelSize, coeffs } = table;
  const out = new Uint8Array(outW * rows);
  for (let y = 0; y < rows; y++) {
    const rowBase = (rowStart + y) * width;
    const outBase = y * outW;
    for (let x = 0; x < outW; x++) {
      const start = rowBase + bounds[x * 2]!;
      const count = bounds[x * 2 + 1]!;
      const k = x * kernelSize;
      let sum = FIXED_HALF;
      for (let t = 0; t < count; t++) sum += src[start + t]! * coeffs[k + t]!;
      out[outBase + x] = clip8(sum);
    }
  }
  return out;
}

/** Resize along y; `rowOffset` is the source row that `src` row 0 corresponds to. */
function verticalPass(src: Uint8Array, width: number, rowOffset: number, table: LanczosTable): Uint8Array {
  const outH = table.bounds.length / 2;
  const { bounds, kernelSize, coeffs } = table;
  const out = new Uint8Array(width * outH);
  const acc = new Float64Array(width);
  for (let y = 0; y < outH; y++) {
    const start = bounds[y * 2]! - rowOffset;
    const count = bounds[y * 2 + 1]!;
    acc.fill(FIXED_HALF);
    // Row-wise accumulation keeps memory access sequential; integer sums are order-independent.
    for (let t = 0; t < count; t++) {
      const w = coeffs[y * kernelSize + t]!;
      const base = (start + t) * width;
      for (let x = 0; x < width; x++) acc[x] = acc[x]! + src[base + x]! * w;
    }
    const outBase = y * width;
    for (let x = 0; x < width; x++) out[outBase + x] = clip8(acc[x]!);
  }
  return out;
}

const TABLE_CACHE_LIMIT = 64;
const tableCache = new Map<string, LanczosTable>();

/** Tables depend only on (inSize, outSize), and a library scan sees few distinct sizes. */
function cachedTable(inSize: number, outSize: number): LanczosTable {
  const key = `${inSize}>${outSize}`;
  let table = tableCache.get(key);
  if (table === undefined) {
    table = lanczosTable(inSize, outSize);
    if (tableCache.size >= TABLE_CACHE_LIMIT) tableCache.delete(tableCache.keys().next().value!);
    tableCache.set(key, table);
  }
  return table;
}

function checkDims(a: number, b: number): void {
  if (!Number.isInteger(a) || !Number.isInteger(b) || a < 1 || b < 1) {
    throw new RangeError(`invalid image dimensions ${a}×${b}`);
  }
}

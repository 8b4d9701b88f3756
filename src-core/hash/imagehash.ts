// imagehash 4.3.2 average_hash, dhash, phash and whash (hash_size = 8), bit-exact.
// Written from docs/hash-definitions.md, "imagehash (hash_size = 8)" steps 3-7.
// Every function takes the full-size Pillow "L" greyscale (see pillowGray) as its input.
import { pillowResize } from './pillow';

export interface ImageHashes {
  ahash: string;
  dhash: string;
  phash: string;
  whash: string;
}

const HASH_SIZE = 8;
/** pHash resizes to hash_size * highfreq_factor (4). */
const PHASH_SIZE = 32;
/** The haar filter tap as pywt stores it (step 6). */
const S2 = 0.7071067811865476;
const NEG_S2 = -S2;

export function aHash(gray: Uint8Array, width: number, height: number): string {
  return bitsToImagehashHex(ahashBits(pillowResize(gray, width, height, HASH_SIZE, HASH_SIZE)));
}

export function dHash(gray: Uint8Array, width: number, height: number): string {
  return bitsToImagehashHex(dhashBits(pillowResize(gray, width, height, HASH_SIZE + 1, HASH_SIZE)));
}

export function pHash(gray: Uint8Array, width: number, height: number): string {
  const resized = pillowResize(gray, width, height, PHASH_SIZE, PHASH_SIZE);
  return bitsToImagehashHex(bitsAboveMedian(phashLowFreq(resized)));
}

export function wHash(gray: Uint8Array, width: number, height: number): string {
  const scale = whashScale(width, height);
  const resized = pillowResize(gray, width, height, scale, scale);
  return bitsToImagehashHex(bitsAboveMedian(whashLowLL(resized, scale)));
}

/** All four hashes; the wHash resize is shared with aHash (S = 8) or pHash (S = 32) when equal. */
export function imageHashes(gray: Uint8Array, width: number, height: number): ImageHashes {
  const small = pillowResize(gray, width, height, HASH_SIZE, HASH_SIZE);
  const wide = pillowResize(gray, width, height, HASH_SIZE + 1, HASH_SIZE);
  const dctInput = pillowResize(gray, width, height, PHASH_SIZE, PHASH_SIZE);
  const scale = whashScale(width, height);
  const waveletInput =
    scale === HASH_SIZE
      ? small
      : scale === PHASH_SIZE
        ? dctInput
        : pillowResize(gray, width, height, scale, scale);
  return {
    ahash: bitsToImagehashHex(ahashBits(small)),
    dhash: bitsToImagehashHex(dhashBits(wide)),
    phash: bitsToImagehashHex(bitsAboveMedian(phashLowFreq(dctInput))),
    whash: bitsToImagehashHex(bitsAboveMedian(whashLowLL(waveletInput, scale))),
  };
}

/** imagehash `_binary_array_to_hex`: bits row-major, first bit = most significant, zero-padded. */
export function bitsToImagehashHex(bits: Uint8Array): string {
  const pad = (4 - (bits.length % 4)) % 4;
  let hex = '';
  let nibble = 0;
  for (let i = 0; i < pad + bits.length; i++) {
    const bit = i < pad ? 0 : bits[i - pad]! !== 0 ? 1 : 0;
    nibble = (nibble << 1) | bit;
    if (i % 4 === 3) {
      hex += nibble.toString(16);
      nibble = 0;
    }
  }
  return hex;
}

/** numpy `mean` of the 8×8 pixels: the integer sum is exact, so this equals numpy's float64. */
export function ahashMean(resized8: Uint8Array): number {
  let sum = 0;
  for (let i = 0; i < resized8.length; i++) sum += resized8[i]!;
  return sum / resized8.length;
}

/** step 3: bit = pixel > mean. */
export function ahashBits(resized8: Uint8Array): Uint8Array {
  const mean = ahashMean(resized8);
  return resized8.map((v) => (v > mean ? 1 : 0));
}

/** step 4: on the 9-wide × 8-high image, bit(r, c) = px[r][c+1] > px[r][c]. */
export function dhashBits(resized9x8: Uint8Array): Uint8Array {
  const bits = new Uint8Array(HASH_SIZE * HASH_SIZE);
  for (let r = 0; r < HASH_SIZE; r++) {
    const row = r * (HASH_SIZE + 1);
    for (let c = 0; c < HASH_SIZE; c++) {
      bits[r * HASH_SIZE + c] = resized9x8[row + c + 1]! > resized9x8[row + c]! ? 1 : 0;
    }
  }
  return bits;
}

/** step 5: scipy.fftpack DCT-II (unnormalised, y[k] = 2 Σ x[n] cos(πk(2n+1)/2N)) along
 *  axis 0 then axis 1 of the 32×32 pixels, keeping [0:8, 0:8]. Only the 8 low rows of the first
 *  pass feed the kept block, so only those are computed. */
export function phashLowFreq(resized32: Uint8Array): Float64Array {
  const N = PHASH_SIZE;
  if (resized32.length !== N * N) throw new RangeError(`phashLowFreq: need ${N * N} pixels`);
  const rows = new Float64Array(HASH_SIZE * N); // first pass: frequencies k < 8 of every column
  const column = new Float64Array(N);
  for (let j = 0; j < N; j++) {
    for (let n = 0; n < N; n++) column[n] = resized32[n * N + j]!;
    const freq = dctLow(column, HASH_SIZE);
    for (let k = 0; k < HASH_SIZE; k++) rows[k * N + j] = freq[k]!;
  }
  const out = new Float64Array(HASH_SIZE * HASH_SIZE);
  for (let k = 0; k < HASH_SIZE; k++) {
    out.set(dctLow(rows.subarray(k * N, (k + 1) * N), HASH_SIZE), k * HASH_SIZE);
  }
  return out;
}

/** The first `count` outputs of the unnormalised DCT-II of x (length a power of two).
 *  Even/odd split: y[2m] is the half-length DCT of u[n] = x[n] + x[N-1-n], and y[2m+1] is a
 *  direct sum over v[n] = x[n] - x[N-1-n]. Unlike a plain O(N²) sum, this gives exact zeros where
 *  the input's symmetry makes a coefficient vanish (flat or mirrored images), as scipy's FFT
 *  does, so median ties fall the same way (pitfall 13): it reproduced scipy's hash on
 *  all four tie-sensitive reference images. */
function dctLow(x: Float64Array, count: number): Float64Array {
  const n = x.length;
  const out = new Float64Array(count);
  if (n === 1) {
    out[0] = 2 * x[0]!;
    return out;
  }
  const half = n >> 1;
  const sums = new Float64Array(half);
  const diffs = new Float64Array(half);
  for (let i = 0; i < half; i++) {
    sums[i] = x[i]! + x[n - 1 - i]!;
    diffs[i] = x[i]! - x[n - 1 - i]!;
  }
  const even = dctLow(sums, (count + 1) >> 1);
  for (let m = 0; 2 * m < count; m++) out[2 * m] = even[m]!;
  const cos = oddCosTable(n);
  for (let m = 0; 2 * m + 1 < count; m++) {
    let sum = 0;
    for (let i = 0; i < half; i++) sum += diffs[i]! * cos[m * half + i]!;
    out[2 * m + 1] = 2 * sum;
  }
  return out;
}

const oddCosTables = new Map<number, Float64Array>();

/** cos(π(2m+1)(2i+1) / 2n) for m, i < n/2. The angle is reduced mod 2π in integer units of π/2n
 *  first, so equal angles give identical values. */
function oddCosTable(n: number): Float64Array {
  let table = oddCosTables.get(n);
  if (table === undefined) {
    const half = n >> 1;
    table = new Float64Array(half * half);
    for (let m = 0; m < half; m++) {
      for (let i = 0; i < half; i++) {
        const units = ((2 * m + 1) * (2 * i + 1)) % (4 * n);
        table[m * half + i] = Math.cos((Math.PI * units) / (2 * n));
      }
    }
    oddCosTables.set(n, table);
  }
  return table;
}

/** numpy.median: the middle value, or the mean of the two middle values for even counts. */
export function numpyMedian(values: ArrayLike<number>): number {
  if (values.length === 0) throw new RangeError('numpyMedian: empty input');
  const sorted = Float64Array.from(values).sort();
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** pHash and wHash bits: value > numpy median of the values (strict). */
export function bitsAboveMedian(values: Float64Array): Uint8Array {
  const median = numpyMedian(values);
  const bits = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) bits[i] = values[i]! > median ? 1 : 0;
  return bits;
}

/** step 6: S = max(2^floor(log2(min(w, h))), 8), from the original image size. */
export function whashScale(width: number, height: number): number {
  const side = Math.min(width, height);
  if (!Number.isInteger(side) || side < 1) throw new RangeError(`whashScale: invalid size ${width}×${height}`);
  // Integer floor(log2) avoids any floating-point doubt at exact powers of two.
  return Math.max(2 ** (31 - Math.clz32(side)), HASH_SIZE);
}

/** step 6: the 8×8 LL that wHash thresholds, from the S×S resized pixels. */
export function whashLowLL(resizedS: Uint8Array, scale: number): Float64Array {
  const levels = log2Exact(scale) - log2Exact(HASH_SIZE);
  return haarLowLL(haarRemoveMaxLL(resizedS, scale), scale, levels);
}

/** pixels / 255, full haar analysis (log2 S levels), final LL set to 0, full synthesis. */
export function haarRemoveMaxLL(resizedS: Uint8Array, scale: number): Float64Array {
  checkSquare(resizedS.length, scale);
  const buf = new Float64Array(scale * scale);
  for (let i = 0; i < buf.length; i++) buf[i] = resizedS[i]! / 255;
  const tmp = new Float64Array(scale * scale);
  for (let n = scale; n >= 2; n >>= 1) analyzeLevel(buf, tmp, scale, n);
  buf[0] = 0; // coeffs[0] *= 0: the single 1×1 LL coefficient (never negative here).
  for (let n = 2; n <= scale; n <<= 1) synthesizeLevel(buf, tmp, scale, n);
  return buf;
}

/** pywt.wavedec2(pixels, 'haar', level)[0]: the LL band after `levels` analysis levels. */
export function haarLowLL(pixels: Float64Array, scale: number, levels: number): Float64Array {
  checkSquare(pixels.length, scale);
  const buf = Float64Array.from(pixels);
  const tmp = new Float64Array(scale * scale);
  for (let level = 0; level < levels; level++) analyzeLevel(buf, tmp, scale, scale >> level);
  const side = scale >> levels;
  const out = new Float64Array(side * side);
  for (let r = 0; r < side; r++) out.set(buf.subarray(r * scale, r * scale + side), r * side);
  return out;
}

/** One 2-D haar analysis level on the top-left n×n block of a stride-`stride` buffer, in place.
 *  Axis 0 first, then axis 1 (step 6). Afterwards the block holds
 *  [aa ad; da dd], each (n/2)×(n/2). */
function analyzeLevel(buf: Float64Array, tmp: Float64Array, stride: number, n: number): void {
  const h = n >> 1;
  for (let o = 0; o < h; o++) {
    const r0 = 2 * o * stride;
    const r1 = r0 + stride;
    const ra = o * stride;
    const rd = (h + o) * stride;
    for (let j = 0; j < n; j++) {
      const x0 = buf[r0 + j]!;
      const x1 = buf[r1 + j]!;
      tmp[ra + j] = S2 * x1 + S2 * x0;
      tmp[rd + j] = NEG_S2 * x1 + S2 * x0;
    }
  }
  for (let r = 0; r < n; r++) {
    const base = r * stride;
    for (let o = 0; o < h; o++) {
      const x0 = tmp[base + 2 * o]!;
      const x1 = tmp[base + 2 * o + 1]!;
      buf[base + o] = S2 * x1 + S2 * x0;
      buf[base + h + o] = NEG_S2 * x1 + S2 * x0;
    }
  }
}

/** Inverse of analyzeLevel on the top-left n×n block, in place. pywt's idwtn undoes the axes in
 *  reverse: axis 1 first (a = idwt(aa, ad), d = idwt(da, dd)), then axis 0 (x = idwt(a, d)). */
function synthesizeLevel(buf: Float64Array, tmp: Float64Array, stride: number, n: number): void {
  const h = n >> 1;
  for (let r = 0; r < n; r++) {
    const base = r * stride;
    for (let o = 0; o < h; o++) {
      const a = buf[base + o]!;
      const d = buf[base + h + o]!;
      tmp[base + 2 * o] = S2 * a + S2 * d;
      tmp[base + 2 * o + 1] = S2 * a + NEG_S2 * d;
    }
  }
  for (let o = 0; o < h; o++) {
    const ra = o * stride;
    const rd = (h + o) * stride;
    const r0 = 2 * o * stride;
    const r1 = r0 + stride;
    for (let j = 0; j < n; j++) {
      const a = tmp[ra + j]!;
      const d = tmp[rd + j]!;
      buf[r0 + j] = S2 * a + S2 * d;
      buf[r1 + j] = S2 * a + NEG_S2 * d;
    }
  }
}

function log2Exact(powerOfTwo: number): number {
  return 31 - Math.clz32(powerOfTwo);
}

function checkSquare(length: number, scale: number): void {
  if (scale < HASH_SIZE || (scale & (scale - 1)) !== 0 || length !== scale * scale) {
    throw new RangeError(`wHash: need a power-of-two square of side >= 8, got ${length} values for ${scale}`);
  }
}

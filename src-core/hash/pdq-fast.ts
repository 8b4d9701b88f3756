// PDQ for product mode: the same algorithm as pdq.ts, with the blur computed only where the
// decimation samples it and in float64 instead of emulated float32.
//
// PDQ blurs the whole luma image (two box-filter passes per axis) and then keeps 64×64 samples.
// The passes are linear and separable, so each sample is a fixed weighted sum over a small
// window; computing just those 4096 sums is ~10× cheaper than blurring every pixel. Float64
// rounding differs from the C++ only on degenerate synthetic images (docs/hash-definitions.md,
// pitfall 3); reference mode keeps the bit-exact path.
import type { PixelImage } from './image';
import { isPdqHashable, pdqHashFromBuffer64, pdqWindowSize, pdqZeroResult, type PdqResult } from './pdq';

const SIDE = 64;
const BLUR_REPETITIONS = 2;

interface SampleWeights {
  /** First input index each of the 64 samples reads. */
  starts: Int32Array;
  /** Taps per sample (the widest window; unused taps are 0). */
  taps: number;
  /** 64 × taps weights, row-major. */
  weights: Float64Array;
}

/** Weights of the 1-D box filter of the C++ reference (window w, half = ⌊(w+2)/2⌋, mean of
 *  in[i−(w−half) .. i+half−1] clipped to the edges) applied twice, at the decimation points
 *  ⌊(i+0.5)·n/64⌋. */
export function blurSampleWeights(n: number): SampleWeights {
  const window = pdqWindowSize(n);
  const half = Math.floor((window + 2) / 2);
  const lo = (i: number) => Math.max(0, i - (window - half));
  const hi = (i: number) => Math.min(n - 1, i + half - 1);
  // One pass as a dense row per output, then the second pass composes with the first.
  const onePass = (i: number): Map<number, number> => {
    const row = new Map<number, number>();
    const count = hi(i) - lo(i) + 1;
    for (let m = lo(i); m <= hi(i); m++) row.set(m, 1 / count);
    return row;
  };
  const rows: Array<Map<number, number>> = [];
  for (let s = 0; s < SIDE; s++) {
    let row = new Map<number, number>([[Math.floor(((s + 0.5) * n) / SIDE), 1]]);
    for (let rep = 0; rep < BLUR_REPETITIONS; rep++) {
      const next = new Map<number, number>();
      for (const [k, wk] of row) for (const [m, wm] of onePass(k)) next.set(m, (next.get(m) ?? 0) + wk * wm);
      row = next;
    }
    rows.push(row);
  }
  const starts = new Int32Array(SIDE);
  let taps = 0;
  for (const [s, row] of rows.entries()) {
    const keys = [...row.keys()];
    starts[s] = Math.min(...keys);
    taps = Math.max(taps, Math.max(...keys) - starts[s]! + 1);
  }
  const weights = new Float64Array(SIDE * taps);
  for (const [s, row] of rows.entries()) for (const [m, w] of row) weights[s * taps + m - starts[s]!] = w;
  return { starts, taps, weights };
}

const weightCache = new Map<number, SampleWeights>();
function cachedWeights(n: number): SampleWeights {
  let w = weightCache.get(n);
  if (!w) weightCache.set(n, (w = blurSampleWeights(n)));
  return w;
}

/** Luma of one row as float64 (0.299 R + 0.587 G + 0.114 B; grey input as is). */
function lumaRow(img: PixelImage, y: number, out: Float64Array): void {
  const { data, width, channels } = img;
  let s = y * width * channels;
  if (channels < 3) {
    for (let x = 0; x < width; x++, s += channels) out[x] = data[s]!;
  } else {
    for (let x = 0; x < width; x++, s += channels) out[x] = 0.299 * data[s]! + 0.587 * data[s + 1]! + 0.114 * data[s + 2]!;
  }
}

/** The 64×64 PDQ buffer: blurred luma sampled at the decimation points. */
export function pdqBuffer64Fast(img: PixelImage): Float32Array {
  const { width, height } = img;
  const luma = new Float64Array(width);
  const out = new Float32Array(SIDE * SIDE);
  if (width === SIDE && height === SIDE) {
    // The reference skips the blur at exactly 64×64 (step 5).
    for (let y = 0; y < SIDE; y++) {
      lumaRow(img, y, luma);
      out.set(luma, y * SIDE);
    }
    return out;
  }
  const cols = cachedWeights(width);
  const rows = cachedWeights(height);
  // Horizontal: the 64 sampled columns of every row some vertical window reads.
  const horizontal = new Float64Array(height * SIDE);
  const rowNeeded = new Uint8Array(height);
  for (let i = 0; i < SIDE; i++) rowNeeded.fill(1, rows.starts[i]!, Math.min(height, rows.starts[i]! + rows.taps));
  for (let y = 0; y < height; y++) {
    if (!rowNeeded[y]) continue;
    lumaRow(img, y, luma);
    for (let j = 0; j < SIDE; j++) {
      const start = cols.starts[j]!;
      const w = j * cols.taps;
      let sum = 0;
      for (let t = 0; t < cols.taps && start + t < width; t++) sum += cols.weights[w + t]! * luma[start + t]!;
      horizontal[y * SIDE + j] = sum;
    }
  }
  // Vertical: the 64 sampled rows.
  for (let i = 0; i < SIDE; i++) {
    const start = rows.starts[i]!;
    const w = i * rows.taps;
    for (let j = 0; j < SIDE; j++) {
      let sum = 0;
      for (let t = 0; t < rows.taps && start + t < height; t++) sum += rows.weights[w + t]! * horizontal[(start + t) * SIDE + j]!;
      out[i * SIDE + j] = sum;
    }
  }
  return out;
}

/** PDQ hash, quality and dihedral hashes through the fast buffer. */
export function pdqHashFast(img: PixelImage): PdqResult {
  if (!isPdqHashable(img.width, img.height)) return pdqZeroResult();
  return pdqHashFromBuffer64(pdqBuffer64Fast(img));
}

// RANSAC for a similarity transform (rotation, uniform scale, translation) between matched
// points. OpenCV.js lacks estimateAffinePartial2D, and a full affine fit would accept shears no
// photo edit makes; two points determine a similarity, so the sampling loop is short.
import { seededRandom } from '../../src-core/random';

/** x' = a·x − b·y + tx, y' = b·x + a·y + ty (the complex map z ↦ (a + ib)·z + t). */
export interface Similarity {
  a: number;
  b: number;
  tx: number;
  ty: number;
}

export interface RansacOptions {
  /** Largest reprojection error of an inlier, in pixels of the destination image. */
  threshold: number;
  /** Accepted range of the scale factor |a + ib|. */
  minScale: number;
  maxScale: number;
  iterations: number;
}

export interface RansacFit {
  transform: Similarity;
  inliers: number;
}

/** Point pairs as flat [x, y, …] arrays of equal length. Hypotheses are ranked by truncated
 *  squared error (MSAC) rather than a plain inlier count, which cannot tell a hypothesis that
 *  fits within a pixel from one tilted by a degree with the same points under the threshold.
 *  The fixed seed makes a verdict reproducible for the same two images. */
export function fitSimilarity(src: Float32Array, dst: Float32Array, options: RansacOptions): RansacFit | undefined {
  const n = src.length / 2;
  if (n < 2) return undefined;
  const random = seededRandom(0x5eed);
  const thresholdSq = options.threshold * options.threshold;
  let best: Similarity | undefined;
  let bestCost = Infinity;
  for (let iteration = 0; iteration < options.iterations; iteration++) {
    const transform = fromTwoPoints(src, dst, random() % n, random() % n);
    if (!transform || !scaleAllowed(transform, options)) continue;
    const cost = truncatedCost(src, dst, transform, thresholdSq);
    if (cost < bestCost) [best, bestCost] = [transform, cost];
  }
  if (!best) return undefined;
  // Least squares over the consensus, repeated: each refit can move points across the margin.
  for (let round = 0; round < 3; round++) {
    const refit = leastSquares(src, dst, best, thresholdSq);
    if (!refit || !scaleAllowed(refit, options)) break;
    best = refit;
  }
  return { transform: best, inliers: countInliers(src, dst, best, thresholdSq) };
}

function fromTwoPoints(src: Float32Array, dst: Float32Array, i: number, j: number): Similarity | undefined {
  const sx = src[2 * i]! - src[2 * j]!;
  const sy = src[2 * i + 1]! - src[2 * j + 1]!;
  const norm = sx * sx + sy * sy;
  // Points closer than a few pixels pin the rotation and scale down poorly.
  if (norm < 16) return undefined;
  const dx = dst[2 * i]! - dst[2 * j]!;
  const dy = dst[2 * i + 1]! - dst[2 * j + 1]!;
  // (dx + i·dy) / (sx + i·sy)
  const a = (dx * sx + dy * sy) / norm;
  const b = (dy * sx - dx * sy) / norm;
  return withTranslation(a, b, src[2 * i]!, src[2 * i + 1]!, dst[2 * i]!, dst[2 * i + 1]!);
}

function withTranslation(a: number, b: number, sx: number, sy: number, dx: number, dy: number): Similarity {
  return { a, b, tx: dx - (a * sx - b * sy), ty: dy - (b * sx + a * sy) };
}

function scaleAllowed(t: Similarity, options: RansacOptions): boolean {
  const scale = Math.hypot(t.a, t.b);
  return scale >= options.minScale && scale <= options.maxScale;
}

function residualSq(src: Float32Array, dst: Float32Array, t: Similarity, k: number): number {
  const x = src[2 * k]!;
  const y = src[2 * k + 1]!;
  const ex = t.a * x - t.b * y + t.tx - dst[2 * k]!;
  const ey = t.b * x + t.a * y + t.ty - dst[2 * k + 1]!;
  return ex * ex + ey * ey;
}

function truncatedCost(src: Float32Array, dst: Float32Array, t: Similarity, thresholdSq: number): number {
  let cost = 0;
  for (let k = 0; k < src.length / 2; k++) cost += Math.min(residualSq(src, dst, t, k), thresholdSq);
  return cost;
}

function countInliers(src: Float32Array, dst: Float32Array, t: Similarity, thresholdSq: number): number {
  let count = 0;
  for (let k = 0; k < src.length / 2; k++) if (residualSq(src, dst, t, k) <= thresholdSq) count++;
  return count;
}

/** The similarity that best maps the inliers of `t` (closed form, centred coordinates). */
function leastSquares(src: Float32Array, dst: Float32Array, t: Similarity, thresholdSq: number): Similarity | undefined {
  let n = 0;
  let msx = 0, msy = 0, mdx = 0, mdy = 0;
  for (let k = 0; k < src.length / 2; k++) {
    if (residualSq(src, dst, t, k) > thresholdSq) continue;
    n++;
    msx += src[2 * k]!;
    msy += src[2 * k + 1]!;
    mdx += dst[2 * k]!;
    mdy += dst[2 * k + 1]!;
  }
  if (n < 2) return undefined;
  msx /= n; msy /= n; mdx /= n; mdy /= n;
  let re = 0, im = 0, norm = 0;
  for (let k = 0; k < src.length / 2; k++) {
    if (residualSq(src, dst, t, k) > thresholdSq) continue;
    const sx = src[2 * k]! - msx;
    const sy = src[2 * k + 1]! - msy;
    const dx = dst[2 * k]! - mdx;
    const dy = dst[2 * k + 1]! - mdy;
    re += dx * sx + dy * sy;
    im += dy * sx - dx * sy;
    norm += sx * sx + sy * sy;
  }
  if (norm === 0) return undefined;
  return withTranslation(re / norm, im / norm, msx, msy, mdx, mdy);
}

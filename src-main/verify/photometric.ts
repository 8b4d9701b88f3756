// The photometric check: with b warped onto a, do the pixels agree block by block? Keypoints
// alone align a burst or another shot of the same scene too (the background matches); there
// the people, pose or parallax differ, and those blocks do not correlate. Zero-mean,
// unit-variance correlation ignores brightness, contrast and greyscale edits.
import type { GreyImage } from './grey-image';
import type { Mat, OpenCv } from './opencv';
import type { Similarity } from './similarity-ransac';

export interface Agreement {
  /** Share of the smaller image's area that the other covers once aligned. */
  overlap: number;
  /** Share of the compared blocks that correlate well. */
  agreement: number;
  /** Blocks compared (inside the overlap, not flat in both images). */
  blocks: number;
}

/** Blocks across a's long side. */
const BLOCKS_PER_SIDE = 20;
/** Blur before comparing so a sub-pixel misalignment and resampling differences between a
 *  downscaled and an upscaled copy do not decide a block. */
const BLUR_SIGMA = 1.5;
/** Blocks with less contrast than this in both images (grey levels, standard deviation) say
 *  nothing: sky, walls, a black border. */
const FLAT_STD = 6;
/** Blocks keep this far (pixels) from either image's edge: the blur spreads whatever lies
 *  beyond it (black outside the warp, or a copy's border or letterbox bars, which start right
 *  at the original's edge) this far in. */
const EDGE = Math.ceil(3 * BLUR_SIGMA);
/** A block agrees when its correlation reaches this. Copies reach 0.95+ in nearly every
 *  block; 0.7 let a patch of similar texture (grass, leaves, drops) shifted by a moving
 *  subject pass as agreeing. */
const GOOD_CORRELATION = 0.8;

export function compareAligned(cv: OpenCv, a: GreyImage, b: GreyImage, t: Similarity): Agreement {
  const overlap = overlapShare(a, b, t);
  const [pa, pb] = alignedPixels(cv, a, b, t);
  const block = Math.max(4, Math.round(Math.max(a.width, a.height) / BLOCKS_PER_SIDE));
  const inverse = invert(t);
  let compared = 0;
  let good = 0;
  for (let y0 = EDGE; y0 + block <= a.height - EDGE; y0 += block) {
    for (let x0 = EDGE; x0 + block <= a.width - EDGE; x0 += block) {
      if (!blockInside(inverse, x0, y0, block, b)) continue;
      const r = blockCorrelation(pa, pb, a.width, x0, y0, block);
      if (r === undefined) continue;
      compared++;
      if (r >= GOOD_CORRELATION) good++;
    }
  }
  return { overlap, agreement: compared === 0 ? 0 : good / compared, blocks: compared };
}

/** a blurred, and b blurred then warped into a's frame, as plain arrays. */
function alignedPixels(cv: OpenCv, a: GreyImage, b: GreyImage, t: Similarity): [Uint8Array, Uint8Array] {
  const mats: Mat[] = [];
  const track = (m: Mat) => (mats.push(m), m);
  try {
    const mb = track(new cv.Mat(b.height, b.width, cv.CV_8UC1));
    mb.data.set(blurred(cv, b));
    const m = track(cv.matFromArray(2, 3, cv.CV_64FC1, [t.a, -t.b, t.tx, t.b, t.a, t.ty]));
    const warped = track(new cv.Mat());
    cv.warpAffine(mb, warped, m, new cv.Size(a.width, a.height), cv.INTER_LINEAR, cv.BORDER_CONSTANT, [0, 0, 0, 0]);
    return [blurred(cv, a), warped.data.slice()];
  } finally {
    for (const m of mats) m.delete();
  }
}

/** Blurred pixels of each image, kept as long as the image: one image is compared in many
 *  pairs, and blurring was most of a comparison's cost. */
const blurCache = new WeakMap<GreyImage, Uint8Array>();

function blurred(cv: OpenCv, image: GreyImage): Uint8Array {
  let pixels = blurCache.get(image);
  if (!pixels) {
    const mat = new cv.Mat(image.height, image.width, cv.CV_8UC1);
    try {
      mat.data.set(image.data);
      cv.GaussianBlur(mat, mat, new cv.Size(0, 0), BLUR_SIGMA, BLUR_SIGMA, cv.BORDER_REFLECT_101);
      pixels = mat.data.slice();
    } finally {
      mat.delete();
    }
    blurCache.set(image, pixels);
  }
  return pixels;
}

export function invert(t: Similarity): Similarity {
  const norm = t.a * t.a + t.b * t.b;
  const a = t.a / norm;
  const b = -t.b / norm;
  return { a, b, tx: -(a * t.tx - b * t.ty), ty: -(b * t.tx + a * t.ty) };
}

function mapsInside(t: Similarity, x: number, y: number, image: GreyImage, margin: number): boolean {
  const u = t.a * x - t.b * y + t.tx;
  const v = t.b * x + t.a * y + t.ty;
  return u >= margin && v >= margin && u <= image.width - 1 - margin && v <= image.height - 1 - margin;
}

/** Whether a block of a lies inside b (its corners do; the map is affine), away from b's
 *  edge by the blur radius so the black outside does not bleed in. */
function blockInside(inverse: Similarity, x0: number, y0: number, size: number, b: GreyImage): boolean {
  const margin = EDGE;
  const x1 = x0 + size - 1;
  const y1 = y0 + size - 1;
  return mapsInside(inverse, x0, y0, b, margin) && mapsInside(inverse, x1, y0, b, margin) && mapsInside(inverse, x0, y1, b, margin) && mapsInside(inverse, x1, y1, b, margin);
}

/** Normalised correlation of one block, or undefined when the block is flat in both. */
function blockCorrelation(pa: Uint8Array, pb: Uint8Array, width: number, x0: number, y0: number, size: number): number | undefined {
  let sa = 0, sb = 0, saa = 0, sbb = 0, sab = 0;
  for (let y = y0; y < y0 + size; y++) {
    for (let i = y * width + x0, end = i + size; i < end; i++) {
      const va = pa[i]!;
      const vb = pb[i]!;
      sa += va;
      sb += vb;
      saa += va * va;
      sbb += vb * vb;
      sab += va * vb;
    }
  }
  const n = size * size;
  const varA = saa / n - (sa / n) ** 2;
  const varB = sbb / n - (sb / n) ** 2;
  if (varA < FLAT_STD * FLAT_STD && varB < FLAT_STD * FLAT_STD) return undefined;
  if (varA <= 0 || varB <= 0) return 0;
  return (sab / n - (sa / n) * (sb / n)) / Math.sqrt(varA * varB);
}

/** Intersection of a's frame and b's aligned footprint, over the smaller of the two areas
 *  (sampled on a 4-pixel grid of a's frame, which is precise enough for a share). */
function overlapShare(a: GreyImage, b: GreyImage, t: Similarity): number {
  const inverse = invert(t);
  const step = 4;
  let inside = 0;
  let total = 0;
  for (let y = step / 2; y < a.height; y += step) {
    for (let x = step / 2; x < a.width; x += step) {
      total++;
      if (mapsInside(inverse, x, y, b, 0)) inside++;
    }
  }
  const intersection = (inside / total) * a.width * a.height;
  const scaleSq = t.a * t.a + t.b * t.b;
  return Math.min(1, intersection / Math.min(a.width * a.height, b.width * b.height * scaleSq));
}

/** Of `outer`'s frame, the share of its blocks that lie outside `inner` once aligned
 *  (`toInner` maps outer's pixels into inner's) and hold texture: the other photos of a
 *  collage or a page, where a screenshot's chrome, a caption bar or a mat is mostly flat. */
export function texturedOutside(cv: OpenCv, outer: GreyImage, inner: GreyImage, toInner: Similarity): number {
  const pixels = blurred(cv, outer);
  const block = Math.max(4, Math.round(Math.max(outer.width, outer.height) / BLOCKS_PER_SIDE));
  let blocks = 0;
  let textured = 0;
  for (let y0 = 0; y0 + block <= outer.height; y0 += block) {
    for (let x0 = 0; x0 + block <= outer.width; x0 += block) {
      blocks++;
      const corners = [[x0, y0], [x0 + block - 1, y0], [x0, y0 + block - 1], [x0 + block - 1, y0 + block - 1]] as const;
      if (corners.some(([x, y]) => mapsInside(toInner, x, y, inner, 0))) continue;
      if (blockStd(pixels, outer.width, x0, y0, block) >= FLAT_STD) textured++;
    }
  }
  return blocks === 0 ? 0 : textured / blocks;
}

function blockStd(pixels: Uint8Array, width: number, x0: number, y0: number, size: number): number {
  let sum = 0;
  let sumSq = 0;
  for (let y = y0; y < y0 + size; y++) {
    for (let i = y * width + x0, end = i + size; i < end; i++) {
      sum += pixels[i]!;
      sumSq += pixels[i]! * pixels[i]!;
    }
  }
  const n = size * size;
  return Math.sqrt(Math.max(0, sumSq / n - (sum / n) ** 2));
}

/** Lines this far (pixels) either side of a footprint's side measure the texture it lies in. */
const BESIDE = 6;
/** The side may sit this far off the step (the fit is good to a pixel or two). */
const SLACK = 2;

/** Of the sides of `inner`'s aligned footprint that lie inside `outer` (`toOuter` maps inner's
 *  pixels into outer's): how much more outer's pixels change across the side (the strongest
 *  line within SLACK of it) than across the lines BESIDE pixels away, as a ratio. A tile's edge
 *  or a seam in a collage is a straight step well above its surroundings (≥ 2); around a crop
 *  the photo goes on and the side's line is like any other (about 1). */
export function footprintEdge(outer: GreyImage, inner: GreyImage, toOuter: Similarity): number {
  const corners = [[0, 0], [inner.width, 0], [0, inner.height], [inner.width, inner.height]].map(([x, y]) => [toOuter.a * x! - toOuter.b * y! + toOuter.tx, toOuter.b * x! + toOuter.a * y! + toOuter.ty]);
  const [x0, x1] = [Math.round(Math.min(...corners.map((c) => c[0]!))), Math.round(Math.max(...corners.map((c) => c[0]!)))];
  const [y0, y1] = [Math.round(Math.min(...corners.map((c) => c[1]!))), Math.round(Math.max(...corners.map((c) => c[1]!)))];
  const at = (x: number, y: number) => outer.data[y * outer.width + x]!;
  const margin = BESIDE + SLACK + 1;
  let across = 0;
  let beside = 0;
  /** Mean change across the line at `p` (columns when `vertical`), over the footprint's extent. */
  const change = (p: number, vertical: boolean) => {
    let sum = 0;
    let n = 0;
    if (vertical) for (let y = Math.max(0, y0); y < Math.min(outer.height, y1); y++, n++) sum += Math.abs(at(p - 1, y) - at(p + 1, y));
    else for (let x = Math.max(0, x0); x < Math.min(outer.width, x1); x++, n++) sum += Math.abs(at(x, p - 1) - at(x, p + 1));
    return n === 0 ? 0 : sum / n;
  };
  for (const [p, vertical, size] of [[x0, true, outer.width], [x1, true, outer.width], [y0, false, outer.height], [y1, false, outer.height]] as const) {
    if (p < margin || p > size - 1 - margin) continue;
    across += Math.max(...Array.from({ length: 2 * SLACK + 1 }, (_, k) => change(p - SLACK + k, vertical)));
    beside += (change(p - BESIDE, vertical) + change(p + BESIDE, vertical)) / 2;
  }
  return across / (beside + 1);
}

// Pixel evidence for choosing the original among copies of one photo (ImageEvidence): where the
// photo sits inside any bars, whether it is black and white, how much of it is clipped, how
// noisy and how sharp it is. Measured on the product decode (≤ 384×384), inside the content box
// only, so a border or letterbox added to a copy does not dilute the numbers.
import type { ImageEvidence } from '../fingerprint';
import type { PixelImage } from './image';
import { trimmedFrame } from './windows';

/** A pixel is coloured when its channels spread more than this: JPEG chroma noise on a grey
 *  photo stays within a few levels, a colour photo has many pixels far beyond. */
const GREY_SPREAD = 12;
/** Share of coloured pixels a grey image may still have (a stray chroma artefact, a dust speck). */
const GREY_OUTLIERS = 0.005;
/** A channel at or beyond these is clipped (1 and 254: JPEG rounding rarely leaves exact 0/255). */
const CLIP_LOW = 1;
const CLIP_HIGH = 254;
/** Immerkær's normalisation: sqrt(π/2) / 6. */
const IMMERKAER = Math.sqrt(Math.PI / 2) / 6;
/** Luma is kept in fixed point with this many fractional bits (integer arithmetic is the fast
 *  path; whole grey levels would add their rounding to the noise estimate). */
const LUMA_BITS = 8;
const LUMA_ONE = 1 << LUMA_BITS;
/** Side of the blocks whose means chroma is measured on. */
const BLOCK = 4;
/** Luma levels chroma is compared within. */
const LUMA_BINS = 32;
/** Pixels left out next to a trimmed bar: the resampled, JPEG-ringing edge between bar and photo
 *  is a step that would dominate the gradient, noise and clipping measures. */
const BAR_EDGE = 2;

export type PixelEvidence = Omit<ImageEvidence, 'jpegQuality'>;

export function imageEvidence(img: PixelImage): PixelEvidence {
  const trimmed = trimmedFrame(img);
  // A tiny or flat image can trim to nothing: then the whole frame is the content.
  const content = trimmed.width > 0 && trimmed.height > 0 ? trimmed : { left: 0, top: 0, width: img.width, height: img.height };
  const measured = measuredBox(content, img.width, img.height);
  const { width: w, height: h } = measured;
  const { channels, data } = img;
  const colour = channels >= 3;
  // Pass 1: luma of the measured box, coloured and clipped pixels.
  const luma = new Int32Array(w * h);
  let coloured = 0;
  let clipped = 0;
  const sums = new ColourSums(w, h);
  for (let y = 0; y < h; y++) {
    let p = ((measured.top + y) * img.width + measured.left) * channels;
    const row = y * w;
    for (let x = 0; x < w; x++, p += channels) {
      const r = data[p]!;
      if (!colour) {
        luma[row + x] = r << LUMA_BITS;
        clipped += +(r <= CLIP_LOW || r >= CLIP_HIGH);
        sums.add(x, y, r, r, r);
        continue;
      }
      const g = data[p + 1]!;
      const b = data[p + 2]!;
      // Pillow's integer luma weights (docs/hash-definitions.md, imagehash step 1), in fixed point.
      luma[row + x] = (r * 19595 + g * 38470 + b * 7471) >> (16 - LUMA_BITS);
      sums.add(x, y, r, g, b);
      const low = Math.min(r, g, b);
      const high = Math.max(r, g, b);
      // Branch-free counts: which pixels qualify is data-dependent, so branches mispredict.
      coloured += +(high - low > GREY_SPREAD);
      clipped += +(low <= CLIP_LOW || high >= CLIP_HIGH);
    }
  }
  const pixels = w * h;
  return {
    content: [round(content.left / img.width, 4), round(content.top / img.height, 4), round(content.width / img.width, 4), round(content.height / img.height, 4)],
    grey: coloured < GREY_OUTLIERS * pixels,
    clipped: round(clipped / pixels, 4),
    ...noiseAndSharpness(luma, w, h),
    contrast: round(Math.sqrt(sums.variance()), 2),
    chroma: round(sums.independentChroma(), 2),
  };
}

/** Luma contrast, and colour that does not follow luma: the opponent channels (R−G,
 *  (R+G)/2−B) of BLOCK×BLOCK block means (averaging takes out per-channel noise), and their
 *  spread among blocks of the same luma (any per-channel tone curve, tint or clipped highlight
 *  of a grey photo makes colour a function of luma: no spread). */
class ColourSums {
  private readonly columns: number;
  /** Per block: pixel count and sums of R, G, B. */
  private readonly blocks: Float64Array;
  private n = 0;
  private l = 0;
  private ll = 0;

  constructor(width: number, height: number) {
    this.columns = Math.ceil(width / BLOCK);
    this.blocks = new Float64Array(this.columns * Math.ceil(height / BLOCK) * 4);
  }

  add(x: number, y: number, r: number, g: number, b: number): void {
    const k = (Math.floor(y / BLOCK) * this.columns + Math.floor(x / BLOCK)) * 4;
    this.blocks[k]! += 1;
    this.blocks[k + 1]! += r;
    this.blocks[k + 2]! += g;
    this.blocks[k + 3]! += b;
    const luma = 0.299 * r + 0.587 * g + 0.114 * b;
    this.n++;
    this.l += luma;
    this.ll += luma * luma;
  }

  variance(): number {
    return this.n === 0 ? 0 : Math.max(0, this.ll / this.n - (this.l / this.n) ** 2);
  }

  /** Root mean square of the block opponent channels' deviation from their luma bin's mean. */
  independentChroma(): number {
    const bins = new Float64Array(LUMA_BINS * 5); // count, Σrg, Σrg², Σyb, Σyb²
    let blocks = 0;
    for (let k = 0; k < this.blocks.length; k += 4) {
      const count = this.blocks[k]!;
      if (count === 0) continue;
      const [r, g, b] = [this.blocks[k + 1]! / count, this.blocks[k + 2]! / count, this.blocks[k + 3]! / count];
      const bin = Math.min(LUMA_BINS - 1, Math.floor(((0.299 * r + 0.587 * g + 0.114 * b) * LUMA_BINS) / 256)) * 5;
      const [rg, yb] = [r - g, (r + g) / 2 - b];
      bins[bin]! += 1;
      bins[bin + 1]! += rg;
      bins[bin + 2]! += rg * rg;
      bins[bin + 3]! += yb;
      bins[bin + 4]! += yb * yb;
      blocks++;
    }
    let within = 0;
    for (let i = 0; i < bins.length; i += 5) {
      const count = bins[i]!;
      if (count > 0) within += bins[i + 2]! - bins[i + 1]! ** 2 / count + bins[i + 4]! - bins[i + 3]! ** 2 / count;
    }
    return blocks === 0 ? 0 : Math.sqrt(Math.max(0, within) / blocks);
  }
}

interface Box {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** The content without BAR_EDGE pixels along each side where a bar was trimmed (when it is big
 *  enough to spare them). */
function measuredBox(content: Box, width: number, height: number): Box {
  const left = content.left > 0 ? BAR_EDGE : 0;
  const right = content.left + content.width < width ? BAR_EDGE : 0;
  const top = content.top > 0 ? BAR_EDGE : 0;
  const bottom = content.top + content.height < height ? BAR_EDGE : 0;
  if (content.width <= 2 * (left + right) || content.height <= 2 * (top + bottom)) return content;
  return { left: content.left + left, top: content.top + top, width: content.width - left - right, height: content.height - top - bottom };
}

/**
 * Pass 2 over the luma:
 * - noise: Immerkær's fast estimate ("Fast noise variance estimation", 1996), the noise sigma
 *   from the mean absolute response to the Laplacian difference [[1,-2,1],[-2,4,-2],[1,-2,1]],
 *   which cancels smooth content up to second order;
 * - sharpness: the gradient energy focus measure, the mean of (I(x+1,y) − I(x,y))² +
 *   (I(x,y+1) − I(x,y))² in grey levels²: fine detail and edges raise it, blur lowers it.
 */
function noiseAndSharpness(luma: Int32Array, w: number, h: number): { noise: number; sharpness: number } {
  let laplacian = 0;
  let gradient = 0;
  for (let y = 0; y + 1 < h; y++) {
    const row = y * w;
    for (let i = row; i < row + w - 1; i++) {
      const dx = luma[i + 1]! - luma[i]!;
      const dy = luma[i + w]! - luma[i]!;
      gradient += dx * dx + dy * dy;
    }
  }
  // The kernel is separable, [1,-2,1]ᵀ·[1,-2,1]: second differences along each row first,
  // then along each column of those (entries at a row's ends are never read).
  const alongRows = new Int32Array(w * h);
  for (let i = 1; i + 1 < w * h; i++) alongRows[i] = luma[i - 1]! - 2 * luma[i]! + luma[i + 1]!;
  for (let y = 1; y + 1 < h; y++) {
    const row = y * w;
    for (let i = row + 1; i < row + w - 1; i++) laplacian += Math.abs(alongRows[i - w]! - 2 * alongRows[i]! + alongRows[i + w]!);
  }
  const interior = (w - 2) * (h - 2);
  const gradientPixels = (w - 1) * (h - 1);
  return {
    noise: interior > 0 ? round((IMMERKAER * laplacian) / interior / LUMA_ONE, 3) : 0,
    sharpness: gradientPixels > 0 ? round(gradient / gradientPixels / (LUMA_ONE * LUMA_ONE), 2) : 0,
  };
}

function round(value: number, decimals: number): number {
  const scale = 10 ** decimals;
  return Math.round(value * scale) / scale;
}

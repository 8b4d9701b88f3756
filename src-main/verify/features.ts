// ORB keypoints and their matches between two images. ORB is the fastest detector in the
// OpenCV.js build (AKAZE and BRISK cost 2–5× as much here) and rotation invariant, so quarter
// turns and small tilts match without trying each orientation.
import type { GreyImage } from './grey-image';
import type { OpenCv } from './opencv';

export interface Features {
  /** Keypoint positions, [x, y, …]. */
  points: Float32Array;
  /** One DESCRIPTOR_BYTES row per keypoint, row-major: plain bytes, so features can be cached
   *  and stored without holding OpenCV memory. */
  descriptors: Uint8Array;
}

/** ORB's binary descriptor: 256 bits. */
export const DESCRIPTOR_BYTES = 32;

const MAX_FEATURES = 500;
const ORB_SCALE_FACTOR = 1.2;
/** Lowe's ratio test: a match counts only when clearly closer than the second best. */
const RATIO = 0.8;
/** CLAHE clip limit and tiles per side (4×4 tiles of 80 px on a 320 px image). */
const CLAHE_CLIP = 4;
const CLAHE_TILES = 4;

export function detectFeatures(cv: OpenCv, image: GreyImage): Features {
  const grey = new cv.Mat(image.height, image.width, cv.CV_8UC1);
  const mask = new cv.Mat();
  const keypoints = new cv.KeyPointVector();
  const orb = new cv.ORB(MAX_FEATURES, ORB_SCALE_FACTOR);
  const clahe = new cv.CLAHE(CLAHE_CLIP, new cv.Size(CLAHE_TILES, CLAHE_TILES));
  const descriptors = new cv.Mat();
  try {
    grey.data.set(image.data);
    // Local contrast equalised first: ORB's FAST threshold is absolute (and the JS build
    // cannot lower it), so a hazy or motion-blurred photo finds almost no corners (9 on the
    // dev set's storm photo with a global histogram equalisation, ~90 with CLAHE), and a
    // brightened copy would find different ones.
    clahe.apply(grey, grey);
    orb.detectAndCompute(grey, mask, keypoints, descriptors);
    const points = new Float32Array(keypoints.size() * 2);
    for (let k = 0; k < keypoints.size(); k++) {
      // ORB reports a keypoint of pyramid level L at its level position × 1.2^L, but pixel
      // centres scale about the image corner: the point sits half a level pixel less one
      // further on. Uncorrected, a quarter turn (x and y swapped) lands 0.7 px off.
      const { pt, octave } = keypoints.get(k);
      const shift = 0.5 * (ORB_SCALE_FACTOR ** octave - 1);
      points[2 * k] = pt.x + shift;
      points[2 * k + 1] = pt.y + shift;
    }
    return { points, descriptors: descriptors.rows === 0 ? new Uint8Array(0) : descriptors.data.slice(0, descriptors.rows * DESCRIPTOR_BYTES) };
  } finally {
    descriptors.delete();
    grey.delete();
    mask.delete();
    keypoints.delete();
    orb.delete();
    clahe.delete();
  }
}

/** Matched positions: `from` in b, `to` in a, as flat [x, y, …] arrays. */
export interface Matches {
  from: Float32Array;
  to: Float32Array;
}

/** Each of a's descriptors against all of b's by Hamming distance, its two nearest kept (the
 *  first found wins a tie, as in OpenCV's brute-force knnMatch, whose results this repeats
 *  exactly): in plain JavaScript on 32-bit words, several times faster than crossing into the
 *  WebAssembly matcher for every match. */
export function matchFeatures(a: Features, b: Features): Matches {
  // The ratio test needs two candidates per query.
  if (a.points.length < 4 || b.points.length < 4) return { from: new Float32Array(0), to: new Float32Array(0) };
  const [wa, wb] = [words(a.descriptors), words(b.descriptors)];
  const [na, nb] = [a.points.length / 2, b.points.length / 2];
  const from: number[] = [];
  const to: number[] = [];
  for (let q = 0; q < na; q++) {
    // A descriptor is 8 words: unrolled, the query's held in locals.
    const qo = q * WORDS;
    const [q0, q1, q2, q3, q4, q5, q6, q7] = [wa[qo]!, wa[qo + 1]!, wa[qo + 2]!, wa[qo + 3]!, wa[qo + 4]!, wa[qo + 5]!, wa[qo + 6]!, wa[qo + 7]!];
    let best = Infinity;
    let second = Infinity;
    let bestIndex = -1;
    for (let t = 0, o = 0; t < nb; t++, o += WORDS) {
      const d =
        popcount(q0 ^ wb[o]!) + popcount(q1 ^ wb[o + 1]!) + popcount(q2 ^ wb[o + 2]!) + popcount(q3 ^ wb[o + 3]!) +
        popcount(q4 ^ wb[o + 4]!) + popcount(q5 ^ wb[o + 5]!) + popcount(q6 ^ wb[o + 6]!) + popcount(q7 ^ wb[o + 7]!);
      if (d < best) {
        second = best;
        best = d;
        bestIndex = t;
      } else if (d < second) second = d;
    }
    if (best < RATIO * second) {
      to.push(a.points[2 * q]!, a.points[2 * q + 1]!);
      from.push(b.points[2 * bestIndex]!, b.points[2 * bestIndex + 1]!);
    }
  }
  return { from: Float32Array.from(from), to: Float32Array.from(to) };
}

/** 32-bit words per descriptor (the unrolled loop above assumes 8). */
const WORDS = DESCRIPTOR_BYTES / 4;

function words(bytes: Uint8Array): Uint32Array {
  const aligned = bytes.byteOffset % 4 === 0 ? bytes : bytes.slice();
  return new Uint32Array(aligned.buffer, aligned.byteOffset, aligned.byteLength / 4);
}

function popcount(x: number): number {
  x -= (x >>> 1) & 0x55555555;
  x = (x & 0x33333333) + ((x >>> 2) & 0x33333333);
  return (Math.imul((x + (x >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24);
}

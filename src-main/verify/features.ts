// ORB keypoints and their matches between two images. ORB is the fastest detector in the
// OpenCV.js build (AKAZE and BRISK cost 2–5× as much here) and rotation invariant, so quarter
// turns and small tilts match without trying each orientation.
import type { GreyImage } from './grey-image';
import { DESCRIPTOR_BYTES, nearestTwo } from './nearest-two';
import type { OpenCv } from './opencv';

export interface Features {
  /** Keypoint positions, [x, y, …]. */
  points: Float32Array;
  /** One DESCRIPTOR_BYTES row per keypoint, row-major: plain bytes, so features can be cached
   *  and stored without holding OpenCV memory. */
  descriptors: Uint8Array;
}

export { DESCRIPTOR_BYTES } from './nearest-two';

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
 *  exactly), in WebAssembly SIMD (nearest-two.ts): crossing into OpenCV's matcher for every
 *  match cost several times as much. */
export function matchFeatures(a: Features, b: Features): Matches {
  // The ratio test needs two candidates per query.
  if (a.points.length < 4 || b.points.length < 4) return { from: new Float32Array(0), to: new Float32Array(0) };
  const nearest = nearestTwo(a.descriptors, b.descriptors);
  const from: number[] = [];
  const to: number[] = [];
  for (let q = 0; q < a.points.length / 2; q++) {
    const [t, best, second] = [nearest[3 * q]!, nearest[3 * q + 1]!, nearest[3 * q + 2]!];
    if (best < RATIO * second) {
      to.push(a.points[2 * q]!, a.points[2 * q + 1]!);
      from.push(b.points[2 * t]!, b.points[2 * t + 1]!);
    }
  }
  return { from: Float32Array.from(from), to: Float32Array.from(to) };
}

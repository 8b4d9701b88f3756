// ORB keypoints and their matches between two images. ORB is the fastest detector in the
// OpenCV.js build (AKAZE and BRISK cost 2–5× as much here) and rotation invariant, so quarter
// turns and small tilts match without trying each orientation.
import type { GreyImage } from './grey-image';
import type { Mat, OpenCv } from './opencv';

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

export function matchFeatures(cv: OpenCv, a: Features, b: Features): Matches {
  // knnMatch needs two candidates per query to apply the ratio test.
  if (a.points.length < 4 || b.points.length < 4) return { from: new Float32Array(0), to: new Float32Array(0) };
  const matcher = new cv.BFMatcher(cv.NORM_HAMMING, false);
  const knn = new cv.DMatchVectorVector();
  const [da, db] = [descriptorMat(cv, a), descriptorMat(cv, b)];
  try {
    matcher.knnMatch(da, db, knn, 2);
    const from: number[] = [];
    const to: number[] = [];
    for (let q = 0; q < knn.size(); q++) {
      const pair = knn.get(q);
      if (pair.size() === 2) {
        const first = pair.get(0);
        if (first.distance < RATIO * pair.get(1).distance) {
          to.push(a.points[2 * first.queryIdx]!, a.points[2 * first.queryIdx + 1]!);
          from.push(b.points[2 * first.trainIdx]!, b.points[2 * first.trainIdx + 1]!);
        }
      }
      pair.delete();
    }
    return { from: Float32Array.from(from), to: Float32Array.from(to) };
  } finally {
    matcher.delete();
    knn.delete();
    da.delete();
    db.delete();
  }
}

function descriptorMat(cv: OpenCv, features: Features): Mat {
  const mat = new cv.Mat(features.points.length / 2, DESCRIPTOR_BYTES, cv.CV_8UC1);
  mat.data.set(features.descriptors);
  return mat;
}

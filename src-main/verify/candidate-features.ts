// Local features as a candidate signal: the strongest ORB keypoints of an image and of its
// mirror image, found at hash time on the same 320 px grey and contrast equalisation the
// verifier uses (features.ts), kept as short binary codes. Two images that share several show
// the same scene somewhere, whatever else their frames hold (a 20–35% crop, a photo in a
// screenshot or above a caption, a perspective copy; a mirrored crop through the mirror's):
// src-core/verify/candidates.ts proposes such pairs.
import sharp from 'sharp';
import type { PixelImage } from '../../src-core/hash/image';
import { CANDIDATE_DESCRIPTORS, CANDIDATE_DESCRIPTOR_BYTES } from '../../src-core/verify/candidates';
import { DEFAULT_LONG_SIDE, mirrorHorizontally, type GreyImage } from './grey-image';
import { loadOpenCv, type OpenCv } from './opencv';

const ORB_SCALE_FACTOR = 1.2;
/** As the verifier's detection (features.ts): local contrast first, or a hazy photo has no corners. */
const CLAHE_CLIP = 4;
const CLAHE_TILES = 4;

/** The image's codes (`orb`) and its mirror's (`orbMirrored`), base64. */
export async function candidateDescriptors(pixels: PixelImage): Promise<{ orb: string; orbMirrored: string }> {
  const { data, info } = await sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: pixels.channels as 1 | 2 | 3 | 4 } })
    .greyscale()
    .resize({ width: DEFAULT_LONG_SIDE, height: DEFAULT_LONG_SIDE, fit: 'inside' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  const { cv } = await loadOpenCv();
  const grey: GreyImage = { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, info.width * info.height) };
  return { orb: codesOf(cv, grey), orbMirrored: codesOf(cv, mirrorHorizontally(grey)) };
}

/** The strongest descriptors, balanced across pyramid levels, each cut to its first
 *  CANDIDATE_DESCRIPTOR_BYTES (ORB orders its tests by how much they tell apart), as base64
 *  (empty when the image has no corners). */
function codesOf(cv: OpenCv, image: GreyImage): string {
  const grey = new cv.Mat(image.height, image.width, cv.CV_8UC1);
  const mask = new cv.Mat();
  const keypoints = new cv.KeyPointVector();
  const descriptors = new cv.Mat();
  const orb = new cv.ORB(DETECTED, ORB_SCALE_FACTOR);
  const clahe = new cv.CLAHE(CLAHE_CLIP, new cv.Size(CLAHE_TILES, CLAHE_TILES));
  try {
    grey.data.set(image.data);
    clahe.apply(grey, grey);
    orb.detectAndCompute(grey, mask, keypoints, descriptors);
    const chosen = balancedAcrossLevels(keypoints, descriptors.rows);
    const out = new Uint8Array(chosen.length * CANDIDATE_DESCRIPTOR_BYTES);
    const stride = descriptors.rows === 0 ? 0 : descriptors.data.length / descriptors.rows;
    chosen.forEach((k, n) => out.set(descriptors.data.subarray(k * stride, k * stride + CANDIDATE_DESCRIPTOR_BYTES), n * CANDIDATE_DESCRIPTOR_BYTES));
    return Buffer.from(out).toString('base64');
  } finally {
    for (const m of [grey, mask, keypoints, descriptors, orb, clahe]) m.delete();
  }
}

/** Keypoints detected before choosing: enough for every pyramid level to offer its best. */
const DETECTED = 500;
const LEVELS = 8;

/** The strongest keypoints of each pyramid level in turn: a copy zoomed 2× (a quarter crop)
 *  meets the original's fine level at its own coarse one, which a plain strongest-first choice
 *  (nearly all from the fine levels) would leave out. */
function balancedAcrossLevels(keypoints: { size(): number; get(i: number): { octave: number } }, rows: number): number[] {
  const byLevel = Array.from({ length: LEVELS }, () => [] as Array<{ k: number; response: number }>);
  for (let k = 0; k < Math.min(rows, keypoints.size()); k++) {
    const point = keypoints.get(k) as { octave: number; response: number };
    byLevel[Math.min(LEVELS - 1, point.octave)]!.push({ k, response: point.response });
  }
  for (const level of byLevel) level.sort((a, b) => b.response - a.response);
  const chosen: number[] = [];
  for (let rank = 0; chosen.length < CANDIDATE_DESCRIPTORS && byLevel.some((level) => rank < level.length); rank++) {
    for (const level of byLevel) if (rank < level.length && chosen.length < CANDIDATE_DESCRIPTORS) chosen.push(level[rank]!.k);
  }
  return chosen;
}

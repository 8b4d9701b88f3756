// The verification job a worker runs: load both images small and grey (from the cached
// thumbnail of that content when there is one, else from the file), align them, and say what
// the alignment needed.
import { readFile } from 'node:fs/promises';
import type { VerifyImage } from '../../src-core/hash-protocol';
import type { PairCheck } from '../../src-core/verify/verified-pairs';
import { readStableFile } from '../hash/fingerprint-file';
import { thumbnailPath } from '../hash/thumbnail';
import type { GreyImage, PairVerdict } from './verify-pair';

/** Loaded on the first verification: OpenCV's WebAssembly costs start-up time and memory that
 *  a worker which only hashes should not pay. */
const verifier = () => import('./verify-pair');

/** Aligned area ratios beyond this mean one image holds more of the scene: a crop. */
const CROP_AREA_RATIO = 0.93;
/** Rotations this far from a quarter turn are a straightened or tilted copy. */
const TILT_DEGREES = 1;
/** Under this share of agreeing blocks some area was painted over (logo, text, retouch). */
const OVERLAY_AGREEMENT = 0.97;

export async function checkPair(a: VerifyImage, b: VerifyImage, thumbnailDir?: string, within?: readonly string[]): Promise<PairCheck> {
  const { verifyPair } = await verifier();
  const started = performance.now();
  const [imageA, imageB] = await Promise.all([load(a, thumbnailDir, within), load(b, thumbnailDir, within)]);
  const verdict = await verifyPair(imageA, imageB);
  // The cost of the whole check, loading included: what a pair costs the library.
  return { ...verdict, edits: verdict.match ? describeEdits(verdict, imageA, imageB) : [], ms: performance.now() - started };
}

async function load(image: VerifyImage, thumbnailDir: string | undefined, within: readonly string[] | undefined): Promise<GreyImage> {
  const { loadGrey } = await verifier();
  if (thumbnailDir) {
    const cached = await readFile(thumbnailPath(thumbnailDir, image.digest)).catch(() => undefined);
    if (cached) return loadGrey(cached);
  }
  const file = await readStableFile(image.path, within).catch((error: Error) => {
    throw new Error(`${image.path}: ${error.message}`);
  });
  return loadGrey(file.bytes);
}

/** The edits a match needed, in words for the compare view. */
export function describeEdits(v: Pick<PairVerdict, 'mirrored' | 'rotationDeg' | 'scale' | 'agreement'>, a: GreyImage, b: GreyImage): string[] {
  const edits: string[] = [];
  const areaRatio = (b.width * b.height * v.scale * v.scale) / (a.width * a.height);
  if (areaRatio < CROP_AREA_RATIO || areaRatio > 1 / CROP_AREA_RATIO) edits.push('cropped');
  const tilt = v.rotationDeg - 90 * Math.round(v.rotationDeg / 90);
  if (Math.abs(tilt) > TILT_DEGREES) edits.push(`rotated ${Math.abs(Math.round(v.rotationDeg))}°`);
  if (v.mirrored) edits.push('mirrored');
  if (v.agreement < OVERLAY_AGREEMENT) edits.push('overlaid or retouched');
  return edits;
}

// The verification job a worker runs: get both images' features (decoded and detected once
// per content, see feature-cache.ts), align them, and say what the alignment needed.
import type { VerifyImage } from '../../src-core/hash-protocol';
import type { PairCheck } from '../../src-core/verify/verified-pairs';
import type { FeatureSource } from './feature-cache';
import type { GreyImage } from './grey-image';
import type { PairVerdict } from './verify-pair';

/** Loaded on the first verification: OpenCV's WebAssembly costs start-up time and memory that
 *  a worker which only hashes should not pay. */
const verifier = () => import('./verify-pair');

/** Aligned area ratios beyond this mean one image holds more of the scene: a crop. */
const CROP_AREA_RATIO = 0.93;
/** Rotations this far from a quarter turn are a straightened or tilted copy. */
const TILT_DEGREES = 1;
/** Under this share of agreeing blocks some area was painted over (logo, text, retouch). */
const OVERLAY_AGREEMENT = 0.97;

export async function checkPair(a: VerifyImage, b: VerifyImage, features: FeatureSource, within?: readonly string[]): Promise<PairCheck> {
  const { verifyFeatures } = await verifier();
  const started = performance.now();
  const [fa, fb] = await Promise.all([features.get(a, within), features.get(b, within)]);
  const hadMirror = fb.mirrored !== undefined;
  const verdict = await verifyFeatures(fa, fb);
  if (!hadMirror && fb.mirrored) await features.mirrorAdded(b.digest, fb);
  // The cost of the whole check, loading included: what a pair costs the library (a cached
  // image's share is what it cost to fetch, not to decode and detect again).
  return { ...verdict, edits: verdict.match ? describeEdits(verdict, fa.grey, fb.grey) : [], ms: performance.now() - started };
}

/** A batch of pairs, one after another (pairs in a batch share images: see route-pairs.ts). */
export async function checkPairs(pairs: ReadonlyArray<{ a: VerifyImage; b: VerifyImage }>, features: FeatureSource, within?: readonly string[]): Promise<Array<PairCheck | { error: string }>> {
  const checks: Array<PairCheck | { error: string }> = [];
  for (const { a, b } of pairs) checks.push(await checkPair(a, b, features, within).catch((error: unknown) => ({ error: (error as Error)?.message ?? String(error) })));
  return checks;
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

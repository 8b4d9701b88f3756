// The precise verifier for candidate duplicate pairs: align two small grey images with ORB
// keypoints and a RANSAC similarity fit (again with b mirrored, so flips verify), then check
// block by block that the aligned pixels agree. Hashes propose pairs; this decides them.
import { matchFeatures, type Features } from './features';
import type { GreyImage } from './grey-image';
import { extractFeatures, mirroredFeatures, mirroredGrey, type ImageFeatures } from './image-features';
import { loadOpenCv, type OpenCv } from './opencv';
import { compareAligned, footprintEdge, invert, texturedOutside } from './photometric';
import { fitSimilarity, type RansacOptions, type Similarity } from './similarity-ransac';

import { fromPixelSimilarity } from '../../src-core/verify/pair-transform';
import type { PairCheck } from '../../src-core/verify/verified-pairs';

export { loadGrey, type GreyImage } from './grey-image';
export { extractFeatures, type ImageFeatures } from './image-features';

/** What the verifier measures (the fields are documented on PairCheck, which adds the edits
 *  described from them). `ms` leaves out the one-time OpenCV start-up. */
export type PairVerdict = Omit<PairCheck, 'edits'>;

export const MATCH_SCORE = 0.5;

const RANSAC: RansacOptions = { threshold: 3, minScale: 0.25, maxScale: 4, iterations: 500 };
/** Random matches between unrelated photos reach 8 at most on the dev set; copies have 30+. */
const MIN_INLIERS = 10;
/** A copy lies inside the original (crop, border, letterbox), so it is covered almost fully;
 *  another shot from a moved camera sticks out on one side. */
const MIN_OVERLAP = 0.85;
/** Too few textured blocks leave agreement to chance. */
const MIN_BLOCKS = 12;
/** Share of agreeing blocks a copy keeps under a logo and a watermark across a plain sky; a
 *  subject that moved over a fifth of the frame falls below it. */
const MIN_AGREEMENT = 0.75;

interface Attempt {
  transform?: Similarity;
  /** b's grey image as aligned (its mirror when the alignment needed it). */
  aligned?: GreyImage;
  inliers: number;
  overlap: number;
  agreement: number;
  blocks: number;
}

const NO_ATTEMPT: Attempt = { inliers: 0, overlap: 0, agreement: 0, blocks: 0 };

/** Detects both images' features and matches them: one pair on its own. To check many pairs,
 *  extract each image's features once (extractFeatures) and call verifyFeatures. */
export async function verifyPair(a: GreyImage, b: GreyImage): Promise<PairVerdict> {
  const { cv } = await loadOpenCv();
  const start = performance.now();
  const verdict = await verifyFeatures(extractFeatures(cv, a), extractFeatures(cv, b));
  return { ...verdict, ms: performance.now() - start };
}

/** `ms` is the matching alone: the features were detected before (but for b's mirror, the
 *  first time a pair needs it: it is added to `b`). */
export async function verifyFeatures(a: ImageFeatures, b: ImageFeatures): Promise<PairVerdict> {
  const { cv } = await loadOpenCv();
  const start = performance.now();
  const direct = { ...attempt(cv, a.grey, a.direct, b.grey, b.direct), mirrored: false };
  // The mirror is tried only when the direct alignment fails: it costs a second match.
  const chosen = passes(direct) ? direct : best(direct, { ...attempt(cv, a.grey, a.direct, mirroredGrey(b.grey), mirroredFeatures(cv, b)), mirrored: true });
  return verdict(chosen, b.grey, a.grey, containing(cv, chosen, a.grey), performance.now() - start);
}

/** One image takes at most this share of the other's area… */
const CONTAINED_AREA = 0.6;
/** …this share of the other's blocks, outside it, hold texture (other pictures: a desktop or
 *  phone screenshot's chrome, a caption bar and a mat stay well under it)… */
const CONTAINER_TEXTURE = 0.35;
/** …and the other changes across its edges this many times more than beside them (a tile's
 *  edge or a seam: 11–12 on the tuning collages; around a plain crop the photo goes on: ≤ 2.6 on
 *  50–70% crops of the bench originals): the other is a collage or a page holding it among
 *  other pictures, a relation of its own, not a copy. */
const TILE_EDGE = 5;

/** Which image, if either, holds the other among other pictures ('a': a holds b). */
function containing(cv: OpenCv, x: Attempt, a: GreyImage): 'a' | 'b' | undefined {
  const { transform: t, aligned: b } = x;
  if (!t || !b || !passes(x)) return undefined;
  const scaleSq = t.a * t.a + t.b * t.b;
  const holds = (outer: GreyImage, inner: GreyImage, toInner: Similarity) => texturedOutside(cv, outer, inner, toInner) >= CONTAINER_TEXTURE && footprintEdge(outer, inner, invert(toInner)) >= TILE_EDGE;
  if (b.width * b.height * scaleSq < CONTAINED_AREA * a.width * a.height) return holds(a, b, invert(t)) ? 'a' : undefined;
  if (a.width * a.height < CONTAINED_AREA * b.width * b.height * scaleSq) return holds(b, a, t) ? 'b' : undefined;
  return undefined;
}

function attempt(cv: OpenCv, a: GreyImage, fa: Features, b: GreyImage, fb: Features): Attempt {
  const matches = matchFeatures(fa, fb);
  const fit = fitSimilarity(matches.from, matches.to, RANSAC);
  if (!fit || fit.inliers < MIN_INLIERS) return { ...NO_ATTEMPT, inliers: fit?.inliers ?? 0 };
  return { transform: fit.transform, aligned: b, inliers: fit.inliers, ...compareAligned(cv, a, b, fit.transform) };
}

function passes(x: Attempt): boolean {
  return score(x) >= MATCH_SCORE;
}

function best<T extends Attempt>(x: T, y: T): T {
  return score(y) > score(x) ? y : x;
}

/** Agreement, stretched so MIN_AGREEMENT lands on MATCH_SCORE, decides once the geometry is
 *  plausible; a failed geometric gate halves it, so near misses still rank but never match. */
function score(x: Attempt): number {
  const geometryOk = x.inliers >= MIN_INLIERS && x.overlap >= MIN_OVERLAP && x.blocks >= MIN_BLOCKS;
  const t = MIN_AGREEMENT;
  const photometric = x.agreement < t ? (x.agreement / t) * MATCH_SCORE : MATCH_SCORE + ((x.agreement - t) / (1 - t)) * (1 - MATCH_SCORE);
  return geometryOk ? photometric : photometric * 0.5;
}

/** `b` and `a` give the sizes the fit's pixels are counted in. A pair where one image holds the
 *  other among other pictures is no match: it is reported as `contains`. */
function verdict(x: Attempt & { mirrored: boolean }, b: GreyImage, a: GreyImage, contains: 'a' | 'b' | undefined, ms: number): PairVerdict {
  const t = x.transform;
  const s = score(x);
  const match = s >= MATCH_SCORE && !contains;
  return {
    match,
    score: s,
    inliers: x.inliers,
    mirrored: x.mirrored,
    rotationDeg: t ? (Math.atan2(t.b, t.a) * 180) / Math.PI : 0,
    scale: t ? Math.hypot(t.a, t.b) : 0,
    overlap: x.overlap,
    agreement: x.agreement,
    ...(match && t ? { transform: fromPixelSimilarity(t, x.mirrored, b, a) } : {}),
    ...(contains ? { contains } : {}),
    ms,
  };
}

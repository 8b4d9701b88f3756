// The verification stage's results as clustering reads them: candidate pairs (by content
// digest) that a pixel-level check aligned and found to be the same photo, or not.
// Hashes miss crops, small rotations and overlays; a pair one of the looser signals proposes
// is only grouped once the verifier confirms it (src-main/verify).
import type { VerifiedEdge } from '../cluster/clustering';
import type { PairTransform } from './pair-transform';

/** Which signal proposed a pair for verification. */
export type CandidateSignal = 'pdq-loose' | 'ahash' | 'embedding' | 'windows' | 'features';

/** What the verifier measured on one pair (src-main/verify). */
export interface PairCheck {
  /** The two images show the same photo (possibly cropped, rotated, scaled, mirrored,
   *  recoloured, overlaid, bordered or letterboxed). */
  match: boolean;
  /** 0..1 confidence; `match` ⇔ score ≥ the verifier's MATCH_SCORE. */
  score: number;
  /** RANSAC inliers of the fitted similarity transform (0 if none). */
  inliers: number;
  /** The alignment needed b mirrored horizontally. */
  mirrored: boolean;
  /** Of the similarity mapping b onto a: degrees clockwise on screen, in (−180, 180]. */
  rotationDeg: number;
  /** a's pixels per b pixel (b a crop keeping 85 % → 0.85); 0 when nothing aligned. */
  scale: number;
  /** Share of the smaller image covered by the other once aligned. */
  overlap: number;
  /** Share of aligned blocks whose pixels correlate. */
  agreement: number;
  /** How one differs from the other: "cropped", "rotated 3°", "mirrored", "overlaid". */
  edits: string[];
  /** Only on a match: where b lies in a's frame, in fractions of each image's size. */
  transform?: PairTransform;
  /** The two align, but one holds the other among other pictures (a collage, a page): 'a'
   *  holds b, 'b' holds a. Not a match: the photo is not a copy of the collage. */
  contains?: 'a' | 'b';
  ms: number;
}

/** A decided candidate pair. `a` < `b` (digests), so a pair has one key. */
export interface PairDecision {
  a: string;
  b: string;
  /** The verifier found one image inside the other (aligned, and the aligned pixels agree). */
  match: boolean;
  /** The verifier's confidence, 0..1. */
  score: number;
  /** What the match needed, for the person: "cropped", "rotated 3°", "mirrored", "overlaid". */
  edits: string[];
  /** The signals that proposed the pair. */
  signals: CandidateSignal[];
  /** Where b lies in a's frame (PairCheck.transform, for this a and b); absent on a rejected
   *  pair and in verdicts stored before the verifier reported it. */
  transform?: PairTransform;
  /** PairCheck.contains, for this a and b: one holds the other among other pictures. */
  contains?: 'a' | 'b';
}

/** The decision on candidate `c` (a < b) from the verifier's check of (a, b). */
export function decisionOf(c: { a: string; b: string; signals: CandidateSignal[] }, check: Omit<PairCheck, 'ms' | 'inliers' | 'mirrored' | 'rotationDeg' | 'scale' | 'overlap' | 'agreement'>): PairDecision {
  return { a: c.a, b: c.b, match: check.match, score: check.score, edits: check.edits, signals: c.signals, ...(check.transform ? { transform: check.transform } : {}), ...(check.contains ? { contains: check.contains } : {}) };
}

/** A verified pair's similarity for clustering and the slider: above the default cut (0.8)
 *  so confirmed edits group by default, below the near-identical range, so moving the slider
 *  up to "same photo only" leaves edits out. */
export const VERIFIED_SIMILARITY = 0.9;

export function pairKey(a: string, b: string): string {
  return a < b ? `${a}:${b}` : `${b}:${a}`;
}

/** The pair in canonical order (a < b). */
export function orderedPair(a: string, b: string): [string, string] {
  return a < b ? [a, b] : [b, a];
}

/** Confirmed pairs as clustering takes them: digest pairs with their similarity. */
export function verifiedEdges(decisions: Iterable<PairDecision>): VerifiedEdge[] {
  const edges: VerifiedEdge[] = [];
  for (const d of decisions) if (d.match) edges.push({ a: d.a, b: d.b, similarity: VERIFIED_SIMILARITY, edits: d.edits, ...(d.transform ? { transform: d.transform } : {}) });
  return edges;
}

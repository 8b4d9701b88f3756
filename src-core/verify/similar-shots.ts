// "Similar shots": different exposures of one scene (a burst, a re-take), which people want
// to see side by side but never to lose as "duplicates". A candidate pair is one when the
// verifier found no alignment, yet one camera took both moments apart.
import type { ExifSummary } from '../fingerprint';
import type { PairDecision } from './verified-pairs';

/** Capture times at most this far apart count as one moment (a burst, a quick re-take). */
export const SIMILAR_SHOT_SECONDS = 120;

export interface ShotFile {
  path: string;
  digest: string;
  exif: ExifSummary;
  /** The keeper evidence's sharpness (mean gradient energy), when the fingerprint has it. */
  sharpness?: number;
}

export interface SimilarShot {
  /** Paths of the two files, and their contents. */
  a: string;
  b: string;
  digestA: string;
  digestB: string;
  /** Seconds between the two captures. */
  seconds: number;
  /** The clearly sharper frame, suggested (never marked); absent when neither is. */
  sharper?: 'a' | 'b';
}

/** How much sharper a frame must measure before it is suggested: closer than this, the
 *  measure says more about the scene's content than about focus or shake. */
export const SHARPER_RATIO = 1.15;

/** Which of two frames is clearly sharper, if either: unknown sharpness suggests nothing. */
export function sharperFrame(a: number | undefined, b: number | undefined): 'a' | 'b' | undefined {
  if (a === undefined || b === undefined) return undefined;
  if (a >= b * SHARPER_RATIO && a > 0) return 'a';
  if (b >= a * SHARPER_RATIO && b > 0) return 'b';
  return undefined;
}

export function similarShots(decisions: Iterable<PairDecision>, files: ReadonlyArray<ShotFile>): SimilarShot[] {
  const byDigest = new Map(files.map((f) => [f.digest, f]));
  const shots: SimilarShot[] = [];
  for (const d of decisions) {
    if (d.match) continue;
    const [fa, fb] = [byDigest.get(d.a), byDigest.get(d.b)];
    if (!fa || !fb || !sameCamera(fa.exif, fb.exif)) continue;
    const seconds = secondsApart(fa.exif.dateTaken, fb.exif.dateTaken);
    if (seconds === undefined || seconds > SIMILAR_SHOT_SECONDS) continue;
    const sharper = sharperFrame(fa.sharpness, fb.sharpness);
    shots.push({ a: fa.path, b: fb.path, digestA: fa.digest, digestB: fb.digest, seconds, ...(sharper ? { sharper } : {}) });
  }
  return shots;
}

function sameCamera(a: ExifSummary, b: ExifSummary): boolean {
  return Boolean(a.model) && a.make === b.make && a.model === b.model;
}

/** `dateTaken` is a zone-less local time; two from one camera share its clock. */
function secondsApart(a: string | undefined, b: string | undefined): number | undefined {
  if (!a || !b) return undefined;
  const [ta, tb] = [Date.parse(`${a}Z`), Date.parse(`${b}Z`)];
  return Number.isNaN(ta) || Number.isNaN(tb) ? undefined : Math.abs(ta - tb) / 1000;
}

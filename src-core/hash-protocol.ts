// Messages between the WorkerPool (main process, CLI or host) and one hash worker process.
import type { Fingerprint, HashErrorInfo, HashMode, HashOutcome } from './fingerprint';
import type { PairCheck } from './verify/verified-pairs';

/** An image to verify: its file, and its digest (to use a cached thumbnail of that content). */
export interface VerifyImage {
  path: string;
  digest: string;
}

/** `within`: the worker opens a file only if, links resolved at the moment it opens it, it is
 *  inside one of these folders (the watched roots main checked it against). */
export type HashWorkerRequest =
  /** `embedding`: also compute the image embedding's code (Fingerprint.embedding).
   *  `localFeatures`: also compute the local features (Fingerprint.orb, orbMirrored).
   *  `samePixels`: ask the pool before decoding whether another job decodes the same pixels
   *  (src-main/hash/same-pixels.ts). */
  | { type: 'hash'; id: number; path: string; mode: HashMode; embedding?: boolean; localFeatures?: boolean; within?: string[]; samePixels?: boolean }
  /** The pool's answer to 'same-pixels': decode the file, or leave it (its job is settled). */
  | { type: 'same-pixels-answer'; id: number; decode: boolean }
  /** Aligns two images and checks their pixels agree (the verification stage). */
  | { type: 'verify'; id: number; a: VerifyImage; b: VerifyImage; within?: string[] }
  /** Pairs that share images, checked in turn by one worker from its cache of their features. */
  | { type: 'verify-batch'; id: number; pairs: Array<{ a: VerifyImage; b: VerifyImage }>; within?: string[] }
  /** Writes a full-size JPEG of `path` (whose SHA-256 is `digest`) to `output`, for the compare
   *  view of formats browsers cannot show (src-main/hash/view-image.ts). */
  | { type: 'view'; id: number; path: string; digest: string; output: string }
  | { type: 'usage' }
  /** Desktop app only: comes with a MessagePort to a renderer; the worker then posts every
   *  outcome straight to it (see result-ports.ts). */
  | { type: 'results-port' };

export type HashWorkerResponse =
  | { type: 'ready' }
  /** `delivered`: the outcome already went straight to the renderer over a results port. */
  | { type: 'result'; id: number; outcome: HashOutcome; delivered?: boolean }
  /** Before decoding a 'hash' job's file with `samePixels`: its same-decode key and own fields. */
  | { type: 'same-pixels'; id: number; key: string; file: FileFacts }
  | { type: 'verdict'; id: number; check: PairCheck | { error: string } }
  /** One per pair of a 'verify-batch', in its order. */
  | { type: 'verdicts'; id: number; checks: Array<PairCheck | { error: string }> }
  /** The view image was written, unless `error` says why not. */
  | { type: 'view'; id: number; error?: HashErrorInfo }
  | { type: 'usage'; maxRssBytes: number };

/** What a fingerprint takes from the file itself rather than from its decoded pixels. */
export type FileFacts = Pick<Fingerprint, 'path' | 'size' | 'mtimeMs' | 'digest' | 'exif' | 'pixelDigest'>;

/** What a results port carries, one message per outcome. */
export interface PortedOutcome {
  outcome: HashOutcome;
}

// Byte-different copies of one image (backups, re-downloads, edited metadata) decode to the same
// pixels, so the pool decodes each such content once: a worker names a file's same-decode key
// (pixel-digest.ts decodeKey) before decoding, and a file whose key was decoded, or is being
// decoded by another worker, takes that fingerprint with its own file fields instead. The worker
// is free at once: a copy whose pixels are still being decoded waits here, not in a worker.
import type { Fingerprint } from '../../src-core/fingerprint';
import type { FileFacts } from '../../src-core/hash-protocol';

/** Thrown by fingerprintFile when the pool said another job decodes the same pixels. */
export class DecodedElsewhere extends Error {
  constructor(readonly key: string) {
    super(`the pixels of ${key} are decoded by another job`);
  }
}

/** The fingerprint of a file with the same decode as `source`'s file. */
export function withFileFacts(source: Fingerprint, file: FileFacts): Fingerprint {
  const { pixelDigest: _, ...decoded } = source;
  return { ...decoded, ...file };
}

export type SamePixelsClaim = { decode: true } | { decode: false; source: Promise<Fingerprint | undefined> };

/** Which keys were decoded (their fingerprints) and which are being decoded, for one pool. */
export class SamePixelsRegistry {
  private readonly decoded = new Map<string, Fingerprint>();
  private readonly waiting = new Map<string, Array<(source: Fingerprint | undefined) => void>>();

  /** The first job to claim a key decodes it; later ones get its fingerprint (undefined if
   *  that decode failed: they then decode themselves). */
  claim(key: string): SamePixelsClaim {
    const known = this.decoded.get(key);
    if (known) return { decode: false, source: Promise.resolve(known) };
    const waiters = this.waiting.get(key);
    if (!waiters) {
      this.waiting.set(key, []);
      return { decode: true };
    }
    return { decode: false, source: new Promise((resolve) => waiters.push(resolve)) };
  }

  /** The claiming job ended: with the fingerprint, or undefined when it failed. */
  finished(key: string, fingerprint: Fingerprint | undefined): void {
    if (fingerprint) this.decoded.set(key, fingerprint);
    const waiters = this.waiting.get(key) ?? [];
    this.waiting.delete(key);
    for (const wake of waiters) wake(fingerprint);
  }
}

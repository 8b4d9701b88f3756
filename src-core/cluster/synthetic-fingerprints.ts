// Synthetic fingerprints for clustering tests: random hashes from a seeded generator, and
// near copies made by flipping bits.
import type { Fingerprint } from '../fingerprint';
import { DIHEDRAL_NAMES } from '../hash/pdq';

export function syntheticFingerprints(seed: number, prefix = '/lib/p') {
  let state = seed;
  const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0);
  // High bits: an LCG's low bits repeat with a short period.
  const randomHex = (digits: number) => Array.from({ length: digits }, () => (next() >>> 28).toString(16)).join('');
  /** Flips `bits` distinct bits of a hex hash. */
  const flip = (hex: string, bits: number): string => {
    const digits = hex.split('').map((d) => parseInt(d, 16));
    const chosen = new Set<number>();
    while (chosen.size < bits) chosen.add((next() >>> 8) % (hex.length * 4));
    for (const bit of chosen) digits[bit >> 2]! ^= 1 << (bit & 3);
    return digits.map((d) => d.toString(16)).join('');
  };
  let serial = 0;
  const photo = (overrides: Partial<Fingerprint> = {}): Fingerprint => {
    serial++;
    const dihedral = Object.fromEntries(DIHEDRAL_NAMES.filter((n) => n !== 'original').map((n) => [n, randomHex(64)])) as Fingerprint['pdqDihedral'];
    return { path: `${prefix}${String(serial).padStart(4, '0')}.jpg`, size: 100_000 + serial, mtimeMs: 0, digest: randomHex(64), width: 1000, height: 750, format: 'jpeg', pdq: randomHex(64), pdqQuality: 90, pdqDihedral: dihedral, ahash: randomHex(16), dhash: randomHex(16), phash: randomHex(16), whash: randomHex(16), exif: {}, ...overrides };
  };
  return { randomHex, flip, photo };
}

// Similarity methods: which hash a pair is compared on, and how bits become a similarity.
import type { Fingerprint } from '../fingerprint';
import { hexToWords32 } from '../hash/hamming';
import { DIHEDRAL_NAMES } from '../hash/pdq';
import { WINDOW_NAMES } from '../hash/windows';
import { allocateHashCodes, type HashCodes } from './hash-codes';

export const METHODS = ['pdq-dihedral', 'pdq-windows', 'pdq', 'ahash', 'dhash', 'phash', 'whash'] as const;
export type Method = (typeof METHODS)[number];
/** PDQ with its dihedral variants and its window hashes: on the dev set it finds everything
 *  'pdq-dihedral' finds plus most bordered and letterboxed copies, at the same precision. */
export const DEFAULT_METHOD: Method = 'pdq-windows';

/** The loosest similarity the slider allows; the index returns every pair at or above it.
 *  0.8 is 25 of PDQ's 256 bits: exact multi-index search stays near-linear up to that radius
 *  (20-bit chunks), and the dev set's whole-frame edits (re-encode, resize, colour, overlay,
 *  flips and 90° rotations) sit within it for ≥ 95% of pairs (docs/grouping.md, "Exact pair
 *  search"). */
export const SIMILARITY_FLOOR = 0.8;

/** Where the slider starts: the similarity with the best pair F1 on the dev set within
 *  [SIMILARITY_FLOOR, 1] (`npm run bench:accuracy`). F1 keeps rising below the floor on the
 *  dev set (its nearest unrelated pair is 78 bits apart), but real libraries hold far closer
 *  look-alikes (bursts), and a looser slider would need an index that cannot stay exact and
 *  near-linear at a million photos. */
export const DEFAULT_SIMILARITY = 0.8;

export type HashedFingerprint = Pick<Fingerprint, 'pdq' | 'pdqDihedral' | 'pdqWindows' | 'ahash' | 'dhash' | 'phash' | 'whash'>;

interface MethodSpec {
  bits: number;
  variants: number;
  hashes: (f: HashedFingerprint) => string[];
}

const PDQ_VARIANTS = DIHEDRAL_NAMES.filter((n) => n !== 'original');

const SPECS: Record<Method, MethodSpec> = {
  'pdq-dihedral': { bits: 256, variants: 8, hashes: (f) => [f.pdq, ...PDQ_VARIANTS.map((n) => f.pdqDihedral[n])] },
  // The dihedral variants plus the window hashes (a fingerprint without them repeats its PDQ,
  // which adds no pair).
  'pdq-windows': {
    bits: 256,
    variants: 8 + WINDOW_NAMES.length,
    hashes: (f) => [f.pdq, ...PDQ_VARIANTS.map((n) => f.pdqDihedral[n]), ...(f.pdqWindows ?? WINDOW_NAMES.map(() => f.pdq))],
  },
  pdq: { bits: 256, variants: 1, hashes: (f) => [f.pdq] },
  ahash: { bits: 64, variants: 1, hashes: (f) => [f.ahash] },
  dhash: { bits: 64, variants: 1, hashes: (f) => [f.dhash] },
  phash: { bits: 64, variants: 1, hashes: (f) => [f.phash] },
  whash: { bits: 64, variants: 1, hashes: (f) => [f.whash] },
};

export function isMethod(name: string): name is Method {
  return (METHODS as readonly string[]).includes(name);
}

/** Similarity of two hashes `distance` bits apart: 1 − d/(bits/2), clamped to [0, 1], so 1 is
 *  identical and 0 is as far as unrelated images usually are (half the bits differ). */
export function similarityFromDistance(method: Method, distance: number): number {
  return Math.min(1, Math.max(0, 1 - distance / (SPECS[method].bits / 2)));
}

/** Largest distance whose similarity is still ≥ `similarity`. */
export function radiusForSimilarity(method: Method, similarity: number): number {
  return Math.floor((1 - similarity) * (SPECS[method].bits / 2) + 1e-9);
}

/** The method's hashes of every fingerprint, packed for the index. */
export function packHashes(method: Method, fingerprints: ReadonlyArray<HashedFingerprint>): HashCodes {
  const spec = SPECS[method];
  const words = spec.bits / 32;
  const codes = allocateHashCodes(fingerprints.length, words, spec.variants);
  fingerprints.forEach((f, i) => {
    spec.hashes(f).forEach((hex, v) => codes.data.set(hexToWords32(hex), (i * spec.variants + v) * words));
  });
  return codes;
}

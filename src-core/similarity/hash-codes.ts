// Hashes of many images packed into one typed array, the form the index and the clustering
// read. Each image has `variants` hashes (1, or the 8 PDQ dihedral hashes with the original
// first), each `words` 32-bit words long.
import { popcount32 } from '../hash/hamming';

export interface HashCodes {
  count: number;
  words: number;
  variants: number;
  data: Uint32Array;
}

/** `shared`: back the hashes with a SharedArrayBuffer, so worker threads read them in place. */
export function allocateHashCodes(count: number, words: number, variants: number, shared = false): HashCodes {
  const bytes = count * variants * words * 4;
  return { count, words, variants, data: new Uint32Array(shared ? new SharedArrayBuffer(bytes) : new ArrayBuffer(bytes)) };
}

/** Rows `rows` of `codes`, in that order, packed. */
export function selectRows(codes: HashCodes, rows: ArrayLike<number>): HashCodes {
  const stride = codes.words * codes.variants;
  const out = allocateHashCodes(rows.length, codes.words, codes.variants);
  for (let k = 0; k < rows.length; k++) out.data.set(codes.data.subarray(rows[k]! * stride, (rows[k]! + 1) * stride), k * stride);
  return out;
}

/** Offset of image `i`'s variant `v` in `codes.data`. */
export function codeOffset(codes: HashCodes, i: number, v: number): number {
  return (i * codes.variants + v) * codes.words;
}

/** Hamming distance between two stored hashes, giving up (returning `limit + 1`) as soon as it
 *  exceeds `limit`: most candidate checks in the index stop after a word or two. */
export function boundedDistance(data: Uint32Array, a: number, b: number, words: number, limit: number): number {
  let distance = 0;
  for (let w = 0; w < words; w++) {
    distance += popcount32(data[a + w]! ^ data[b + w]!);
    if (distance > limit) return limit + 1;
  }
  return distance;
}

/** Smallest distance from any variant of image `i` to the original (variant 0) of image `j`,
 *  or `limit + 1` when none is within `limit`. `variants` limits it to the first ones. */
export function variantDistance(codes: HashCodes, i: number, j: number, limit: number, variants = codes.variants): number {
  const { data, words } = codes;
  const target = codeOffset(codes, j, 0);
  let best = limit + 1;
  for (let v = 0; v < variants; v++) {
    const d = boundedDistance(data, codeOffset(codes, i, v), target, words, best - 1);
    if (d < best) best = d;
  }
  return best;
}

/** The symmetric pair distance: the best match of any variant of either image against the
 *  other's original (so a mirrored copy matches whichever of the two is mirrored). */
export function pairDistance(codes: HashCodes, i: number, j: number, limit: number, variants = codes.variants): number {
  return Math.min(variantDistance(codes, i, j, limit, variants), variantDistance(codes, j, i, limit, variants));
}

// Approximate nearest neighbours of binary codes by sorting (Charikar's permutation method, as
// used for web-scale near-duplicate detection): under a random permutation of the bits, codes
// that differ in few bits tend to share a long prefix, so they land close together once the
// codes are sorted. Each of `tables` permutations sorts all codes by a 32-bit permuted prefix
// and compares every code with the `window` codes after it. Cost: tables × (sort + n × window)
// distances, linear in the library apart from the sort; far pairs are found with a
// probability that falls with their distance, which is what candidate signals need (the
// multi-index stays exact only for radii well under a tenth of the bits).
import { seededRandom } from '../random';
import { boundedDistance, type HashCodes } from './hash-codes';

export interface NeighbourOptions {
  /** Keep pairs at most this many bits apart. */
  radius: number;
  /** Each code keeps at most this many nearest partners (a pair stays when it is among the
   *  nearest of either code). */
  perCode: number;
  tables?: number;
  window?: number;
  seed?: number;
}

const PREFIX_BITS = 32;
/** Sort keys pack the prefix and the code's index into one exact double (53 bits), and pair
 *  keys two indices (≤ 2^52, hence at most 2^26 codes): up to 2^21
 *  codes keep a 32-bit prefix, more codes a shorter one (the windows signal sorts every
 *  orientation and window of each photo: 10+ codes a photo). */
const KEY_BITS = 53;
const MAX_CODES = 2 ** 26;

/** Pairs of rows of `codes` (one hash per row) with their distance: [row, row, bits], row < row. */
export function sortedNeighbourPairs(codes: HashCodes, options: NeighbourOptions): Array<[number, number, number]> {
  const { radius, perCode, tables = 16, window = 6, seed = 0x5eed } = options;
  if (codes.variants !== 1) throw new RangeError('one hash per row: pass the variant to search');
  const n = codes.count;
  if (n > MAX_CODES) throw new RangeError(`at most ${MAX_CODES} codes`);
  const bits = codes.words * 32;
  const indexBits = Math.max(21, Math.ceil(Math.log2(Math.max(2, n))));
  const slots = 2 ** indexBits;
  const random = seededRandom(seed);
  // Only pairs within the radius are remembered (few); a pair met again is measured again.
  const found = new Map<number, [number, number, number]>();
  const keys = new Float64Array(n);
  for (let t = 0; t < tables; t++) {
    const positions = samplePositions(bits, Math.min(PREFIX_BITS, KEY_BITS - indexBits, bits), random);
    for (let i = 0; i < n; i++) keys[i] = prefixKey(codes, i, positions) * slots + i;
    keys.sort();
    for (let p = 0; p < n; p++) {
      const i = keys[p]! % slots;
      for (let q = p + 1; q <= p + window && q < n; q++) {
        const j = keys[q]! % slots;
        const d = boundedDistance(codes.data, i * codes.words, j * codes.words, codes.words, radius);
        if (d > radius) continue;
        const [a, b] = i < j ? [i, j] : [j, i];
        found.set(a * slots + b, [a, b, d]);
      }
    }
  }
  return nearestOfEach([...found.values()], n, perCode);
}

/** `count` distinct bit positions in random order. */
function samplePositions(bits: number, count: number, random: () => number): Int32Array {
  const all = Int32Array.from({ length: bits }, (_, k) => k);
  for (let k = 0; k < count; k++) {
    const pick = k + (random() % (bits - k));
    [all[k], all[pick]] = [all[pick]!, all[k]!];
  }
  return all.subarray(0, count);
}

/** The code's bits at `positions`, as an unsigned integer (first position most significant). */
function prefixKey(codes: HashCodes, row: number, positions: Int32Array): number {
  const offset = row * codes.words;
  let key = 0;
  for (const position of positions) key = key * 2 + ((codes.data[offset + (position >>> 5)]! >>> (31 - (position & 31))) & 1);
  return key;
}

/** The pairs among each code's `perCode` nearest, nearest first. */
export function nearestOfEach(pairs: Array<[number, number, number]>, count: number, perCode: number): Array<[number, number, number]> {
  pairs.sort((x, y) => x[2] - y[2]);
  const kept = new Uint32Array(count);
  return pairs.filter(([i, j]) => {
    const keep = kept[i]! < perCode || kept[j]! < perCode;
    if (keep) {
      kept[i]!++;
      kept[j]!++;
    }
    return keep;
  });
}

// The multi-index must return exactly the pairs brute force finds, at every distance up to
// the radius, including pairs that only match through a dihedral variant.
import { describe, expect, it } from 'vitest';
import { allocateHashCodes, codeOffset, pairDistance, type HashCodes } from './hash-codes';
import { seededRandom as random } from '../random';
import { radiusForSimilarity, SIMILARITY_FLOOR } from './methods';
import { bruteForcePairs, MultiIndex } from './multi-index';

/** Copies hash (i, v) into (j, w) with exactly `bits` distinct random bits flipped. */
function plant(codes: HashCodes, i: number, v: number, j: number, w: number, bits: number, next: () => number): void {
  const from = codeOffset(codes, i, v);
  const to = codeOffset(codes, j, w);
  codes.data.copyWithin(to, from, from + codes.words);
  const flipped = new Set<number>();
  while (flipped.size < bits) flipped.add(next() % (codes.words * 32));
  for (const bit of flipped) codes.data[to + (bit >>> 5)]! ^= 1 << (bit & 31);
}

/** Random hashes, with a planted partner at every distance 0..radius+3, half of them through a
 *  non-original variant on either side. */
function plantedCodes(count: number, words: number, variants: number, radius: number, seed: number): HashCodes {
  const next = random(seed);
  const codes = allocateHashCodes(count, words, variants);
  for (let k = 0; k < codes.data.length; k++) codes.data[k] = next();
  let item = 0;
  for (let d = 0; d <= radius + 3; d++) {
    for (let copy = 0; copy < 3 && item + 1 < count; copy++, item += 2) {
      const viaVariant = variants > 1 && copy > 0;
      const w = viaVariant ? 1 + (next() % (variants - 1)) : 0;
      // copy 1: a variant of the partner matches our original; copy 2: the other way round.
      if (copy === 2) plant(codes, item + 1, 0, item, w, d, next);
      else plant(codes, item, 0, item + 1, w, d, next);
    }
  }
  return codes;
}

function pairsOf(run: (emit: (i: number, j: number, d: number) => void) => void): Map<string, number> {
  const pairs = new Map<string, number>();
  run((i, j, d) => {
    const key = `${i},${j}`;
    expect(pairs.has(key), `pair ${key} reported twice`).toBe(false);
    expect(i).toBeLessThan(j);
    pairs.set(key, d);
  });
  return pairs;
}

describe('MultiIndex', () => {
  const pdqRadius = radiusForSimilarity('pdq-dihedral', SIMILARITY_FLOOR);
  const cases: Array<[string, number, number, number]> = [
    ['PDQ with 8 dihedral variants', 8, 8, pdqRadius],
    ['PDQ without variants', 8, 1, pdqRadius],
    ['64-bit imagehash', 2, 1, radiusForSimilarity('phash', SIMILARITY_FLOOR)],
    ['PDQ at a tighter radius', 8, 8, 9],
  ];

  it.each(cases)('%s: the same pairs and distances as brute force (complete recall, no extras)', (_name, words, variants, radius) => {
    for (const seed of [1, 2, 3]) {
      const codes = plantedCodes(1500, words, variants, radius, seed);
      const index = new MultiIndex(codes, radius);
      const found = pairsOf((emit) => index.forEachPair(emit));
      const truth = pairsOf((emit) => bruteForcePairs(codes, radius, emit));
      expect(truth.size).toBeGreaterThan(3 * radius); // the planted pairs are there
      expect(found).toEqual(truth);
    }
  });

  it('finds a pair at every distance up to the radius, and none beyond', () => {
    const codes = plantedCodes(400, 8, 8, pdqRadius, 7);
    const distances = new Set<number>();
    new MultiIndex(codes, pdqRadius).forEachPair((i, j, d) => {
      distances.add(d);
      expect(d).toBe(pairDistance(codes, i, j, 256));
    });
    for (let d = 0; d <= pdqRadius; d++) expect(distances.has(d), `distance ${d}`).toBe(true);
    expect(Math.max(...distances)).toBeLessThanOrEqual(pdqRadius);
  });

  it('finds worst-case pairs: every chunk but one differs in 2+ bits, the last in 1 bit at any position', () => {
    const radius = pdqRadius;
    const count = 2 * 13 * 20;
    const next = random(5);
    const codes = allocateHashCodes(count, 8, 8);
    for (let k = 0; k < codes.data.length; k++) codes.data[k] = next();
    const chunks = new MultiIndex(codes, radius).chunkRanges();
    let item = 0;
    for (const [c, chunk] of chunks.entries()) {
      for (const position of [0, 1, chunk.bits - 2, chunk.bits - 1]) {
        // Same hash, then flip 1 bit in chunk c and 2 in every other chunk: distance 1 + 2·(m−1) ≤ radius.
        const a = codeOffset(codes, item, 0);
        const b = codeOffset(codes, item + 1, item % 3 === 0 ? 0 : 3);
        codes.data.copyWithin(b, a, a + 8);
        const flip = (bit: number) => (codes.data[b + (bit >>> 5)]! ^= 1 << (bit & 31));
        flip(chunk.start + position);
        chunks.forEach((other, o) => o !== c && (flip(other.start), flip(other.start + other.bits - 1)));
        item += 2;
      }
    }
    const found = pairsOf((emit) => new MultiIndex(codes, radius).forEachPair(emit));
    for (let i = 0; i < item; i += 2) expect(found.get(`${i},${i + 1}`), `planted pair ${i}`).toBe(1 + 2 * (chunks.length - 1));
  });

  it('splits the work by chunks without losing or repeating pairs', () => {
    const codes = plantedCodes(900, 8, 8, pdqRadius, 11);
    const index = new MultiIndex(codes, pdqRadius);
    const whole = pairsOf((emit) => index.forEachPair(emit));
    const parts = pairsOf((emit) => {
      index.forEachPair(emit, 0, 5);
      index.forEachPair(emit, 5, index.chunkCount);
    });
    expect(parts).toEqual(whole);
  });
});

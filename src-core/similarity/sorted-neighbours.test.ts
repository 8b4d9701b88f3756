// The sorting neighbour search against brute force on random codes with planted pairs.
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../random';
import { allocateHashCodes, pairDistance } from './hash-codes';
import { sortedNeighbourPairs } from './sorted-neighbours';

/** `n` random 256-bit codes; code n/2+k is code k with `distances[k]` bits flipped. */
function plantedCodes(n: number, distances: number[]) {
  const random = seededRandom(3);
  const codes = allocateHashCodes(n, 8, 1);
  for (let k = 0; k < codes.data.length; k++) codes.data[k] = random();
  distances.forEach((d, k) => {
    const target = (n / 2 + k) * 8;
    codes.data.copyWithin(target, k * 8, k * 8 + 8);
    const flipped = new Set<number>();
    while (flipped.size < d) flipped.add(random() % 256);
    for (const bit of flipped) codes.data[target + (bit >>> 5)]! ^= 1 << (bit & 31);
  });
  return codes;
}

describe('sortedNeighbourPairs', () => {
  it('finds near pairs almost surely and far ones often, never pairs beyond the radius', () => {
    const n = 4000;
    const near = Array.from({ length: 200 }, (_, k) => 4 + (k % 27)); // 4–30 bits
    const far = Array.from({ length: 200 }, (_, k) => 40 + (k % 21)); // 40–60 bits
    const codes = plantedCodes(n, [...near, ...far]);
    const pairs = sortedNeighbourPairs(codes, { radius: 64, perCode: 8 });
    const found = new Set(pairs.map(([a, b]) => `${a},${b}`));
    const share = (from: number, count: number) => Array.from({ length: count }, (_, k) => found.has(`${from + k},${n / 2 + from + k}`)).filter(Boolean).length / count;
    expect(share(0, near.length)).toBeGreaterThanOrEqual(0.99);
    expect(share(near.length, far.length)).toBeGreaterThanOrEqual(0.6);
    for (const [a, b, d] of pairs) {
      expect(a).toBeLessThan(b);
      expect(d).toBe(pairDistance(codes, a, b, 256));
      expect(b - a).toBe(n / 2); // only planted pairs are this close
      expect(d).toBeLessThanOrEqual(64);
    }
  });

  it('keeps each code’s nearest few', () => {
    // 30 codes within a few bits of each other: 435 pairs in range, at most 30 × 3 kept.
    const codes = plantedCodes(60, Array.from({ length: 30 }, () => 2));
    for (let k = 1; k < 30; k++) codes.data.copyWithin(k * 8, 0, 8);
    const pairs = sortedNeighbourPairs(codes, { radius: 10, perCode: 3 });
    expect(pairs.length).toBeLessThanOrEqual(30 * 3 + 30 * 3);
    expect(pairs.length).toBeGreaterThan(0);
  });
});

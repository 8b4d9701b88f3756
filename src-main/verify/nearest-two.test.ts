// The SIMD nearest-two search against the plain definition: for each query, the first
// descriptor at the smallest Hamming distance, and the second-smallest distance (a tie with the
// nearest counts as second), over random descriptors with planted near copies and exact ties.
import { describe, expect, it } from 'vitest';
import { seededRandom } from '../../src-core/random';
import { DESCRIPTOR_BYTES, nearestTwo } from './nearest-two';

function hamming(a: Uint8Array, i: number, b: Uint8Array, j: number): number {
  let bits = 0;
  for (let k = 0; k < DESCRIPTOR_BYTES; k++) {
    let x = a[i * DESCRIPTOR_BYTES + k]! ^ b[j * DESCRIPTOR_BYTES + k]!;
    for (; x; x &= x - 1) bits++;
  }
  return bits;
}

function definition(a: Uint8Array, b: Uint8Array): number[] {
  const out: number[] = [];
  for (let q = 0; q < a.length / DESCRIPTOR_BYTES; q++) {
    const distances = Array.from({ length: b.length / DESCRIPTOR_BYTES }, (_, t) => hamming(a, q, b, t));
    const best = Math.min(...distances);
    const index = distances.indexOf(best);
    out.push(index, best, Math.min(...distances.filter((_, t) => t !== index)));
  }
  return out;
}

function descriptors(count: number, random: () => number): Uint8Array {
  return Uint8Array.from({ length: count * DESCRIPTOR_BYTES }, () => random() & 0xff);
}

describe('nearestTwo', () => {
  it('finds what the definition finds, ties to the first', () => {
    const random = seededRandom(7);
    const b = descriptors(300, random);
    const a = descriptors(200, random);
    // Near copies of some of b (a few bits flipped), and b rows repeated so nearest ties.
    for (let q = 0; q < 100; q++) {
      a.set(b.subarray(q * 2 * DESCRIPTOR_BYTES, (q * 2 + 1) * DESCRIPTOR_BYTES), q * DESCRIPTOR_BYTES);
      a[q * DESCRIPTOR_BYTES + (q % DESCRIPTOR_BYTES)]! ^= 1 << q % 8;
    }
    b.copyWithin(270 * DESCRIPTOR_BYTES, 0, 30 * DESCRIPTOR_BYTES);
    const found = Array.from(nearestTwo(a, b));
    expect(found).toEqual(definition(a, b));
    expect(found.filter((_, k) => k % 3 === 1 && found[k]! <= 1).length).toBeGreaterThanOrEqual(100);
    expect(found.filter((_, k) => k % 3 === 2 && found[k] === found[k - 1]).length).toBeGreaterThan(0);
  });

  it('grows its memory for many descriptors', () => {
    const random = seededRandom(8);
    const [a, b] = [descriptors(300, random), descriptors(2500, random)]; // 89 KB: over one 64 KB page
    expect(Array.from(nearestTwo(a, b))).toEqual(definition(a, b));
  });
});

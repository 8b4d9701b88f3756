// Hamming distances. Expected values come from bit strings built here, or from distances published in
// shared/reference (step 13 of docs/hash-definitions.md, and expected.json pdq_published), never from this module's output.
import { describe, it, expect } from 'vitest';
import { hamming256, hammingHex, hexToWords32, popcount32 } from './hamming';
import { loadExpected } from '../../test/reference-data';

const expectedImages = loadExpected();

/** Deterministic pseudo-random generator (LCG), so failures reproduce. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function randomBits(count: number, next: () => number): number[] {
  return Array.from({ length: count }, () => (next() < 0.5 ? 0 : 1));
}

/** Bits → hex, 4 bits per digit, first bit most significant. */
function bitsToHex(bits: number[]): string {
  let hex = '';
  for (let i = 0; i < bits.length; i += 4) hex += (bits[i]! * 8 + bits[i + 1]! * 4 + bits[i + 2]! * 2 + bits[i + 3]!).toString(16);
  return hex;
}

function countDifferent(a: number[], b: number[]): number {
  return a.reduce((n, bit, i) => n + (bit !== b[i] ? 1 : 0), 0);
}

describe('popcount32', () => {
  it('counts bits of edge values', () => {
    expect(popcount32(0)).toBe(0);
    expect(popcount32(1)).toBe(1);
    expect(popcount32(0xffffffff)).toBe(32);
    expect(popcount32(-1)).toBe(32);
    expect(popcount32(0x80000000)).toBe(1);
    expect(popcount32(-0x80000000)).toBe(1);
    expect(popcount32(0x80000001)).toBe(2);
    expect(popcount32(0x55555555)).toBe(16);
    expect(popcount32(0xf0f0f0f0)).toBe(16);
  });

  it('agrees with counting the 1s of the binary representation', () => {
    const next = lcg(42);
    for (let i = 0; i < 2000; i++) {
      const x = Math.floor(next() * 2 ** 32);
      const ones = x.toString(2).split('').filter((c) => c === '1').length;
      expect(popcount32(x)).toBe(ones);
      expect(popcount32(x | 0)).toBe(ones); // same bits seen as a signed int32
    }
  });
});

describe('hammingHex', () => {
  it.each([64, 256])('counts the differing bits of random %i-bit strings', (bitCount) => {
    const next = lcg(bitCount);
    for (let trial = 0; trial < 200; trial++) {
      const a = randomBits(bitCount, next);
      const b = trial === 0 ? a.slice() : trial === 1 ? a.map((bit) => 1 - bit) : randomBits(bitCount, next);
      const want = trial === 0 ? 0 : trial === 1 ? bitCount : countDifferent(a, b);
      expect(hammingHex(bitsToHex(a), bitsToHex(b))).toBe(want);
    }
  });

  it('gives 1 for a single flipped bit in any position', () => {
    const zero = new Array<number>(64).fill(0);
    for (let k = 0; k < 64; k++) {
      const one = zero.slice();
      one[k] = 1;
      expect(hammingHex(bitsToHex(zero), bitsToHex(one))).toBe(1);
    }
  });

  it('is case-insensitive', () => {
    expect(hammingHex('ABCDEF0123456789', 'abcdef0123456789')).toBe(0);
    expect(hammingHex('F000000000000000', '0000000000000000')).toBe(4);
  });

  it('throws on a length mismatch or a non-hex character', () => {
    expect(() => hammingHex('0'.repeat(16), '0'.repeat(64))).toThrow(RangeError);
    expect(() => hammingHex('000g', '0000')).toThrow(RangeError);
    expect(() => hammingHex('0000', '00 0')).toThrow(RangeError);
    expect(() => hammingHex('000é', '0000')).toThrow(RangeError);
  });

  it('reproduces the distances of step 13 between bridge-1’s dihedral hashes and the actual bridge-2..8 files', () => {
    // step 13: "Against the actual bridge-2..8 files the distances were 14, 18, 8, 8, 14, 0 and 18 bits."
    const bridge1 = expectedImages['threatexchange/reg-test-input/dih/bridge-1-original.jpg']!.pdq_dihedral!;
    const files: [string, string, number][] = [
      ['rotate90', 'bridge-2-rotate-90.jpg', 14],
      ['rotate180', 'bridge-3-rotate-180.jpg', 18],
      ['rotate270', 'bridge-4-rotate-270.jpg', 8],
      ['flipx', 'bridge-5-flipx.jpg', 8],
      ['flipy', 'bridge-6-flipy.jpg', 14],
      ['flipplus1', 'bridge-7-flip-plus-1.jpg', 0],
      ['flipminus1', 'bridge-8-flip-minus-1.jpg', 18],
    ];
    for (const [variant, file, distance] of files) {
      const actual = expectedImages[`threatexchange/reg-test-input/dih/${file}`]!.pdq.hash;
      expect([variant, hammingHex(bridge1[variant]!, actual)]).toEqual([variant, distance]);
    }
  });

  it('reproduces every hamming_to_pdq published in expected.json', () => {
    let checked = 0;
    for (const image of Object.values(expectedImages)) {
      for (const published of Object.values(image.pdq_published ?? {})) {
        expect(hammingHex(published.hash, image.pdq.hash)).toBe(published.hamming_to_pdq);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(10);
  });

  it('gives 126 bits between pdq and pdq_cpp_on_pil_rgb for the 16-bit PNG (pitfall 8)', () => {
    const gray16 = expectedImages['generated/gen-gray16-80x60.png']!;
    expect(hammingHex(gray16.pdq.hash, gray16.pdq_cpp_on_pil_rgb.hash)).toBe(126);
  });
});

describe('hexToWords32 and hamming256', () => {
  it('splits hex into 32-bit words in string order', () => {
    expect(Array.from(hexToWords32('00000001ffffffff80000000'))).toEqual([1, 0xffffffff, 0x80000000]);
    expect(Array.from(hexToWords32('DEADbeef'))).toEqual([0xdeadbeef]);
    expect(() => hexToWords32('123')).toThrow(RangeError);
    expect(() => hexToWords32('1234567x')).toThrow(RangeError);
  });

  it('counts the differing bits of random 256-bit hashes', () => {
    const next = lcg(256);
    for (let trial = 0; trial < 200; trial++) {
      const a = randomBits(256, next);
      const b = randomBits(256, next);
      expect(hamming256(hexToWords32(bitsToHex(a)), hexToWords32(bitsToHex(b)))).toBe(countDifferent(a, b));
    }
  });

  it('agrees with the published distances', () => {
    for (const image of Object.values(expectedImages)) {
      for (const published of Object.values(image.pdq_published ?? {})) {
        const distance = hamming256(hexToWords32(published.hash), hexToWords32(image.pdq.hash));
        expect(distance).toBe(published.hamming_to_pdq);
      }
    }
  });

  it('rejects arrays that are not 8 words', () => {
    expect(() => hamming256(new Uint32Array(2), new Uint32Array(2))).toThrow(RangeError);
    expect(() => hamming256(new Uint32Array(8), new Uint32Array(7))).toThrow(RangeError);
  });
});

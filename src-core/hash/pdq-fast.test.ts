// The sampled float64 PDQ blur against the bit-exact float32 one.
import { describe, expect, it } from 'vitest';
import { areaReduceGray } from './area-reduce';
import { hammingHex } from './hamming';
import type { PixelImage } from './image';
import { pdqBuffer64, pdqHash, pdqLuma } from './pdq';
import { blurSampleWeights, pdqBuffer64Fast, pdqHashFast } from './pdq-fast';
import { pillowGray } from './pillow';

/** Smooth random image (sums of a few waves plus noise), like a photo rather than white noise. */
function photoLike(width: number, height: number, channels: number, seed: number): PixelImage {
  const data = new Uint8Array(width * height * channels);
  let state = seed;
  const random = () => ((state = (Math.imul(state, 1664525) + 1013904223) >>> 0) / 2 ** 32);
  const waves = Array.from({ length: 6 }, () => [random() * 12, random() * 12, random() * 6, random() * 80]);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < channels; c++) {
        let v = 128 + (random() - 0.5) * 20;
        for (const [fx, fy, phase, amp] of waves) v += amp! * Math.sin((fx! * x) / width + (fy! * y) / height + phase! + c);
        data[(y * width + x) * channels + c] = Math.max(0, Math.min(255, Math.round(v)));
      }
    }
  }
  return { data, width, height, channels };
}

const SIZES: Array<[number, number, number]> = [
  [384, 384, 3],
  [384, 256, 3],
  [97, 61, 3],
  [64, 64, 3],
  [200, 150, 1],
  [300, 7, 4],
  [5, 5, 3],
];

describe('blurSampleWeights', () => {
  it.each([5, 64, 97, 128, 129, 384, 512])('n=%i: every sample is a weighted mean (weights sum to 1)', (n) => {
    const { taps, weights } = blurSampleWeights(n);
    for (let s = 0; s < 64; s++) {
      let sum = 0;
      for (let t = 0; t < taps; t++) sum += weights[s * taps + t]!;
      expect(sum).toBeCloseTo(1, 12);
    }
  });
});

describe('pdqBuffer64Fast', () => {
  it.each(SIZES)('%i×%i×%i: equals the exact blur-and-decimate up to float32 rounding', (w, h, c) => {
    const img = photoLike(w, h, c, w * 31 + h);
    const exact = pdqBuffer64(pdqLuma(img), w, h);
    const fast = pdqBuffer64Fast(img);
    let worst = 0;
    for (let i = 0; i < exact.length; i++) worst = Math.max(worst, Math.abs(exact[i]! - fast[i]!));
    expect(worst).toBeLessThan(0.01);
  });

  it.each(SIZES)('%i×%i×%i: hash within 2 bits and same quality as the exact path', (w, h, c) => {
    const img = photoLike(w, h, c, w * 7 + h);
    const exact = pdqHash(img);
    const fast = pdqHashFast(img);
    expect(hammingHex(exact.hash, fast.hash)).toBeLessThanOrEqual(2);
    expect(fast.quality).toBe(exact.quality);
  });

  it('gives the all-zero hash below 5 px like the reference', () => {
    expect(pdqHashFast(photoLike(4, 40, 3, 1)).hash).toBe('0'.repeat(64));
  });
});

describe('areaReduceGray', () => {
  const grey = (values: number[], width: number): PixelImage => ({ data: Uint8Array.from(values), width, height: values.length / width, channels: 1 });

  it('averages whole boxes when sizes divide', () => {
    const out = areaReduceGray(grey([0, 10, 20, 30, 40, 50, 60, 70, 80, 90, 100, 110, 120, 130, 140, 150], 4), 2);
    expect([out.width, out.height]).toEqual([2, 2]);
    expect(Array.from(out.gray)).toEqual([25, 45, 105, 125]);
  });

  it('uses Pillow greyscale for colour input and keeps sides already small enough', () => {
    const rgb: PixelImage = { data: new Uint8Array(100 * 10 * 3).fill(200), width: 100, height: 10, channels: 3 };
    const out = areaReduceGray(rgb, 64);
    expect([out.width, out.height]).toEqual([64, 10]);
    expect(out.gray.every((v) => v === pillowGray(rgb)[0])).toBe(true);
  });
});

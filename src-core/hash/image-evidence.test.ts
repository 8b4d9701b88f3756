// imageEvidence on synthetic images whose measures follow from their construction. The same
// measures on real photos and their edited copies: src-main/hash/image-evidence.test.ts.
import { describe, expect, it } from 'vitest';
import type { PixelImage } from './image';
import { imageEvidence } from './image-evidence';

/** Every test image varies along its edges: a uniform edge would be trimmed as a bar. */
function image(width: number, height: number, channels: number, pixel: (x: number, y: number) => number[]): PixelImage {
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data.set(pixel(x, y).map((v) => Math.max(0, Math.min(255, v))), (y * width + x) * channels);
  return { data, width, height, channels };
}

/** A fixed-seed standard normal generator. */
function gaussians(seed: number): () => number {
  return () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    const u = (seed + 1) / 4294967297;
    seed = (seed * 1103515245 + 12345) >>> 0;
    const v = (seed + 1) / 4294967297;
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  };
}

describe('imageEvidence', () => {
  it('a linear ramp: no noise (the Laplacian cancels it), gradient energy = 2² + 2²', () => {
    const ramp = image(60, 50, 1, (x, y) => [20 + 2 * x + 2 * y]);
    const evidence = imageEvidence(ramp);
    expect(evidence.noise).toBe(0);
    expect(evidence.sharpness).toBe(8);
    expect(evidence.content).toEqual([0, 0, 1, 1]);
  });

  it('estimates the sigma of added Gaussian noise (Immerkær)', () => {
    const normal = gaussians(7);
    for (const sigma of [3, 8]) {
      const noisy = image(200, 200, 1, (x, y) => [Math.round(20 + 0.4 * (x + y) + sigma * normal())]);
      expect(imageEvidence(noisy).noise).toBeGreaterThan(sigma * 0.9);
      expect(imageEvidence(noisy).noise).toBeLessThan(sigma * 1.1);
    }
  });

  it('grey: channels within JPEG chroma noise are grey, a few truly coloured pixels are not', () => {
    const base = (x: number, y: number) => 30 + 2 * x + y;
    const nearlyGrey = image(60, 60, 3, (x, y) => [base(x, y) + ((x + y) % 5), base(x, y) + (x % 3) * 3, base(x, y) - (y % 5)]);
    expect(imageEvidence(nearlyGrey).grey).toBe(true);
    const speck = (every: number) => image(60, 60, 3, (x, y) => (x % every === 5 && y % every === 5 ? [220, 40, 40] : [base(x, y), base(x, y), base(x, y)]));
    expect(imageEvidence(speck(20)).grey).toBe(true); // 9 of 3600 pixels (0.25%): stray artefacts
    expect(imageEvidence(speck(10)).grey).toBe(false); // 36 of 3600 (1%)
  });

  it('clipped: the share of content pixels with a channel at the ends of the range', () => {
    // Every other pixel has a blown red channel: half the pixels clip.
    const halfBlown = image(40, 40, 3, (x, y) => ((x + y) % 2 === 0 ? [255, 90, 80] : [120 + x, 120, 120 + y]));
    expect(imageEvidence(halfBlown).clipped).toBe(0.5);
    const blackShadows = image(40, 40, 1, (x, y) => [(x + y) % 4 === 0 ? 1 : 60 + x + y]);
    expect(imageEvidence(blackShadows).clipped).toBe(0.25);
    const midtones = image(40, 40, 3, (x, y) => [2 + 5 * x, 253 - 5 * y, 100]);
    expect(imageEvidence(midtones).clipped).toBe(0);
  });

  it('one- and two-channel images are grey', () => {
    expect(imageEvidence(image(20, 20, 1, (x, y) => [x * 10 + y])).grey).toBe(true);
    expect(imageEvidence(image(20, 20, 2, (x, y) => [x * 10 + y, 255])).grey).toBe(true);
  });

  it('tiny and flat images give finite measures over their whole frame', () => {
    for (const [w, h] of [[1, 1], [2, 2], [3, 1]] as const) {
      const evidence = imageEvidence(image(w, h, 3, () => [10, 200, 30]));
      expect(evidence.noise).toBe(0);
      expect(Number.isFinite(evidence.sharpness)).toBe(true);
      expect(evidence.grey).toBe(false);
    }
  });
});

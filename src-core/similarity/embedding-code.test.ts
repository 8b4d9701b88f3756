import { describe, expect, it } from 'vitest';
import { hammingHex } from '../hash/hamming';
import { seededRandom } from '../random';
import { cosineSimilarity, EMBEDDING_CODE_BITS, embeddingCode, embeddingMean } from './embedding-code';

const DIMENSIONS = 1280;
const ORIGIN = new Float32Array(DIMENSIONS);

function gaussianSource(seed: number): () => number {
  const next = seededRandom(seed);
  const uniform = () => (next() + 0.5) / 2 ** 32;
  return () => Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
}

function unit(v: Float64Array): Float64Array {
  const norm = Math.hypot(...v);
  return v.map((x) => x / norm);
}

/** Random orthonormal pairs (u, w): Gram–Schmidt on two Gaussian vectors. */
function orthonormalPairs(count: number, seed: number): Array<[Float64Array, Float64Array]> {
  const gaussian = gaussianSource(seed);
  return Array.from({ length: count }, () => {
    const u = unit(Float64Array.from({ length: DIMENSIONS }, gaussian));
    const g = Float64Array.from({ length: DIMENSIONS }, gaussian);
    const along = g.reduce((s, x, d) => s + x * u[d]!, 0);
    return [u, unit(g.map((x, d) => x - along * u[d]!))];
  });
}

describe('embeddingCode', () => {
  const vector = Float32Array.from({ length: DIMENSIONS }, (_, d) => ((d * 37) % 101) / 101);

  it('is 64 lowercase hex digits, the same every time', () => {
    const code = embeddingCode(vector);
    expect(code).toMatch(/^[0-9a-f]{64}$/);
    expect(embeddingCode(Float32Array.from(vector))).toBe(code);
  });

  it('keeps its hyperplanes: stored codes stay valid (changing the seed, PRNG or bit order fails this)', () => {
    expect(embeddingCode(vector, ORIGIN)).toBe('5685020781c7d61a5ce0b24857e1d86e7d28f3e0a109167ba8fc5f823268a59e');
  });

  it('gives identical and rescaled vectors distance 0', () => {
    const code = embeddingCode(vector);
    expect(hammingHex(code, embeddingCode(vector.slice()))).toBe(0);
    expect(hammingHex(code, embeddingCode(vector.map((x) => x * 7.5)))).toBe(0);
  });

  it('differs in about 256·θ/π bits for vectors at angle θ', () => {
    const pairs = orthonormalPairs(20, 1);
    for (const degrees of [20, 60, 90]) {
      const theta = (degrees * Math.PI) / 180;
      const mean =
        pairs.reduce((sum, [u, w]) => {
          const rotated = u.map((x, d) => Math.cos(theta) * x + Math.sin(theta) * w[d]!);
          return sum + hammingHex(embeddingCode(u, ORIGIN), embeddingCode(rotated, ORIGIN));
        }, 0) / pairs.length;
      // Per pair the distance is Binomial(256, θ/π): sd ≤ 8, so ≤ 1.8 for the mean of 20.
      expect(Math.abs(mean - (EMBEDDING_CODE_BITS * theta) / Math.PI), `${degrees}°`).toBeLessThan(7);
    }
  });

  it('measures angles around the mean embedding: photos near the common direction are told apart', () => {
    // a = mean + 0.2u, b = mean + 0.2w: ~25° apart seen from the origin, ~60° around the mean.
    const mean = embeddingMean();
    let centred = 0;
    let uncentred = 0;
    for (const [u, w] of orthonormalPairs(20, 2)) {
      const a = Float64Array.from(mean, (m, d) => m + 0.2 * u[d]!);
      const b = Float64Array.from(mean, (m, d) => m + 0.2 * w[d]!);
      centred += hammingHex(embeddingCode(a), embeddingCode(b)) / 20;
      uncentred += hammingHex(embeddingCode(a, ORIGIN), embeddingCode(b, ORIGIN)) / 20;
    }
    expect(uncentred).toBeLessThan(45);
    expect(centred).toBeGreaterThan(70);
  });

  it('rejects a vector whose length is not the mean’s', () => {
    expect(() => embeddingCode(new Float32Array(1000))).toThrow(RangeError);
  });
});

describe('embeddingMean', () => {
  it('decodes to 1280 non-negative values, a mean of unit vectors in the positive orthant', () => {
    const mean = embeddingMean();
    expect(mean).toHaveLength(DIMENSIONS);
    expect(Math.min(...mean)).toBeGreaterThanOrEqual(0);
    // Unrelated photos have cosine ~0.5, so their mean's norm is ~0.7 (never above 1).
    expect(Math.hypot(...mean)).toBeGreaterThan(0.5);
    expect(Math.hypot(...mean)).toBeLessThanOrEqual(1);
  });
});

describe('cosineSimilarity', () => {
  it('is 1 for parallel, 0 for orthogonal, −1 for opposite vectors, 0 with a zero vector', () => {
    expect(cosineSimilarity([1, 2, 3], [2, 4, 6])).toBeCloseTo(1, 12);
    expect(cosineSimilarity([1, 0], [0, 3])).toBe(0);
    expect(cosineSimilarity([1, 2], [-1, -2])).toBeCloseTo(-1, 12);
    expect(cosineSimilarity([0, 0], [1, 2])).toBe(0);
  });
});

// 256-bit SimHash codes of image embeddings, as 64 hex digits like a PDQ hash, so the Hamming
// multi-index finds candidate pairs of embeddings as it does of hashes.
//
// Each bit is the side of a random hyperplane through the centre the vector lies on: two
// vectors at angle θ differ in a bit with probability θ/π (Charikar), so the expected distance
// is 256·θ/π. The angle is measured around the mean embedding, not the origin: MobileNet's
// features come out of a ReLU, so every embedding lies in the positive orthant and any two
// photos are within ~60° of each other (cosine ≈ 0.5 for unrelated photos); centred, unrelated
// photos are near 90° apart and copies stay close, so the bits separate them.
// Pure standard JavaScript: runs in Node, a browser or a Web Worker.
import { seededRandom } from '../random';
import { EMBEDDING_MEAN_BASE64, EMBEDDING_MEAN_SCALE } from './embedding-mean';

export const EMBEDDING_CODE_BITS = 256;

/** Changing the seed (or the mean) changes every code: stored codes must then be recomputed. */
const HYPERPLANE_SEED = 0x51_3a_5e_ed;

let centre: Float32Array | undefined;
let hyperplanes: { dimensions: number; normals: Float32Array } | undefined;

/** The stored mean embedding (see embedding-mean.ts). */
export function embeddingMean(): Float32Array {
  if (!centre) {
    const bytes = Uint8Array.from(atob(EMBEDDING_MEAN_BASE64), (c) => c.charCodeAt(0));
    const view = new DataView(bytes.buffer);
    centre = Float32Array.from({ length: bytes.length / 2 }, (_, d) => view.getUint16(d * 2, true) * EMBEDDING_MEAN_SCALE);
  }
  return centre;
}

/** EMBEDDING_CODE_BITS standard Gaussian normals, row-major, from the fixed seed. Box–Muller on
 *  mulberry32: V8's Math.log/cos/sin are deterministic ports of fdlibm, so the normals are the
 *  same in Node, Electron and a Chromium worker. */
function normals(dimensions: number): Float32Array {
  if (hyperplanes?.dimensions !== dimensions) {
    const next = seededRandom(HYPERPLANE_SEED);
    const uniform = () => (next() + 0.5) / 2 ** 32; // in (0, 1): log never sees 0
    const values = new Float32Array(EMBEDDING_CODE_BITS * dimensions);
    for (let i = 0; i < values.length; i += 2) {
      const radius = Math.sqrt(-2 * Math.log(uniform()));
      const angle = 2 * Math.PI * uniform();
      values[i] = radius * Math.cos(angle);
      if (i + 1 < values.length) values[i + 1] = radius * Math.sin(angle);
    }
    hyperplanes = { dimensions, normals: values };
  }
  return hyperplanes.normals;
}

/**
 * The SimHash of an embedding around `mean` (default: the stored mean embedding), as 64
 * lowercase hex digits, bit k of the code in hex digit ⌊k/4⌋ (most significant first). The
 * vector is L2-normalised first, as the mean was computed on normalised vectors.
 */
export function embeddingCode(vector: ArrayLike<number>, mean: ArrayLike<number> = embeddingMean()): string {
  const dimensions = vector.length;
  if (mean.length !== dimensions) throw new RangeError(`the vector has ${dimensions} values, the mean ${mean.length}`);
  let norm = 0;
  for (let d = 0; d < dimensions; d++) norm += vector[d]! * vector[d]!;
  const scale = norm > 0 ? 1 / Math.sqrt(norm) : 0;
  const centred = Float64Array.from({ length: dimensions }, (_, d) => vector[d]! * scale - mean[d]!);
  const plane = normals(dimensions);
  let hex = '';
  for (let digit = 0; digit < EMBEDDING_CODE_BITS / 4; digit++) {
    let nibble = 0;
    for (let bit = 0; bit < 4; bit++) {
      const row = (digit * 4 + bit) * dimensions;
      let dot = 0;
      for (let d = 0; d < dimensions; d++) dot += centred[d]! * plane[row + d]!;
      nibble = (nibble << 1) | (dot > 0 ? 1 : 0);
    }
    hex += nibble.toString(16);
  }
  return hex;
}

/** Cosine similarity of two vectors (0 when either is all zeros). */
export function cosineSimilarity(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new RangeError(`vector lengths differ: ${a.length} vs ${b.length}`);
  let dot = 0;
  let normA = 0;
  let normB = 0;
  for (let i = 0; i < a.length; i++) {
    dot += a[i]! * b[i]!;
    normA += a[i]! * a[i]!;
    normB += b[i]! * b[i]!;
  }
  return normA > 0 && normB > 0 ? dot / Math.sqrt(normA * normB) : 0;
}

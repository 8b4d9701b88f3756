import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import sharp, { type Sharp } from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { hammingHex } from '../../src-core/hash/hamming';
import { cosineSimilarity, embeddingCode } from '../../src-core/similarity/embedding-code';
import { tfjsEmbedPixels } from '../../bench/embed/tfjs-mobilenet';
import { mobileNetOnnx } from './mobilenet-onnx';
import { decodeForEmbedding, EMBEDDING_DIMENSIONS, embedFile, embedPixels } from './mobilenet';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const ORIGINALS = resolve(ROOT, '../shared/bench-data/originals');
const photo = (name: string) => resolve(ORIGINALS, `${name}.jpg`);

// Public-domain photos from scikit-image (bench-data/originals/SOURCES.json).
const PHOTO = photo('skimage_coffee');
const UNRELATED = ['skimage_astronaut', 'skimage_chelsea', 'skimage_rocket'].map(photo);

async function copies(path: string): Promise<Record<string, Buffer>> {
  const { width, height } = await sharp(path).metadata();
  const jpeg = (image: Sharp) => image.jpeg({ quality: 90 }).toBuffer();
  return {
    mirrored: await jpeg(sharp(path).flop()),
    'cropped 15 %': await jpeg(sharp(path).extract({ left: Math.round(width * 0.1), top: Math.round(height * 0.05), width: Math.round(width * 0.85), height: Math.round(height * 0.85) })),
    greyscale: await jpeg(sharp(path).greyscale()),
  };
}

describe('MobileNetV2 embeddings', () => {
  let original: Float32Array;
  let unrelated: Float32Array[];

  beforeAll(async () => {
    original = await embedFile(PHOTO);
    unrelated = await Promise.all(UNRELATED.map((path) => embedFile(path)));
  });

  it('gives the embedding tfjs gives from the same nsfwjs model (the converted graph is that network)', async () => {
    for (const path of [PHOTO, ...UNRELATED]) {
      for (const size of [224, 128]) {
        const { rgb, width, height } = await decodeForEmbedding(path, size);
        // float32 in both, summed in different orders: agreement to ~1e-6.
        expect(cosineSimilarity(await embedPixels(rgb, width, height, size), await tfjsEmbedPixels(rgb, width, height, size)), `${path} at ${size}`).toBeGreaterThan(0.9999);
      }
    }
  }, 60_000);

  it('squashes pixels that are not model-sized to the model input first', async () => {
    const { data, info } = await sharp(PHOTO).resize(300, 200, { fit: 'fill' }).removeAlpha().raw().toBuffer({ resolveWithObject: true });
    const direct = await embedPixels(new Uint8Array(data), info.width, info.height);
    const squashed = await sharp(data, { raw: { width: 300, height: 200, channels: 3 } }).resize(224, 224, { fit: 'fill' }).raw().toBuffer();
    expect(direct).toEqual(await embedPixels(new Uint8Array(squashed), 224, 224));
  });

  it('is a deterministic L2-normalised 1280-d vector of post-ReLU (≥ 0) features', async () => {
    expect(original).toHaveLength(EMBEDDING_DIMENSIONS);
    expect(Math.hypot(...original)).toBeCloseTo(1, 5);
    expect(Math.min(...original)).toBeGreaterThanOrEqual(0);
    expect(await embedFile(PHOTO)).toEqual(original);
  });

  it('embedFile is embedPixels on the decoded model-sized pixels', async () => {
    const { rgb, width, height } = await decodeForEmbedding(PHOTO);
    expect([width, height, rgb.length]).toEqual([224, 224, 224 * 224 * 3]);
    expect(await embedPixels(rgb, width, height)).toEqual(original);
  });

  it('rejects pixels that do not match their size, and input sizes the network cannot pool', async () => {
    await expect(embedPixels(new Uint8Array(10), 2, 2)).rejects.toThrow(RangeError);
    await expect(embedPixels(new Uint8Array(100 * 100 * 3), 100, 100, 100)).rejects.toThrow(/multiple of 32/);
    await expect(mobileNetOnnx(48)).rejects.toThrow(/multiple of 32/);
  });

  it('puts a mirrored, 15 %-cropped or greyscale copy closer than any unrelated photo, by cosine and by code', async () => {
    const code = embeddingCode(original);
    const unrelatedCosine = Math.max(...unrelated.map((u) => cosineSimilarity(original, u)));
    const unrelatedBits = Math.min(...unrelated.map((u) => hammingHex(code, embeddingCode(u))));
    // Measured: copies ≥ 0.89 cosine and ≤ 48 bits; unrelated ≤ 0.61 cosine and ≥ 108 bits.
    expect(unrelatedCosine).toBeLessThan(0.75);
    expect(unrelatedBits).toBeGreaterThan(80);
    for (const [name, bytes] of Object.entries(await copies(PHOTO))) {
      const copy = await embedFile(bytes);
      expect(cosineSimilarity(original, copy), name).toBeGreaterThan(unrelatedCosine + 0.1);
      expect(hammingHex(code, embeddingCode(copy)), name).toBeLessThan(unrelatedBits - 20);
    }
  });
});

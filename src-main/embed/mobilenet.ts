// Image embeddings for near-duplicate candidates: the 1280-d global-average-pooled activation
// (layer flatten_1, just before the NSFW classifier head) of the MobileNetV2 that ships inside
// nsfwjs, converted to ONNX in memory (mobilenet-onnx.ts) and run by onnxruntime's CPU library
// on one thread: ~4× less model time than the same network on tfjs WebAssembly with SIMD, with
// the same output (bench/embed/run.ts). Everything is read from local package files.
import * as ort from 'onnxruntime-node';
import sharp from 'sharp';
import { INPUT_NAME, mobileNetOnnx, OUTPUT_NAME } from './mobilenet-onnx';

export const EMBEDDING_DIMENSIONS = 1280;

/** The model's native input side. Smaller sides (multiples of 32) also run, faster but with
 *  less separation between copies and other photos: see bench/embed/run.ts. */
export const DEFAULT_INPUT_SIZE = 224;

export interface ModelPixels {
  rgb: Uint8Array;
  width: number;
  height: number;
}

const sessions = new Map<number, Promise<ort.InferenceSession>>();

function session(size: number): Promise<ort.InferenceSession> {
  let s = sessions.get(size);
  if (!s) {
    s = startSession(size);
    sessions.set(size, s);
    s.catch(() => sessions.delete(size));
  }
  return s;
}

async function startSession(size: number): Promise<ort.InferenceSession> {
  // One thread: the hash pool already runs one worker per core.
  const started = await ort.InferenceSession.create(await mobileNetOnnx(size), { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'all' });
  // The first run allocates and picks kernels; pay it here rather than in the first image's time.
  const warmUp = await started.run({ [INPUT_NAME]: new ort.Tensor('float32', new Float32Array(3 * size * size), [1, 3, size, size]) });
  for (const t of Object.values(warmUp)) t.dispose();
  return started;
}

/** Loads the model for `size` now rather than on the first embedding. */
export async function loadEmbeddingModel(size = DEFAULT_INPUT_SIZE): Promise<void> {
  await session(size);
}

/**
 * Embedding of interleaved 8-bit RGB pixels: L2-normalised, 1280 values ≥ 0. Pixels that are
 * not `size`² are squashed to it by sharp first (hand in model-sized pixels to skip that).
 */
export async function embedPixels(rgb: Uint8Array, width: number, height: number, size = DEFAULT_INPUT_SIZE): Promise<Float32Array> {
  if (!(width > 0 && height > 0) || rgb.length !== width * height * 3) throw new RangeError(`${rgb.length} bytes are not ${width}×${height} RGB pixels`);
  const model = await session(size);
  if (width !== size || height !== size) rgb = await sharp(rgb, { raw: { width, height, channels: 3 } }).resize(size, size, { fit: 'fill' }).raw().toBuffer();
  // Interleaved RGB to planar, on the [0, 1] scale the network was trained on (nsfwjs divides by 255 too).
  const plane = size * size;
  const planar = new Float32Array(3 * plane);
  for (let i = 0, j = 0; i < plane; i++, j += 3) {
    planar[i] = rgb[j]! / 255;
    planar[plane + i] = rgb[j + 1]! / 255;
    planar[2 * plane + i] = rgb[j + 2]! / 255;
  }
  const input = new ort.Tensor('float32', planar, [1, 3, size, size]);
  const outputs = await model.run({ [INPUT_NAME]: input });
  const vector = new Float32Array(outputs[OUTPUT_NAME]!.data as Float32Array);
  for (const t of Object.values(outputs)) t.dispose();
  let norm = 0;
  for (const v of vector) norm += v * v;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i]! /= norm;
  return vector;
}
/** Pixels for embedPixels from an image file or its bytes: EXIF orientation applied, squashed
 *  to the model's square input ("fill"), alpha dropped (as the hashes ignore it), 8-bit sRGB.
 *  Fill: every pixel of the photo reaches the network and nothing else does, and it is the
 *  squash the product decode already makes for PDQ. Contain adds padding whose size depends on
 *  the aspect ratio, which costs letterboxed and rotated copies (dev set, original–copy pairs
 *  among 20 nearest: fill 0.97, cover 0.96, contain 0.93); cover is as good as fill there
 *  (it crops letterbox bars away but also drops the edges of every photo). */
export async function decodeForEmbedding(input: Buffer | string, size = DEFAULT_INPUT_SIZE): Promise<ModelPixels> {
  const { data, info } = await sharp(input, { autoOrient: true, failOn: 'truncated' })
    .resize(size, size, { fit: 'fill' })
    .removeAlpha()
    .toColourspace('srgb')
    .raw({ depth: 'uchar' })
    .toBuffer({ resolveWithObject: true });
  return { rgb: new Uint8Array(data.buffer, data.byteOffset, data.byteLength), width: info.width, height: info.height };
}

/** Embedding of an image file or its bytes (see decodeForEmbedding and embedPixels). */
export async function embedFile(input: Buffer | string, size = DEFAULT_INPUT_SIZE): Promise<Float32Array> {
  const { rgb, width, height } = await decodeForEmbedding(input, size);
  return embedPixels(rgb, width, height, size);
}

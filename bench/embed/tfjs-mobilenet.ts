// The embedding as the app computed it before onnxruntime: nsfwjs's MobileNetV2 as a tfjs layers
// model on tfjs's WebAssembly backend (SIMD; tfjs disables its threaded build under Node). Kept
// as the reference the onnxruntime path is measured against, for speed (bench/embed/run.ts) and
// for equal output (src-main/embed/mobilenet.test.ts).
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { MobileNetV2Model } from 'nsfwjs/models/mobilenet_v2';

const FEATURE_LAYER = 'flatten_1';
/** MobileNetV2 halves the resolution five times: its last feature map is side/32 square. */
const DOWNSAMPLING = 32;

let backend: Promise<'wasm' | 'cpu'> | undefined;
const models = new Map<number, Promise<tf.LayersModel>>();

/** The tfjs backend the embeddings run on, started on first use. */
export function tfjsBackend(): Promise<'wasm' | 'cpu'> {
  return (backend ??= startBackend());
}

async function startBackend(): Promise<'wasm' | 'cpu'> {
  // The .wasm binaries are read from the package's own dist folder on disk (no fetch).
  const require = createRequire(import.meta.url);
  setWasmPaths(`${dirname(require.resolve('@tensorflow/tfjs-backend-wasm'))}/`);
  if (await tf.setBackend('wasm').catch(() => false)) return 'wasm';
  // Same numbers, ~15× slower (1.1 s instead of 70 ms per image on the dev machine).
  if (await tf.setBackend('cpu')) return 'cpu';
  throw new Error('neither the wasm nor the cpu tfjs backend could start');
}

/** The part of the Keras topology JSON this module edits. */
interface KerasLayer {
  class_name: string;
  config: { batch_input_shape?: Array<number | null>; pool_size?: number[]; strides?: number[] };
}
interface KerasTopology {
  model_config: { config: { layers: KerasLayer[] } };
}

function onlyLayer(layers: KerasLayer[], className: string): KerasLayer['config'] {
  const found = layers.filter((l) => l.class_name === className);
  if (found.length !== 1) throw new Error(`expected one ${className} layer in MobileNetV2, found ${found.length}`);
  return found[0]!.config;
}

function featureModel(size: number): Promise<tf.LayersModel> {
  let model = models.get(size);
  if (!model) models.set(size, (model = loadFeatureModel(size)));
  return model;
}

/** nsfwjs's bundled model (JS-wrapped model JSON and base64 weights), rebuilt for a `size`²
 *  input: the graph fixes the input to 224² and the average pool to 7×7, so both are scaled
 *  to the size (still a global pool), and the weights load strictly, every one checked. */
async function loadFeatureModel(size: number): Promise<tf.LayersModel> {
  if (!Number.isInteger(size) || size < DOWNSAMPLING || size % DOWNSAMPLING !== 0) throw new RangeError(`input size ${size} is not a positive multiple of ${DOWNSAMPLING}`);
  await tfjsBackend();
  const json = (await MobileNetV2Model.modelJson()).default;
  const shardCount = MobileNetV2Model.numOfWeightBundles;
  const shards = new Map<string, Buffer>(
    await Promise.all(MobileNetV2Model.weightBundles.map(async (load, i) => [`group1-shard${i + 1}of${shardCount}`, Buffer.from((await load()).default, 'base64')] as const)),
  );
  const manifest = json.weightsManifest;
  const weightData = Buffer.concat(
    manifest.flatMap((group) => group.paths).map((path) => {
      const shard = shards.get(path);
      if (!shard) throw new Error(`nsfwjs has no weight bundle for ${path}`);
      return shard;
    }),
  );

  const topology = structuredClone(json.modelTopology) as KerasTopology;
  const layers = topology.model_config.config.layers;
  onlyLayer(layers, 'InputLayer').batch_input_shape = [null, size, size, 3];
  const pool = onlyLayer(layers, 'AveragePooling2D');
  pool.pool_size = pool.strides = [size / DOWNSAMPLING, size / DOWNSAMPLING];

  const full = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: topology,
      weightSpecs: manifest.flatMap((group) => group.weights),
      // A copy: a Buffer may be a view into a larger pooled ArrayBuffer.
      weightData: new Uint8Array(weightData).buffer,
    }),
  );
  const features = tf.model({ inputs: full.inputs, outputs: full.getLayer(FEATURE_LAYER).output as tf.SymbolicTensor });
  // The first run allocates and compiles; pay it here rather than in the first image's time.
  tf.tidy(() => {
    features.predict(tf.zeros([1, size, size, 3]));
  });
  return features;
}

/**
 * Embedding of interleaved 8-bit RGB pixels: L2-normalised, 1280 values ≥ 0. Pixels that are
 * not `size`² are resized bilinearly without antialiasing, which aliases on large downscales:
 * hand in roughly model-sized pixels (embedFile does).
 */
export async function tfjsEmbedPixels(rgb: Uint8Array, width: number, height: number, size: number): Promise<Float32Array> {
  if (!(width > 0 && height > 0) || rgb.length !== width * height * 3) throw new RangeError(`${rgb.length} bytes are not ${width}×${height} RGB pixels`);
  const model = await featureModel(size);
  const output = tf.tidy(() => {
    // The network was trained on [0, 1] inputs (nsfwjs divides by 255 too).
    let image: tf.Tensor3D = tf.tensor3d(rgb, [height, width, 3], 'float32').div(255);
    if (width !== size || height !== size) image = tf.image.resizeBilinear(image, [size, size], false, true);
    return model.predict(image.expandDims(0)) as tf.Tensor;
  });
  const vector = new Float32Array(await output.data());
  output.dispose();
  let norm = 0;
  for (const v of vector) norm += v * v;
  norm = Math.sqrt(norm);
  if (norm > 0) for (let i = 0; i < vector.length; i++) vector[i]! /= norm;
  return vector;
}


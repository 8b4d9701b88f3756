// nsfwjs's MobileNetV2 (Keras topology and weights, as the npm package ships them) rewritten as
// an ONNX graph up to the 1280-d pooled features, for onnxruntime. Built in memory from the
// package files on first use, so the weights are the package's and nothing is generated on disk.
// Batch normalisation is folded into the convolutions and ZeroPadding2D into their pads: the
// graph is the plain conv / depthwise conv / clip / add chain onnxruntime runs fastest.
import { MobileNetV2Model } from 'nsfwjs/models/mobilenet_v2';
import { encodeModel, type FloatTensor, type OnnxNode } from './onnx-proto';

/** MobileNetV2 halves the resolution five times: its last feature map is side/32 square. */
export const DOWNSAMPLING = 32;
export const INPUT_NAME = 'pixels';
export const OUTPUT_NAME = 'features';
const FEATURE_LAYER = 'flatten_1';

interface KerasLayer {
  class_name: string;
  name: string;
  config: {
    padding?: string | number[][];
    strides?: number[];
    epsilon?: number;
    max_value?: number | null;
    negative_slope?: number;
    threshold?: number;
    use_bias?: boolean;
    activation?: string;
    dilation_rate?: number[];
    depth_multiplier?: number;
  };
  inbound_nodes: Array<Array<[string, number, number, object]>>;
}

interface WeightSpec {
  name: string;
  shape: number[];
  dtype: string;
  quantization?: { min?: number; scale?: number; dtype: 'uint8' | 'uint16' | 'float16' };
}

/** Weights by name, dequantized as tfjs does (value = min + q × scale). */
async function packageWeights(specs: WeightSpec[], paths: string[]): Promise<Map<string, { shape: number[]; data: Float32Array }>> {
  const shardCount = MobileNetV2Model.numOfWeightBundles;
  const shards = new Map<string, Buffer>(
    await Promise.all(MobileNetV2Model.weightBundles.map(async (load, i) => [`group1-shard${i + 1}of${shardCount}`, Buffer.from((await load()).default, 'base64')] as const)),
  );
  const bytes = Buffer.concat(
    paths.map((path) => {
      const shard = shards.get(path);
      if (!shard) throw new Error(`nsfwjs has no weight bundle for ${path}`);
      return shard;
    }),
  );
  const weights = new Map<string, { shape: number[]; data: Float32Array }>();
  let offset = 0;
  for (const spec of specs) {
    const count = spec.shape.reduce((a, b) => a * b, 1);
    const data = new Float32Array(count);
    const q = spec.quantization;
    if (spec.dtype !== 'float32') throw new Error(`weight ${spec.name} is ${spec.dtype}, not float32`);
    if (!q) {
      data.set(new Float32Array(new Uint8Array(bytes.subarray(offset, offset + count * 4)).buffer));
      offset += count * 4;
    } else if (q.dtype === 'uint8' || q.dtype === 'uint16') {
      const width = q.dtype === 'uint8' ? 1 : 2;
      for (let i = 0; i < count; i++) data[i] = q.min! + q.scale! * (width === 1 ? bytes[offset + i]! : bytes.readUInt16LE(offset + 2 * i));
      offset += count * width;
    } else {
      throw new Error(`weight ${spec.name} is quantized as ${q.dtype}, which this loader does not read`);
    }
    weights.set(spec.name, { shape: spec.shape, data });
  }
  if (offset !== bytes.length) throw new Error(`nsfwjs weights: read ${offset} of ${bytes.length} bytes`);
  return weights;
}

/** The ONNX model, input `pixels` [1, 3, size, size] in [0, 1] (NCHW), output `features` [1, 1280]. */
export async function mobileNetOnnx(size: number): Promise<Uint8Array> {
  if (!Number.isInteger(size) || size < DOWNSAMPLING || size % DOWNSAMPLING !== 0) throw new RangeError(`input size ${size} is not a positive multiple of ${DOWNSAMPLING}`);
  const json = (await MobileNetV2Model.modelJson()).default;
  const manifest = json.weightsManifest as Array<{ paths: string[]; weights: WeightSpec[] }>;
  const weights = await packageWeights(
    manifest.flatMap((g) => g.weights),
    manifest.flatMap((g) => g.paths),
  );
  const used = new Set<string>();
  const weight = (name: string) => {
    const w = weights.get(name);
    if (!w) throw new Error(`nsfwjs MobileNetV2 has no weight ${name}`);
    used.add(name);
    return w;
  };

  const layers = (json.modelTopology as { model_config: { config: { layers: KerasLayer[] } } }).model_config.config.layers;
  const nodes: OnnxNode[] = [];
  const initializers: FloatTensor[] = [];
  /** Keras layer name → ONNX value name (layers folded away pass their input's value on). */
  const value = new Map<string, string>();
  /** Zero padding [top, left, bottom, right] waiting for the convolution it feeds. */
  const pendingPads = new Map<string, number[]>();
  /** Convolutions whose batch normalisation is not folded in yet: kernel and bias, by value. */
  const convs = new Map<string, { kernel: FloatTensor; bias: FloatTensor }>();
  const inputOf = (layer: KerasLayer, at = 0) => {
    const inbound = layer.inbound_nodes[0]?.[at]?.[0];
    if (inbound === undefined || !value.has(inbound)) throw new Error(`layer ${layer.name} reads an unknown input`);
    return inbound;
  };

  for (const layer of layers) {
    const c = layer.config;
    switch (layer.class_name) {
      case 'InputLayer':
        value.set(layer.name, INPUT_NAME);
        break;
      case 'ZeroPadding2D': {
        const [[top, bottom], [left, right]] = c.padding as number[][] as [[number, number], [number, number]];
        pendingPads.set(layer.name, [top, left, bottom, right]);
        value.set(layer.name, value.get(inputOf(layer))!);
        break;
      }
      case 'Conv2D':
      case 'DepthwiseConv2D': {
        const depthwise = layer.class_name === 'DepthwiseConv2D';
        if (c.activation !== 'linear' || c.use_bias || (c.dilation_rate ?? [1, 1]).some((d) => d !== 1) || (depthwise && c.depth_multiplier !== 1)) {
          throw new Error(`layer ${layer.name}: only linear, bias-free, undilated convolutions are converted`);
        }
        const source = inputOf(layer);
        const k = weight(`${layer.name}/${depthwise ? 'depthwise_kernel' : 'kernel'}`);
        const [kh, kw, cin, cout] = k.shape as [number, number, number, number];
        // Keras kernels are [kh, kw, in, out] (depthwise: [kh, kw, channels, 1]); ONNX wants
        // [out, in / group, kh, kw].
        const outChannels = depthwise ? cin : cout;
        const data = new Float32Array(k.data.length);
        for (let y = 0; y < kh; y++)
          for (let x = 0; x < kw; x++)
            for (let i = 0; i < cin; i++)
              for (let o = 0; o < cout; o++) {
                const from = ((y * kw + x) * cin + i) * cout + o;
                data[depthwise ? (i * kh + y) * kw + x : ((o * cin + i) * kh + y) * kw + x] = k.data[from]!;
              }
        const kernel = { name: `${layer.name}.W`, dims: depthwise ? [cin, 1, kh, kw] : [cout, cin, kh, kw], data };
        const bias = { name: `${layer.name}.B`, dims: [outChannels], data: new Float32Array(outChannels) };
        const pads = pendingPads.get(source);
        if (c.padding === 'same' && pads) throw new Error(`layer ${layer.name}: 'same' padding after ZeroPadding2D`);
        const attributes = [
          { name: 'strides', ints: c.strides! },
          { name: 'kernel_shape', ints: [kh, kw] },
          { name: 'group', int: depthwise ? cin : 1 },
          // TensorFlow's 'same' puts the odd pixel at the bottom/right, as SAME_UPPER does.
          c.padding === 'same' ? { name: 'auto_pad', string: 'SAME_UPPER' } : { name: 'pads', ints: pads ?? [0, 0, 0, 0] },
        ];
        nodes.push({ op: 'Conv', inputs: [value.get(source)!, kernel.name, bias.name], output: layer.name, attributes });
        initializers.push(kernel, bias);
        convs.set(layer.name, { kernel, bias });
        value.set(layer.name, layer.name);
        break;
      }
      case 'BatchNormalization': {
        const conv = convs.get(inputOf(layer));
        if (!conv) throw new Error(`layer ${layer.name} does not follow a convolution`);
        convs.delete(inputOf(layer));
        const [gamma, beta, mean, variance] = ['gamma', 'beta', 'moving_mean', 'moving_variance'].map((p) => weight(`${layer.name}/${p}`).data) as [Float32Array, Float32Array, Float32Array, Float32Array];
        const perOutput = conv.kernel.data.length / conv.bias.data.length;
        for (let o = 0; o < conv.bias.data.length; o++) {
          const scale = gamma[o]! / Math.sqrt(variance[o]! + c.epsilon!);
          for (let j = 0; j < perOutput; j++) conv.kernel.data[o * perOutput + j]! *= scale;
          conv.bias.data[o] = beta[o]! + (conv.bias.data[o]! - mean[o]!) * scale;
        }
        value.set(layer.name, value.get(inputOf(layer))!);
        break;
      }
      case 'ReLU': {
        if (c.negative_slope !== 0 || c.threshold !== 0) throw new Error(`layer ${layer.name}: only plain (capped) ReLU is converted`);
        const bounds = [
          { name: `${layer.name}.min`, dims: [], data: Float32Array.of(0) },
          { name: `${layer.name}.max`, dims: [], data: Float32Array.of(c.max_value ?? Infinity) },
        ];
        initializers.push(...bounds);
        nodes.push({ op: 'Clip', inputs: [value.get(inputOf(layer))!, ...bounds.map((b) => b.name)], output: layer.name });
        value.set(layer.name, layer.name);
        break;
      }
      case 'Add':
        nodes.push({ op: 'Add', inputs: [value.get(inputOf(layer, 0))!, value.get(inputOf(layer, 1))!], output: layer.name });
        value.set(layer.name, layer.name);
        break;
      case 'AveragePooling2D':
        // A 7×7 pool over the 7×7 map at 224²: the global mean at any size.
        nodes.push({ op: 'GlobalAveragePool', inputs: [value.get(inputOf(layer))!], output: layer.name });
        value.set(layer.name, layer.name);
        break;
      case 'Flatten':
        nodes.push({ op: 'Flatten', inputs: [value.get(inputOf(layer))!], output: OUTPUT_NAME, attributes: [{ name: 'axis', int: 1 }] });
        value.set(layer.name, OUTPUT_NAME);
        break;
      default:
        if (!value.has(FEATURE_LAYER)) throw new Error(`layer ${layer.name}: ${layer.class_name} is not converted`);
    }
    if (layer.name === FEATURE_LAYER) break;
  }
  if (convs.size > 0) throw new Error(`convolutions without batch normalisation: ${[...convs.keys()].join(', ')}`);
  const unused = [...weights.keys()].filter((name) => !used.has(name) && !name.startsWith('dense_'));
  if (unused.length > 0) throw new Error(`MobileNetV2 weights left unused: ${unused.join(', ')}`);
  return encodeModel({
    nodes,
    initializers,
    input: { name: INPUT_NAME, dims: [1, 3, size, size] },
    output: { name: OUTPUT_NAME, dims: [1, 1280] },
  });
}

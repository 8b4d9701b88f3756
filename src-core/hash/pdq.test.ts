// PDQ (ThreatExchange C++ reference) stage by stage against shared/reference/core-vectors.json and
// expected.json (docs/hash-definitions.md, "PDQ (C++ reference)"). Every float comparison is bit-exact.
import { describe, it, expect } from 'vitest';
import { endianness } from 'node:os';
import {
  DIHEDRAL_NAMES,
  pdqBitsFromDct,
  pdqBuffer64,
  pdqDct16,
  pdqDctFirstPass,
  pdqDctMatrix,
  pdqDihedralDcts,
  pdqHash,
  pdqHex,
  pdqLuma,
  pdqMedian,
  pdqQuality,
  pdqWindowSize,
  pdqWordsFromHex,
  referenceSquash512,
  type PixelImage,
} from './pdq';
import { elementCount, float32Of, loadCoreVectors, loadExpected, sha256, uint8Of, type ArrayEntry, type PdqVector } from '../../test/reference-data';

const core = loadCoreVectors();
const expectedImages = loadExpected();

const ZERO_HASH = '0'.repeat(64);

// The reference bytes are little-endian; typed arrays use the platform order.
if (endianness() !== 'LE') throw new Error('these tests assume a little-endian platform');

/** First index where the float32 bit patterns differ (so -0 ≠ +0), or undefined when identical. */
function firstDifference(actual: Float32Array, wanted: Float32Array): object | undefined {
  if (actual.length !== wanted.length) return { length: actual.length, expectedLength: wanted.length };
  const a = new Uint32Array(actual.buffer, actual.byteOffset, actual.length);
  const b = new Uint32Array(wanted.buffer, wanted.byteOffset, wanted.length);
  for (let i = 0; i < a.length; i++) {
    if (a[i] !== b[i]) return { index: i, actual: actual[i], expected: wanted[i] };
  }
  return undefined;
}

function expectFloat32Entry(actual: Float32Array, entry: ArrayEntry): void {
  expect(actual.length).toBe(elementCount(entry));
  if (entry.values || entry.base64) expect(firstDifference(actual, float32Of(entry))).toBeUndefined();
  expect(sha256(actual)).toBe(entry.sha256);
}

function imageOf(vector: PdqVector): PixelImage | undefined {
  const data = uint8Of(vector.pixels);
  return data && { data, width: vector.width, height: vector.height, channels: vector.channels };
}

/** Deterministic pseudo-random generator (LCG), so failures reproduce. */
function lcg(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
}

function randomImage(width: number, height: number, channels: number, seed: number): PixelImage {
  const next = lcg(seed);
  const data = new Uint8Array(width * height * channels);
  for (let i = 0; i < data.length; i++) data[i] = Math.floor(next() * 256);
  return { data, width, height, channels };
}

const withPixels = core.vectors.filter((v) => uint8Of(v.pdq.pixels) !== undefined);

describe('PDQ constants', () => {
  it('builds the DCT matrix from Math.cos exactly as globals.pdq_dct_matrix_16x64', () => {
    expectFloat32Entry(pdqDctMatrix(), core.globals.pdq_dct_matrix_16x64);
  });

  it('computes the Jarosz window sizes of globals.pdq_window_size_examples', () => {
    const examples = Object.entries(core.globals.pdq_window_size_examples);
    expect(examples.length).toBeGreaterThan(5);
    for (const [size, window] of examples) expect(pdqWindowSize(Number(size))).toBe(window);
  });

  it('computes each vector’s window sizes from its width and height', () => {
    for (const { pdq } of core.vectors) {
      expect(pdqWindowSize(pdq.width)).toBe(pdq.window_size_along_rows);
      expect(pdqWindowSize(pdq.height)).toBe(pdq.window_size_along_cols);
    }
  });

  it('computes RGB luma with the float32 coefficients of globals.pdq_luma_coefficients_float32', () => {
    const [cr, cg, cb] = core.globals.pdq_luma_coefficients_float32;
    const fr = Math.fround;
    const img = randomImage(64, 50, 3, 7);
    const luma = pdqLuma(img);
    for (let p = 0; p < luma.length; p++) {
      const [r, g, b] = [img.data[3 * p]!, img.data[3 * p + 1]!, img.data[3 * p + 2]!];
      expect(luma[p]).toBe(fr(fr(fr(cr * r) + fr(cg * g)) + fr(cb * b)));
    }
  });
});

describe.each(withPixels.map((v) => [v.image, v.pdq] as const))('PDQ from pixels: %s', (_name, vector) => {
  const img = imageOf(vector)!;

  it('reads the pixel data the vector describes', () => {
    expect(sha256(img.data)).toBe(vector.pixels.sha256);
  });

  it('computes the luma (sha256) and the 64×64 buffer (bytes and sha256)', () => {
    const luma = pdqLuma(img);
    expect(sha256(luma)).toBe(vector.luma.sha256);
    expectFloat32Entry(pdqBuffer64(luma, img.width, img.height), vector.buffer64x64);
  });

  it('gives the hash, quality and 8 dihedral hashes end to end', () => {
    expect(referenceSquash512(img)).toBe(img); // ≤ 512: the 512 step leaves it alone
    const result = pdqHash(img);
    expect(result.hash).toBe(vector.hash);
    expect(result.quality).toBe(vector.quality);
    expect(result.dihedral).toEqual(vector.dihedral);
  });
});

describe.each(core.vectors.map((v) => [v.image, v.pdq] as const))('PDQ from buffer64x64: %s', (_name, vector) => {
  const buf64 = float32Of(vector.buffer64x64);

  it('computes the quality', () => {
    expect(pdqQuality(buf64)).toBe(vector.quality);
  });

  it('computes the first DCT pass T = D·A', () => {
    expectFloat32Entry(pdqDctFirstPass(buf64), vector.dct_first_pass_16x64);
  });

  it('computes the 16×16 DCT, its median and the hash', () => {
    const dct = pdqDct16(buf64);
    expectFloat32Entry(dct, vector.dct16x16);
    expect(Object.is(pdqMedian(dct), vector.median)).toBe(true);
    const words = pdqBitsFromDct(dct);
    expect(pdqHex(words)).toBe(vector.hash);
    expect(Array.from(pdqWordsFromHex(vector.hash))).toEqual(Array.from(words));
  });

  it('computes the 8 dihedral hashes from the DCT', () => {
    const dcts = pdqDihedralDcts(pdqDct16(buf64));
    expect(Object.keys(dcts).sort()).toEqual([...DIHEDRAL_NAMES].sort());
    for (const name of DIHEDRAL_NAMES) expect([name, pdqHex(pdqBitsFromDct(dcts[name]))]).toEqual([name, vector.dihedral[name]]);
  });
});

/**
 * Literal transliteration of the C++ box1DFloat / jaroszFilterFloat / decimateFloat (step 6), one
 * strided 1-D pass per row and per column. The vectors with pixel data only have window sizes 1 and 2;
 * this checks the optimised implementation for the larger windows real photos use.
 */
function referenceBuffer64(luma: Float32Array, width: number, height: number): Float32Array {
  const fr = Math.fround;
  const box1D = (input: Float32Array, out: Float32Array, at: number, n: number, stride: number, w: number): void => {
    const half = Math.trunc((w + 2) / 2);
    let li = at;
    let ri = at;
    let oi = at;
    let sum = 0;
    let size = 0;
    for (let i = 0; i < half - 1; i++, ri += stride) (sum = fr(sum + input[ri]!)), size++;
    for (let i = 0; i < w - half + 1; i++, ri += stride, oi += stride) {
      sum = fr(sum + input[ri]!);
      size++;
      out[oi] = fr(sum / size);
    }
    for (let i = 0; i < n - w; i++, li += stride, ri += stride, oi += stride) {
      sum = fr(sum + input[ri]!);
      sum = fr(sum - input[li]!);
      out[oi] = fr(sum / size);
    }
    for (let i = 0; i < half - 1; i++, li += stride, oi += stride) {
      sum = fr(sum - input[li]!);
      size--;
      out[oi] = fr(sum / size);
    }
  };
  if (width === 64 && height === 64) return luma.slice();
  const buffer1 = luma.slice();
  const buffer2 = new Float32Array(luma.length);
  const rowWindow = Math.trunc((width + 127) / 128);
  const colWindow = Math.trunc((height + 127) / 128);
  for (let rep = 0; rep < 2; rep++) {
    for (let y = 0; y < height; y++) box1D(buffer1, buffer2, y * width, width, 1, rowWindow);
    for (let x = 0; x < width; x++) box1D(buffer2, buffer1, x, height, width, colWindow);
  }
  const out = new Float32Array(64 * 64);
  for (let i = 0; i < 64; i++) {
    const ini = Math.trunc(((i + 0.5) * height) / 64);
    for (let j = 0; j < 64; j++) out[i * 64 + j] = buffer1[ini * width + Math.trunc(((j + 0.5) * width) / 64)]!;
  }
  return out;
}

describe('PDQ blur and decimation against a transliteration of the C++', () => {
  const sizes: [number, number][] = [
    [512, 512], // windows 4, 4 (the 512 step's output)
    [512, 384], // 4, 3: the typical product input
    [384, 512],
    [300, 129], // 3, 2
    [1000, 7], // 8, 1
    [129, 255], // 2, 2 with odd sizes
    [40, 30], // smaller than 64: decimation repeats columns
    [64, 65], // one off the 64×64 special case
    [5, 5],
  ];
  it.each(sizes)('%i×%i', (width, height) => {
    const luma = pdqLuma(randomImage(width, height, 3, width * 1000 + height));
    expect(firstDifference(pdqBuffer64(luma, width, height), referenceBuffer64(luma, width, height))).toBeUndefined();
  });

  it('does not modify its luma input', () => {
    const luma = pdqLuma(randomImage(200, 150, 3, 3));
    const copy = luma.slice();
    pdqBuffer64(luma, 200, 150);
    expect(firstDifference(luma, copy)).toBeUndefined();
  });
});

describe('PDQ grey path (pitfall 11)', () => {
  /** One row of the 256 grey levels, as `channels`-channel pixels (alpha = 7). */
  function greyLevels(channels: number): PixelImage {
    const data = new Uint8Array(256 * channels);
    for (let v = 0; v < 256; v++) {
      for (let c = 0; c < channels; c++) data[v * channels + c] = c === 3 || (channels === 2 && c === 1) ? 7 : v;
    }
    return { data, width: 256, height: 1, channels };
  }

  it.each([1, 2, 3, 4])('uses Y = grey value for all-grey %i-channel input', (channels) => {
    expect(Array.from(pdqLuma(greyLevels(channels)))).toEqual(Array.from({ length: 256 }, (_, v) => v));
  });

  it('uses the RGB formula as soon as one pixel is not grey; 35 grey levels then differ (step 3)', () => {
    const img = greyLevels(3);
    const data = new Uint8Array(img.data.length + 3);
    data.set(img.data);
    data.set([1, 0, 0], img.data.length);
    const luma = pdqLuma({ data, width: 257, height: 1, channels: 3 });
    let differing = 0;
    for (let v = 0; v < 256; v++) if (luma[v] !== v) differing++;
    expect(differing).toBe(35);
  });
});

describe('PDQ ignores alpha (pitfall 7)', () => {
  it('gives the RGB vector’s hash for the same pixels with an alpha channel', () => {
    const vector = core.vectors.find((v) => v.image.includes('gen-rgb-gradient'))!.pdq;
    const rgb = imageOf(vector)!;
    const n = rgb.width * rgb.height;
    const rgba = new Uint8Array(n * 4);
    for (let p = 0; p < n; p++) rgba.set([rgb.data[3 * p]!, rgb.data[3 * p + 1]!, rgb.data[3 * p + 2]!, p % 256], 4 * p);
    const result = pdqHash({ data: rgba, width: rgb.width, height: rgb.height, channels: 4 });
    expect(result.hash).toBe(vector.hash);
    expect(result.quality).toBe(vector.quality);
  });

  it('gives the same hash for grey+alpha as for grey alone', () => {
    const grey = randomImage(90, 70, 1, 11);
    const greyAlpha = new Uint8Array(grey.data.length * 2);
    for (let p = 0; p < grey.data.length; p++) greyAlpha.set([grey.data[p]!, 255 - (p % 256)], 2 * p);
    const withAlpha = pdqHash({ data: greyAlpha, width: 90, height: 70, channels: 2 });
    expect(withAlpha).toEqual(pdqHash(grey));
    expect(withAlpha.hash).not.toBe(ZERO_HASH);
  });
});

describe('PDQ minimum size (step 4)', () => {
  it('gives gen-tiny-3x2 the expected all-zero hash and quality 0, with all-zero dihedral hashes', () => {
    const tiny = expectedImages['generated/gen-tiny-3x2.png']!.pdq;
    const result = pdqHash(randomImage(3, 2, 3, 5));
    expect(result.hash).toBe(tiny.hash);
    expect(result.quality).toBe(tiny.quality);
    for (const name of DIHEDRAL_NAMES) expect(result.dihedral[name]).toBe(ZERO_HASH);
  });

  it.each([
    [4, 100],
    [100, 4],
  ])('gives the all-zero hash for %i×%i', (width, height) => {
    expect(pdqHash(randomImage(width, height, 3, 9)).hash).toBe(ZERO_HASH);
  });

  it('hashes 5×5, the smallest allowed size', () => {
    expect(pdqHash(randomImage(5, 5, 3, 9)).hash).not.toBe(ZERO_HASH);
  });
});

describe('referenceSquash512 (step 2)', () => {
  /** 4 channels encode the source position: (x & 255, x >> 8, y & 255, y >> 8). */
  function positionImage(width: number, height: number): PixelImage {
    const data = new Uint8Array(width * height * 4);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) data.set([x & 255, x >> 8, y & 255, y >> 8], (y * width + x) * 4);
    }
    return { data, width, height, channels: 4 };
  }

  function sourceOf(img: PixelImage, x: number, y: number): [number, number] {
    const at = (y * img.width + x) * 4;
    return [img.data[at]! + 256 * img.data[at + 1]!, img.data[at + 2]! + 256 * img.data[at + 3]!];
  }

  it('leaves images with both sides ≤ 512 untouched', () => {
    for (const [w, h] of [
      [512, 512],
      [512, 10],
      [6, 5],
    ] as const) {
      const img = positionImage(w, h);
      expect(referenceSquash512(img)).toBe(img);
    }
  });

  it('squashes 1600×1004 to 512×512 by nearest neighbour, src = floor(dst * size / 512)', () => {
    const out = referenceSquash512(positionImage(1600, 1004));
    expect([out.width, out.height, out.channels, out.data.length]).toEqual([512, 512, 4, 512 * 512 * 4]);
    expect(sourceOf(out, 0, 0)).toEqual([0, 0]);
    expect(sourceOf(out, 1, 1)).toEqual([3, 1]); // 1600/512 = 3.125, 1004/512 = 1.96
    expect(sourceOf(out, 256, 256)).toEqual([800, 502]);
    expect(sourceOf(out, 511, 511)).toEqual([1596, 1002]); // 1596.875, 1002.04
  });

  it('stretches the short side of a panorama (2000×100) as well', () => {
    const out = referenceSquash512(positionImage(2000, 100));
    expect(sourceOf(out, 511, 5)).toEqual([1996, 0]); // 1996.09, 0.98
    expect(sourceOf(out, 1, 6)).toEqual([3, 1]); // 3.9, 1.17
    expect(sourceOf(out, 0, 511)).toEqual([0, 99]); // 99.8
  });
});

describe('PDQ bits and hex (steps 9–11)', () => {
  it('takes the 128th smallest of 256 values as the median', () => {
    const next = lcg(1);
    const values = Float32Array.from({ length: 256 }, (_, i) => i - 100);
    for (let i = 255; i > 0; i--) {
      const j = Math.floor(next() * (i + 1));
      [values[i], values[j]] = [values[j]!, values[i]!];
    }
    expect(pdqMedian(values)).toBe(27); // -100 + 127
  });

  it('puts DCT row 0, column 0 in the lowest bit of the last hex digit', () => {
    const dct = new Float32Array(256);
    dct[0] = 1;
    expect(pdqHex(pdqBitsFromDct(dct))).toBe('0'.repeat(63) + '1');
    dct[1] = 1;
    dct[16] = 1; // row 1, column 0: lowest bit of word 1
    expect(pdqHex(pdqBitsFromDct(dct))).toBe('0'.repeat(56) + '00010003');
  });

  it('puts DCT row 15, column 15 in the highest bit of the first hex digit', () => {
    const dct = new Float32Array(256);
    dct[255] = 1;
    expect(pdqHex(pdqBitsFromDct(dct))).toBe('8' + '0'.repeat(63));
  });

  it('sets a bit only when the value is strictly above the median', () => {
    expect(pdqHex(pdqBitsFromDct(new Float32Array(256).fill(3)))).toBe(ZERO_HASH);
  });

  it('formats words w[15]..w[0] as %04x and parses them back', () => {
    const words = new Uint16Array(16);
    words[0] = 0xabcd;
    words[1] = 0x0f;
    words[15] = 0x1234;
    const hex = '1234' + '0'.repeat(52) + '000fabcd';
    expect(pdqHex(words)).toBe(hex);
    expect(Array.from(pdqWordsFromHex(hex.toUpperCase()))).toEqual(Array.from(words));
  });

  it('rejects malformed hex hashes', () => {
    expect(() => pdqWordsFromHex('abc')).toThrow(RangeError);
    expect(() => pdqWordsFromHex('g'.repeat(64))).toThrow(RangeError);
  });
});

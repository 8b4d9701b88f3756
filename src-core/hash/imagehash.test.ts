// imagehash 4.3.2 aHash/dHash/pHash/wHash against the stage-by-stage reference vectors in
// shared/reference/core-vectors.json and the final hashes in expected.json.
import { describe, it, expect } from 'vitest';
import { pillowGray, pillowResize } from './pillow';
import {
  aHash,
  ahashBits,
  ahashMean,
  bitsAboveMedian,
  bitsToImagehashHex,
  dHash,
  dhashBits,
  haarLowLL,
  haarRemoveMaxLL,
  imageHashes,
  numpyMedian,
  pHash,
  phashLowFreq,
  wHash,
  whashLowLL,
  whashScale,
} from './imagehash';
import { float64Of, loadCoreVectors, loadExpected, sha256, uint8Of, type CoreVector } from '../../test/reference-data';

const vectors = loadCoreVectors().vectors;
const expectedImages = loadExpected();

/** pHash DCT tolerance: 1e-9 relative, or 1e-9 absolute for coefficients below 1 in size
 *  (scipy's own rounding noise on near-zero coefficients is ~1e-11). */
function expectCloseToScipy(actual: ArrayLike<number>, expected: ArrayLike<number>): void {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < expected.length; i++) {
    const tolerance = 1e-9 * Math.max(1, Math.abs(expected[i]!));
    expect(Math.abs(actual[i]! - expected[i]!), `coefficient ${i}`).toBeLessThanOrEqual(tolerance);
  }
}

/** The wHash S×S input: given for S ≤ 64; for larger S rebuilt from the greyscale when that is given. */
function whashInputOf(v: CoreVector): Uint8Array | undefined {
  const given = uint8Of(v.imagehash.whash.input);
  if (given) return given;
  const gray = uint8Of(v.imagehash.gray);
  const scale = v.imagehash.whash.image_scale;
  return gray && pillowResize(gray, v.width, v.height, scale, scale);
}

describe('bitsToImagehashHex', () => {
  const single = (index: number) => {
    const bits = new Uint8Array(64);
    bits[index] = 1;
    return bits;
  };

  it('puts row 0, column 0 in the most significant bit (step 7)', () => {
    expect(bitsToImagehashHex(single(0))).toBe('8000000000000000');
    expect(bitsToImagehashHex(single(63))).toBe('0000000000000001');
    expect(bitsToImagehashHex(single(9))).toBe('0040000000000000');
  });

  it('zero-pads on the left when the bit count is not a multiple of 4, like int(bits, 2)', () => {
    expect(bitsToImagehashHex(Uint8Array.from([1, 0, 0, 0, 1]))).toBe('11');
  });
});

describe('numpyMedian', () => {
  it('takes the middle value, or the mean of the two middle values', () => {
    expect(numpyMedian([3, -1, 2])).toBe(2);
    expect(numpyMedian([4, 1, -3, 2])).toBe(1.5);
  });
});

describe('whashScale', () => {
  it('follows the examples of step 6', () => {
    expect(whashScale(1600, 1004)).toBe(512);
    expect(whashScale(3, 2)).toBe(8);
  });

  it.each(vectors.map((v) => [v.image, v] as const))('%s', (_, v) => {
    expect(whashScale(v.width, v.height)).toBe(v.imagehash.whash.image_scale);
  });
});

describe.each(vectors.map((v) => [v.image, v] as const))('%s', (_, v) => {
  const { gray: grayEntry, ahash, dhash, phash, whash } = v.imagehash;

  it('aHash: mean and hash from the 8×8 pixels', () => {
    const input = uint8Of(ahash.input)!;
    expect(ahashMean(input)).toBe(ahash.mean);
    expect(bitsToImagehashHex(ahashBits(input))).toBe(ahash.hash);
  });

  it('dHash: hash from the 9×8 pixels', () => {
    expect(bitsToImagehashHex(dhashBits(uint8Of(dhash.input)!))).toBe(dhash.hash);
  });

  it('pHash: low-frequency DCT matches scipy', () => {
    expectCloseToScipy(phashLowFreq(uint8Of(phash.input)!), float64Of(phash.dct_lowfreq_8x8));
  });

  it("pHash: median and bits of scipy's coefficients", () => {
    const coefficients = float64Of(phash.dct_lowfreq_8x8);
    expect(numpyMedian(coefficients)).toBe(phash.median);
    expect(bitsToImagehashHex(bitsAboveMedian(coefficients))).toBe(phash.hash);
  });

  // Tie-sensitive vectors (a coefficient equal to the median) also pass: the even/odd DCT gives
  // exact zeros where scipy's FFT does. The definitions ask this only of non-tie vectors (pitfall 13).
  it(`pHash: hash from the 32×32 pixels${phash.tie_sensitive ? ' (tie-sensitive)' : ''}`, () => {
    const coefficients = phashLowFreq(uint8Of(phash.input)!);
    expectCloseToScipy([numpyMedian(coefficients)], [phash.median]);
    expect(bitsToImagehashHex(bitsAboveMedian(coefficients))).toBe(phash.hash);
  });

  it("wHash: median and bits of pywt's 8×8 LL", () => {
    const low = float64Of(whash.dwt_low_8x8);
    expect(numpyMedian(low)).toBe(whash.median);
    expect(bitsToImagehashHex(bitsAboveMedian(low))).toBe(whash.hash);
  });

  const waveletInput = whashInputOf(v);
  if (waveletInput) {
    const scale = whash.image_scale;

    it(`wHash: ${scale}² input rebuilt or given matches its digest`, () => {
      expect(sha256(waveletInput)).toBe(whash.input.sha256);
    });

    it('wHash: array after max-level LL removal equals pywt bit for bit', () => {
      expect(sha256(haarRemoveMaxLL(waveletInput, scale))).toBe(whash.after_ll_removal.sha256);
    });

    it('wHash: 8×8 LL, median and hash equal pywt exactly', () => {
      const low = whashLowLL(waveletInput, scale);
      expect(Array.from(low)).toEqual(whash.dwt_low_8x8.values);
      expect(numpyMedian(low)).toBe(whash.median);
      expect(bitsToImagehashHex(bitsAboveMedian(low))).toBe(whash.hash);
    });

    it('wHash: haarLowLL runs dwt_level analysis levels', () => {
      const low = haarLowLL(haarRemoveMaxLL(waveletInput, scale), scale, whash.dwt_level);
      expect(sha256(low)).toBe(whash.dwt_low_8x8.sha256);
    });
  }

  const gray = uint8Of(grayEntry);
  if (gray) {
    it('all four hashes from the full-size greyscale', () => {
      const expected = { ahash: ahash.hash, dhash: dhash.hash, phash: phash.hash, whash: whash.hash };
      expect(imageHashes(gray, v.width, v.height)).toEqual(expected);
      expect({
        ahash: aHash(gray, v.width, v.height),
        dhash: dHash(gray, v.width, v.height),
        phash: pHash(gray, v.width, v.height),
        whash: wHash(gray, v.width, v.height),
      }).toEqual(expected);
    });
  }
});

describe('coverage of the reference vectors', () => {
  it('exercises every stage on the expected number of vectors', () => {
    expect(vectors).toHaveLength(8);
    expect(vectors.filter((v) => whashInputOf(v) !== undefined)).toHaveLength(6);
    expect(vectors.filter((v) => uint8Of(v.imagehash.gray) !== undefined)).toHaveLength(6);
  });
});

// Two generated reference images are simple enough to rebuild without a decoder; the rebuilt
// pixels are checked against the reference decode (pil_rgb_sha256) before hashing.
describe.each([
  ['generated/gen-uniform-gray-100x100.png', 100, 100, () => 128],
  ['generated/gen-checker-101x101.png', 101, 101, (x: number, y: number) => ((x + y) % 2 === 0 ? 0 : 255)],
] as const)('%s (rebuilt, tie-sensitive pHash)', (name, width, height, pixel) => {
  const rgb = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) rgb.fill(pixel(x, y), (y * width + x) * 3, (y * width + x + 1) * 3);
  }
  const expected = expectedImages[name]!;

  it('rebuilt pixels equal the reference decode', () => {
    expect(sha256(rgb)).toBe(expected.pil_rgb_sha256);
  });

  it('all four hashes equal imagehash', () => {
    const gray = pillowGray({ data: rgb, width, height, channels: 3 });
    expect(imageHashes(gray, width, height)).toEqual(expected.imagehash);
  });
});

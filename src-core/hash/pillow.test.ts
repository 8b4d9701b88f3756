// Pillow convert("L") and LANCZOS resize against the reference vectors in
// shared/reference/core-vectors.json (Pillow 9.4.0 output).
import { describe, it, expect } from 'vitest';
import { lanczosTable, pillowGray, pillowResize } from './pillow';
import { elementCount, loadCoreVectors, sha256, uint8Of, type ArrayEntry } from '../../test/reference-data';

const core = loadCoreVectors();

/** Compare element-wise when the data is given (readable diffs), by digest otherwise. */
function expectMatchesEntry(actual: Uint8Array, entry: ArrayEntry): void {
  expect(actual.length).toBe(elementCount(entry));
  const expected = uint8Of(entry);
  if (expected) expect(Array.from(actual)).toEqual(Array.from(expected));
  expect(sha256(actual)).toBe(entry.sha256);
}

describe('lanczosTable', () => {
  const tables = Object.entries(core.globals.pillow_lanczos_fixed_point_coefficients.tables);

  it('covers every table in the reference file', () => {
    expect(tables.map(([key]) => key)).toEqual(['97->8', '61->8', '97->9', '97->32', '61->32', '6->8', '6->32']);
  });

  it.each(tables)('%s equals Pillow exactly', (key, rows) => {
    const [inSize, outSize] = key.split('->').map(Number) as [number, number];
    const table = lanczosTable(inSize, outSize);
    expect(rows).toHaveLength(outSize);
    const actual = rows.map((_, i) => {
      const count = table.bounds[i * 2 + 1]!;
      const start = i * table.kernelSize;
      return { xmin: table.bounds[i * 2]!, k: Array.from(table.coeffs.subarray(start, start + count)) };
    });
    expect(actual).toEqual(rows);
    // Taps past each row's count must stay zero (Pillow clears them).
    rows.forEach((row, i) => {
      const padding = table.coeffs.subarray(i * table.kernelSize + row.k.length, (i + 1) * table.kernelSize);
      expect(padding.every((v) => v === 0)).toBe(true);
    });
  });
});

describe('pillowGray', () => {
  it('uses Pillow L values for the primaries (76, 150, 29) and ignores alpha', () => {
    const rgba = Uint8Array.from([255, 0, 0, 0, 0, 255, 0, 17, 0, 0, 255, 255, 255, 255, 255, 0, 0, 0, 0, 255]);
    expect(Array.from(pillowGray({ data: rgba, width: 5, height: 1, channels: 4 }))).toEqual([76, 150, 29, 255, 0]);
  });

  it('copies grey and grey+alpha input', () => {
    const grey = Uint8Array.from([3, 200, 7]);
    const copy = pillowGray({ data: grey, width: 3, height: 1, channels: 1 });
    expect(Array.from(copy)).toEqual([3, 200, 7]);
    expect(copy).not.toBe(grey);
    const greyAlpha = Uint8Array.from([3, 0, 200, 9, 7, 255]);
    expect(Array.from(pillowGray({ data: greyAlpha, width: 3, height: 1, channels: 2 }))).toEqual([3, 200, 7]);
  });

  it('rejects a buffer that does not fit the dimensions', () => {
    expect(() => pillowGray({ data: new Uint8Array(5), width: 2, height: 1, channels: 3 })).toThrow(RangeError);
    expect(() => pillowGray({ data: new Uint8Array(5), width: 5, height: 1, channels: 5 })).toThrow(RangeError);
  });

  const withRgb = core.vectors.filter((v) => uint8Of(v.imagehash.rgb) !== undefined);
  it('has RGB data for the 5 small vectors', () => expect(withRgb).toHaveLength(5));

  it.each(withRgb.map((v) => [v.image, v] as const))('%s: RGB → L equals Pillow', (_, v) => {
    const gray = pillowGray({ data: uint8Of(v.imagehash.rgb)!, width: v.width, height: v.height, channels: 3 });
    expectMatchesEntry(gray, v.imagehash.gray);
  });
});

describe('pillowResize', () => {
  const withGray = core.vectors.filter((v) => uint8Of(v.imagehash.gray) !== undefined);
  it('has greyscale data for 6 vectors', () => expect(withGray).toHaveLength(6));

  describe.each(withGray.map((v) => [v.image, v] as const))('%s', (_, v) => {
    const gray = uint8Of(v.imagehash.gray)!;
    const { ahash, dhash, phash, whash } = v.imagehash;
    const resize = (w: number, h: number) => pillowResize(gray, v.width, v.height, w, h);

    it('8×8 (aHash input)', () => expectMatchesEntry(resize(8, 8), ahash.input));
    it('9 wide × 8 high (dHash input)', () => expectMatchesEntry(resize(9, 8), dhash.input));
    it('32×32 (pHash input)', () => expectMatchesEntry(resize(32, 32), phash.input));
    it(`${whash.image_scale}² (wHash input)`, () =>
      expectMatchesEntry(resize(whash.image_scale, whash.image_scale), whash.input));
  });

  it('returns a copy when the size does not change', () => {
    const gray = Uint8Array.from([1, 2, 3, 4, 5, 6]);
    const out = pillowResize(gray, 3, 2, 3, 2);
    expect(Array.from(out)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(out).not.toBe(gray);
  });

  it('keeps a flat image flat at any size (the fixed-point taps sum to 2^22 ± rounding)', () => {
    const flat = new Uint8Array(100 * 37).fill(128);
    for (const [w, h] of [[8, 8], [9, 8], [32, 32], [256, 256], [100, 5], [3, 37]] as const) {
      expect(pillowResize(flat, 100, 37, w, h).every((p) => p === 128)).toBe(true);
    }
  });

  it('equals an explicit horizontal pass followed by a vertical pass', () => {
    const v = withGray[0]!;
    const gray = uint8Of(v.imagehash.gray)!;
    const horizontal = pillowResize(gray, v.width, v.height, 8, v.height);
    const twoStep = pillowResize(horizontal, 8, v.height, 8, 8);
    expect(Array.from(pillowResize(gray, v.width, v.height, 8, 8))).toEqual(Array.from(twoStep));
  });

  it('rejects bad sizes', () => {
    expect(() => pillowResize(new Uint8Array(6), 3, 2, 0, 8)).toThrow(RangeError);
    expect(() => pillowResize(new Uint8Array(5), 3, 2, 8, 8)).toThrow(RangeError);
  });
});

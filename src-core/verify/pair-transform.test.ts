import { describe, expect, it } from 'vitest';
import { alignmentOf, apply, compose, describeAlignment, fromPixelSimilarity, invert, invertPairTransform, pixelMatrix, transformBetween, type Affine } from './pair-transform';

const close = (actual: [number, number], expected: [number, number], digits = 9) => {
  expect(actual[0]).toBeCloseTo(expected[0], digits);
  expect(actual[1]).toBeCloseTo(expected[1], digits);
};

describe('fromPixelSimilarity', () => {
  it('maps a crop taken at the same scale to where it was cut from', () => {
    // b: pixels 40…199 × 30…149 of a 320×240 a; b's pixel k is a's pixel 40 + k.
    const t = fromPixelSimilarity({ a: 1, b: 0, tx: 40, ty: 30 }, false, { width: 160, height: 120 }, { width: 320, height: 240 });
    close(apply(t.matrix, 0, 0), [40 / 320, 30 / 240]);
    close(apply(t.matrix, 1, 1), [200 / 320, 150 / 240]);
    expect(t.mirrored).toBe(false);
  });

  it('keeps aspect ratios apart: a portrait crop of a landscape photo, shown larger', () => {
    // b: a's columns 80…240 (all rows) of a 320×240 a, enlarged 1.5× to 240×360. Pixel edges
    // (centre + 0.5) scale: a_edge = 80 + b_edge / 1.5.
    const t = fromPixelSimilarity({ a: 1 / 1.5, b: 0, tx: 80 + 0.5 / 1.5 - 0.5, ty: 0.5 / 1.5 - 0.5 }, false, { width: 240, height: 360 }, { width: 320, height: 240 });
    close(apply(t.matrix, 0, 0), [0.25, 0]);
    close(apply(t.matrix, 1, 1), [0.75, 1]);
    close(apply(t.matrix, 0.5, 0.5), [0.5, 0.5]);
  });

  it('folds the mirror into the matrix: b is a flopped, so its left edge is a\'s right', () => {
    // The fit aligned mirrored b onto a exactly.
    const t = fromPixelSimilarity({ a: 1, b: 0, tx: 0, ty: 0 }, true, { width: 320, height: 200 }, { width: 320, height: 200 });
    close(apply(t.matrix, 0, 0), [1, 0]);
    close(apply(t.matrix, 0.2, 0.3), [0.8, 0.3]);
    expect(t.mirrored).toBe(true);
    expect(t.matrix[0] * t.matrix[3] - t.matrix[1] * t.matrix[2]).toBeLessThan(0);
  });

  it('turns a quarter: b is a turned clockwise, so b\'s top-left corner was a\'s bottom-left', () => {
    // a 300×200; b = a turned clockwise, 200×300: a's pixel (x, y) is b's (199 − y, x), so
    // b's (X, Y) is a's (Y, 199 − X): x' = 0·X − (−1)·Y, y' = −1·X + 199.
    const t = fromPixelSimilarity({ a: 0, b: -1, tx: 0, ty: 199 }, false, { width: 200, height: 300 }, { width: 300, height: 200 });
    close(apply(t.matrix, 0, 0), [0, 1]);
    close(apply(t.matrix, 1, 0), [0, 0]);
    close(apply(t.matrix, 1, 1), [1, 0]);
    const alignment = alignmentOf(t, { width: 2000, height: 3000 }, { width: 3000, height: 2000 });
    expect(alignment.rotationDeg).toBeCloseTo(90, 9);
    expect(alignment.scale).toBeCloseTo(1, 9);
    expect(describeAlignment(alignment)).toBe('rotated 90°');
  });
});

describe('inverting', () => {
  const samples: Array<[number, number]> = [
    [0, 0],
    [1, 0],
    [0.3, 0.7],
    [1, 1],
  ];

  it('invert undoes the map, both ways round', () => {
    const m: Affine = [0.8, 0.1, -0.15, 0.9, 0.05, -0.02];
    for (const [x, y] of samples) {
      close(apply(invert(m), ...apply(m, x, y)), [x, y]);
      close(apply(m, ...apply(invert(m), x, y)), [x, y]);
    }
    expect(() => invert([1, 2, 2, 4, 0, 0])).toThrow();
  });

  it('compose applies the right-hand map first', () => {
    const shift: Affine = [1, 0, 0, 1, 10, 0];
    const double: Affine = [2, 0, 0, 2, 0, 0];
    close(apply(compose(shift, double), 1, 1), [12, 2]);
    close(apply(compose(double, shift), 1, 1), [22, 2]);
  });

  it('transformBetween returns the stored map one way and its inverse the other', () => {
    // Stored for the pair (a = "aa", b = "bb"): b is the crop of the first test.
    const transform = fromPixelSimilarity({ a: 1, b: 0, tx: 40, ty: 30 }, false, { width: 160, height: 120 }, { width: 320, height: 240 });
    const stored = { a: 'aa', b: 'bb', transform };
    expect(transformBetween(stored, 'bb', 'aa')).toBe(transform);
    const back = transformBetween(stored, 'aa', 'bb')!;
    // a's point where b's top-left corner lies is b's (0, 0); a's own corner lies outside b.
    close(apply(back.matrix, 40 / 320, 30 / 240), [0, 0]);
    close(apply(back.matrix, 0, 0), [-40 / 160, -30 / 120]);
    expect(transformBetween(stored, 'aa', 'cc')).toBeUndefined();
    expect(transformBetween({ a: 'aa', b: 'bb' }, 'bb', 'aa')).toBeUndefined();
    expect(invertPairTransform(invertPairTransform(transform)).matrix.map((v) => Number(v.toFixed(12)))).toEqual(transform.matrix.map((v) => Number(v.toFixed(12))));
  });
});

describe('at the images\' own sizes', () => {
  it('a crop of a 4000×3000 photo, exported at half size, lies at its offset and reads "scaled 0.50"', () => {
    // The crop: a's 2000×1500 pixels from (1000, 600), saved as 1000×750. The verifier saw
    // both at 320 px wide: b's 320 px span a's 160.
    const t = fromPixelSimilarity({ a: 0.5, b: 0, tx: 80 + 0.25 - 0.5, ty: 48 + 0.25 - 0.5 }, false, { width: 320, height: 240 }, { width: 320, height: 240 });
    const m = pixelMatrix(t, { width: 1000, height: 750 }, { width: 4000, height: 3000 });
    close(apply(m, 0, 0), [1000, 600], 6);
    close(apply(m, 1000, 750), [3000, 2100], 6);
    const alignment = alignmentOf(t, { width: 1000, height: 750 }, { width: 4000, height: 3000 });
    expect(alignment.scale).toBeCloseTo(0.5, 9);
    expect(alignment.rotationDeg).toBeCloseTo(0, 9);
    expect(describeAlignment(alignment)).toBe('scaled 0.50');
  });

  it('a bordered copy reads as an offset, a mirrored tilted one says all of it', () => {
    // 40 px of border around a 400×300 photo: b's (40, 40) is a's (0, 0).
    const bordered = { mirrored: false, matrix: [480 / 400, 0, 0, 380 / 300, -40 / 400, -40 / 300] as Affine };
    expect(describeAlignment(alignmentOf(bordered, { width: 480, height: 380 }, { width: 400, height: 300 }))).toBe('offset -40, -40 px');
    // b: a turned 3° clockwise, then mirrored, at 0.8 of a's size (the map undoes all three).
    const angle = (-3 * Math.PI) / 180;
    const undo = compose([Math.cos(angle) / 0.8, Math.sin(angle) / 0.8, -Math.sin(angle) / 0.8, Math.cos(angle) / 0.8, 0, 0], [-1, 0, 0, 1, 0, 0]);
    const alignment = alignmentOf({ mirrored: true, matrix: undo }, { width: 1, height: 1 }, { width: 1, height: 1 });
    expect(alignment.rotationDeg).toBeCloseTo(3, 9);
    expect(describeAlignment(alignment)).toBe('scaled 0.80, rotated 3°, mirrored');
  });
});

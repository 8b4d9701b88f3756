import { describe, expect, it } from 'vitest';
import { invertPairTransform, type PairTransform } from '../verify/pair-transform';
import { sharedContent } from './overlap';

/** y placed in x's frame at pixel offset (left, top) and pixel size (w, h) of x. */
const placed = (x: { width: number; height: number }, left: number, top: number, w: number, h: number): PairTransform => ({
  mirrored: false,
  matrix: [w / x.width, 0, 0, h / x.height, left / x.width, top / x.height],
});

describe('sharedContent', () => {
  it('a crop at the same scale: the whole crop is shared, the original has more around it', () => {
    const original = { width: 1000, height: 800 };
    const crop = { width: 500, height: 400 };
    const o = sharedContent(original, crop, placed(original, 250, 200, 500, 400))!;
    expect(o.inX).toBeCloseTo(200_000, 0);
    expect(o.inY).toBeCloseTo(200_000, 0);
    expect(o.outsideX).toBeCloseTo(0.75, 6);
    expect(o.outsideY).toBeCloseTo(0, 6);
  });

  it('a photo scaled into a screenshot: shared whole, shown smaller in the screenshot', () => {
    const photo = { width: 1600, height: 1000 };
    const screenshot = { width: 1920, height: 1080 };
    const photoInShot = placed(screenshot, 400, 200, 960, 600);
    const o = sharedContent(photo, screenshot, invertPairTransform(photoInShot))!;
    expect(o.inX).toBeCloseTo(1_600_000, -1);
    expect(o.inY).toBeCloseTo(960 * 600, -1);
    expect(o.outsideX).toBeCloseTo(0, 6);
    expect(o.outsideY).toBeCloseTo(1 - (960 * 600) / (1920 * 1080), 6);
  });

  it('content boxes exclude borders: a bordered copy shares exactly the photo', () => {
    const photo = { width: 1000, height: 1000 };
    const bordered = { width: 1100, height: 1100, content: [50 / 1100, 50 / 1100, 1000 / 1100, 1000 / 1100] as const };
    const photoInBordered = placed(bordered, 50, 50, 1000, 1000);
    const o = sharedContent(photo, bordered, invertPairTransform(photoInBordered))!;
    expect(o.inX).toBeCloseTo(1_000_000, -1);
    expect(o.inY).toBeCloseTo(1_000_000, -1);
    expect(o.outsideY).toBeCloseTo(0, 6);
  });

  it('a rotated copy clips to the frame; images that do not overlap share nothing', () => {
    const a = { width: 100, height: 100 };
    const turned: PairTransform = { mirrored: false, matrix: [Math.SQRT1_2, Math.SQRT1_2, -Math.SQRT1_2, Math.SQRT1_2, 0.5, 0.5 - Math.SQRT1_2] };
    const o = sharedContent(a, a, turned)!;
    expect(o.inX).toBeGreaterThan(0);
    expect(o.inX).toBeLessThan(10_000);
    expect(sharedContent(a, a, placed(a, 200, 200, 50, 50))).toBeUndefined();
  });
});

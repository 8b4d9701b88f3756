// bench:peers' own logic: the pair scoring every peer is judged by, and the byte-different copies
// of folder (b), which must decode to the same pixels as their source.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { byteDifferentCopy } from '../bench/peers/folders';
import { score } from '../bench/peers/score';
import { BENCH_ORIGINALS } from './helpers';

const truth = [
  { name: 'a0.jpg', group: 'A', transform: 'original' },
  { name: 'a1.jpg', group: 'A', transform: 'crop-05' },
  { name: 'a2.jpg', group: 'A', transform: 'flip-h' },
  { name: 'b0.jpg', group: 'B', transform: 'original' },
  { name: 'b1.jpg', group: 'B', transform: 'crop-05' },
];
const filler = new Set(['f1.jpg', 'f2.jpg']);

describe('bench:peers score', () => {
  it('counts pairs over planted files, per transform, and filler pairs apart', () => {
    // One right pair (a0-a1), two wrong (a0-b1, a1-b1); a2 sits with a filler photo.
    const s = score(truth, filler, [['a0.jpg', 'a1.jpg', 'b1.jpg'], ['a2.jpg', 'f1.jpg'], ['f2.jpg', 'elsewhere.jpg']]);
    // Positives: 3 pairs in A, 1 in B.
    expect({ truePairs: s.truePairs, predictedPairs: s.predictedPairs, positivePairs: s.positivePairs }).toEqual({ truePairs: 1, predictedPairs: 3, positivePairs: 4 });
    expect(s.precision).toBeCloseTo(1 / 3);
    expect(s.recall).toBeCloseTo(1 / 4);
    expect(s.f1).toBeCloseTo(2 / 7);
    expect(s.fillerPairs).toBe(1);
    expect(s.unknownPaths).toBe(1);
    // (original, crop) pairs: a0-a1 and b0-b1 are the positives; a0-a1 and a0-b1 were grouped.
    expect(s.byTransform.get('crop-05')).toEqual({ truePairs: 1, predictedPairs: 2, positivePairs: 2 });
    expect(s.byTransform.get('flip-h')).toEqual({ truePairs: 0, predictedPairs: 0, positivePairs: 1 });
  });

  it('joins groups that share a file, as a user sees them', () => {
    const s = score(truth, filler, [['a0.jpg', 'a1.jpg'], ['a1.jpg', 'a2.jpg']]);
    expect(s.truePairs).toBe(3);
    expect(s.predictedPairs).toBe(3);
    expect(s.recall).toBeCloseTo(3 / 4);
  });

  it('counts pairs of byte-different copies of one original under "original"', () => {
    const withCopy = [...truth, { name: 'a0-copy1.jpg', group: 'A', transform: 'original' }];
    const s = score(withCopy, new Set(), [['a0.jpg', 'a0-copy1.jpg', 'a1.jpg']]);
    expect(s.byTransform.get('original')).toEqual({ truePairs: 1, predictedPairs: 1, positivePairs: 1 });
    // Both originals pair with the crop now: 2 positives in A, 1 in B.
    expect(s.byTransform.get('crop-05')).toEqual({ truePairs: 2, predictedPairs: 2, positivePairs: 3 });
  });
});

describe('bench:peers byte-different copies', () => {
  const photo = join(BENCH_ORIGINALS, 'skimage_coffee.jpg');

  it.each(['jpeg', 'png', 'webp'] as const)('a %s copy has other bytes and the same pixels', async (format) => {
    const source = format === 'jpeg' ? readFileSync(photo) : await sharp(photo).resize(200).toFormat(format).toBuffer();
    const copy = byteDifferentCopy(source, 1);
    expect(copy.equals(source)).toBe(false);
    expect(copy.equals(byteDifferentCopy(source, 2))).toBe(false);
    const pixels = (bytes: Buffer) => sharp(bytes).raw().toBuffer();
    expect((await pixels(copy)).equals(await pixels(source))).toBe(true);
  });
});

// Box (area-average) downscaling to greyscale, for product-mode imagehash inputs.
import type { PixelImage } from './image';

export interface GrayImage {
  gray: Uint8Array;
  width: number;
  height: number;
}

/** Pillow's integer greyscale (convert("L")) of one pixel at byte offset `p`. */
function pillowLuma(data: Uint8Array, p: number, channels: number): number {
  return channels < 3 ? data[p]! : (data[p]! * 19595 + data[p + 1]! * 38470 + data[p + 2]! * 7471 + 0x8000) >> 16;
}

/** Pillow greyscale averaged over a grid of at most `maxSide`×`maxSide` boxes (sides already at
 *  or under `maxSide` keep one box per pixel), rounded to the nearest integer. Box edges are
 *  ⌊i·n/out⌋, so every source pixel counts exactly once. One pass, no full-size grey copy. */
export function areaReduceGray(img: PixelImage, maxSide: number): GrayImage {
  const { data, width, height, channels } = img;
  const outW = Math.min(width, maxSide);
  const outH = Math.min(height, maxSide);
  const columnBox = new Int32Array(width);
  const boxWidth = new Float64Array(outW);
  for (let x = 0; x < width; x++) boxWidth[(columnBox[x] = Math.floor((x * outW) / width))]! += 1;
  const sums = new Float64Array(outW * outH);
  const rowsPerBox = new Float64Array(outH);
  for (let y = 0; y < height; y++) {
    const box = Math.floor((y * outH) / height);
    rowsPerBox[box]! += 1;
    const rowBase = box * outW;
    for (let x = 0, p = y * width * channels; x < width; x++, p += channels) sums[rowBase + columnBox[x]!]! += pillowLuma(data, p, channels);
  }
  const gray = new Uint8Array(outW * outH);
  for (let by = 0; by < outH; by++) {
    for (let bx = 0; bx < outW; bx++) gray[by * outW + bx] = Math.round(sums[by * outW + bx]! / (rowsPerBox[by]! * boxWidth[bx]!));
  }
  return { gray, width: outW, height: outH };
}

// Window PDQ hashes: candidates for copies that are not the whole frame of the original. A
// copy with a border or letterbox bars is the original once the uniform bars are trimmed; a
// slightly cropped copy is close to the centre of the original. Each image gets the PDQ of its
// trimmed frame and of its centre; the index lets any image's full-frame hash meet every other
// image's window hashes (see methods.ts, 'pdq-windows').
//
// Measured on the dev set (bench:accuracy, docs/benchmarks.md): the trimmed frame finds 86% of
// bordered and 82% of letterboxed copies; the 95% centre finds 14% of 5% crops. Windows at 85%
// (centre and four corners) found none of the 15% crops (PDQ moves ~60 bits for a 1.5% shift),
// so they are not taken: crops need a finer signal than fixed windows.
import { contentRects } from './content-rects';
import type { PixelImage } from './image';

/** Windows as [left, top, size] fractions of the trimmed frame (size of each side). */
export const WINDOWS = {
  trim: [0, 0, 1],
  centre95: [0.025, 0.025, 0.95],
} as const satisfies Record<string, readonly [number, number, number]>;
export type WindowName = keyof typeof WINDOWS;
export const WINDOW_NAMES = Object.keys(WINDOWS) as WindowName[];

/** A pixel is part of a bar when every channel is within this of the bar's colour. */
const BAR_TOLERANCE = 24;
/** Rows or columns with at most this share of other pixels still count as bar (JPEG noise). */
const BAR_OUTLIERS = 0.02;
/** Bars thinner than this share of the side are not trimmed (a photo's own dark edge). */
const MIN_BAR = 0.01;

export function cropImage(img: PixelImage, left: number, top: number, width: number, height: number): PixelImage {
  const { channels } = img;
  const data = new Uint8Array(width * height * channels);
  for (let y = 0; y < height; y++) {
    const from = ((top + y) * img.width + left) * channels;
    data.set(img.data.subarray(from, from + width * channels), y * width * channels);
  }
  return { data, width, height, channels };
}

/** The frame inside uniform bars on any side (the whole image when there are none). */
export function trimmedFrame(img: PixelImage): { left: number; top: number; width: number; height: number } {
  const { width, height, channels, data } = img;
  const colour = (x: number, y: number) => Array.from(data.subarray((y * width + x) * channels, (y * width + x) * channels + Math.min(channels, 3)));
  const isBar = (pixels: Array<[number, number]>, bar: number[]) => {
    let off = 0;
    for (const [x, y] of pixels) {
      const p = (y * width + x) * channels;
      for (let c = 0; c < bar.length; c++) {
        if (Math.abs(data[p + c]! - bar[c]!) > BAR_TOLERANCE) {
          off++;
          break;
        }
      }
    }
    return off <= BAR_OUTLIERS * pixels.length;
  };
  const row = (y: number, from: number, to: number) => Array.from({ length: to - from }, (_, k): [number, number] => [from + k, y]);
  const column = (x: number, from: number, to: number) => Array.from({ length: to - from }, (_, k): [number, number] => [x, from + k]);
  let top = 0;
  let bottom = height;
  let left = 0;
  let right = width;
  const topColour = colour(Math.floor(width / 2), 0);
  while (top < height / 3 && isBar(row(top, 0, width), topColour)) top++;
  const bottomColour = colour(Math.floor(width / 2), height - 1);
  while (height - bottom < height / 3 && isBar(row(bottom - 1, 0, width), bottomColour)) bottom--;
  const leftColour = colour(0, Math.floor(height / 2));
  while (left < width / 3 && isBar(column(left, top, bottom), leftColour)) left++;
  const rightColour = colour(width - 1, Math.floor(height / 2));
  while (width - right < width / 3 && isBar(column(right - 1, top, bottom), rightColour)) right--;
  // Thin "bars" are the photo's own edge, not padding.
  if (top < MIN_BAR * height) top = 0;
  if (height - bottom < MIN_BAR * height) bottom = height;
  if (left < MIN_BAR * width) left = 0;
  if (width - right < MIN_BAR * width) right = width;
  return { left, top, width: right - left, height: bottom - top };
}

/** Every window of `img`'s trimmed frame, in WINDOW_NAMES order. */
export function windowImages(img: PixelImage): PixelImage[] {
  const frame = trimmedFrame(img);
  return WINDOW_NAMES.map((name) => {
    const [x, y, size] = WINDOWS[name];
    const width = Math.max(1, Math.round(frame.width * size));
    const height = Math.max(1, Math.round(frame.height * size));
    const left = frame.left + Math.min(frame.width - width, Math.round(frame.width * x));
    const top = frame.top + Math.min(frame.height - height, Math.round(frame.height * y));
    return cropImage(img, left, top, width, height);
  });
}

/** The image's content rectangles (content-rects.ts), each cropped as a window. */
export function contentWindowImages(img: PixelImage): PixelImage[] {
  return contentRects(img).map(([left, top, width, height]) => cropImage(img, left, top, width, height));
}

// Content rectangles: where a photo sits inside a larger image (an app window or a phone
// screenshot around it, a caption bar under it, a mat around it, or one tile of a collage), so
// its PDQ can be taken on the photo alone (a window, see windows.ts) and meet the photo's own.
//
// Two cues, both on the decode's grey pixels:
// - a frame, bar, mat or seam is a large area of one flat colour: the bounding box of each
//   connected region of everything else is a rectangle of content (an app's icons and lines of
//   text make small or thin regions, left out);
// - tiles that touch without a seam, or a photo right under a bar, are split along straight
//   edges that cross the whole rectangle (a row or column where nearly every pixel steps).
// Rectangles that are most of the frame (the frame's own hashes cover them), thin ones and
// small ones are left out; at most MAX_CONTENT_RECTS, the largest first.
import type { PixelImage } from './image';

/** [left, top, width, height] in pixels of the image. */
export type Rect = [number, number, number, number];

export const MAX_CONTENT_RECTS = 8;
/** Neighbouring grey levels further apart than this are a step (a straight edge's pixels). */
const EDGE_LEVELS = 10;
/** A background's pixels stay this close to the level where it starts: a flat fill, and the
 *  JPEG noise in it at the decode's size. */
const FLAT_LEVELS = 4;
/** A flat area this share of the frame is a background (a bar, a mat, a seam, a viewer); an
 *  app's buttons and a photo's own flat patches are smaller. */
const MIN_BACKGROUND = 0.01;
/** A rectangle covers at least this share of each side of the frame… */
const MIN_SIDE = 0.2;
/** …and at most this share of its area (the frame's own hash and its trimmed window cover
 *  anything larger). */
const MAX_AREA = 0.9;
/** A straight edge steps at nearly every pixel across the rectangle. */
const STRAIGHT_EDGE = 0.85;

export function contentRects(img: PixelImage): Rect[] {
  const { grey, width, height, scale } = reducedLuma(img);
  const boxes: Rect[] = [];
  const add = (r: Rect) => {
    if (r[2] >= MIN_SIDE * width && r[3] >= MIN_SIDE * height && area(r) <= MAX_AREA * width * height) boxes.push(r);
  };
  const regions = regionBoxes(notBackground(grey, width), width, height).filter((r) => r[2] >= MIN_SIDE * width && r[3] >= MIN_SIDE * height);
  for (const region of regions) add(region);
  for (const region of [[0, 0, width, height] as Rect, ...regions]) {
    for (const part of splitAtStraightEdges(grey, width, region)) {
      add(part);
      for (const smaller of splitAtStraightEdges(grey, width, part)) add(smaller);
    }
  }
  return distinctLargest(boxes).map(([l, t, w, h]) => {
    const [left, top] = [l * scale, t * scale];
    return [left, top, Math.min(img.width, (l + w) * scale) - left, Math.min(img.height, (t + h) * scale) - top];
  });
}

/** Grey levels, averaged over 2×2 pixels while a side exceeds WORK_SIDE (the decode is 384 px:
 *  a quarter of the pixels to visit, and a seam of a few pixels still shows). */
function reducedLuma(img: PixelImage): { grey: Uint8Array; width: number; height: number; scale: number } {
  const { data, width, height, channels } = img;
  const scale = Math.max(width, height) > WORK_SIDE ? 2 : 1;
  const [w, h] = [Math.floor(width / scale), Math.floor(height / scale)];
  const grey = new Uint8Array(w * h);
  for (let y = 0; y < h; y++) {
    for (let x = 0; x < w; x++) {
      let sum = 0;
      for (let dy = 0; dy < scale; dy++) {
        for (let dx = 0; dx < scale; dx++) {
          const p = ((y * scale + dy) * width + x * scale + dx) * channels;
          sum += channels < 3 ? data[p]! : (data[p]! * 77 + data[p + 1]! * 150 + data[p + 2]! * 29) >> 8;
        }
      }
      grey[y * w + x] = Math.round(sum / (scale * scale));
    }
  }
  return { grey, width: w, height: h, scale };
}

/** 1 where a pixel is not part of a background: a connected area of one flat colour (within
 *  FLAT_LEVELS of where it starts) covering at least MIN_BACKGROUND of the frame. */
function notBackground(grey: Uint8Array, width: number): Uint8Array {
  const content = new Uint8Array(grey.length).fill(1);
  const seen = new Uint8Array(grey.length);
  const stack = new Int32Array(grey.length);
  const members = new Int32Array(grey.length);
  for (let start = 0; start < grey.length; start++) {
    if (seen[start]) continue;
    const low = grey[start]! - FLAT_LEVELS;
    const high = grey[start]! + FLAT_LEVELS;
    let count = 0;
    let top = 0;
    stack[top++] = start;
    seen[start] = 1;
    while (top > 0) {
      const i = stack[--top]!;
      members[count++] = i;
      const x = i % width;
      // Left, right, up, down: each joins when unseen and within the seed's levels.
      for (let n = 0; n < 4; n++) {
        const j = n === 0 ? (x > 0 ? i - 1 : -1) : n === 1 ? (x + 1 < width ? i + 1 : -1) : n === 2 ? i - width : i + width;
        if (j < 0 || j >= grey.length || seen[j]) continue;
        const v = grey[j]!;
        if (v < low || v > high) continue;
        seen[j] = 1;
        stack[top++] = j;
      }
    }
    if (count >= MIN_BACKGROUND * grey.length) for (let k = 0; k < count; k++) content[members[k]!] = 0;
  }
  return content;
}

/** Bounding boxes of the 8-connected regions of `mask`. */
function regionBoxes(mask: Uint8Array, width: number, height: number): Rect[] {
  const seen = new Uint8Array(mask.length);
  const stack = new Int32Array(mask.length);
  const boxes: Rect[] = [];
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || seen[start]) continue;
    let [x0, y0, x1, y1] = [width, height, -1, -1];
    let top = 0;
    stack[top++] = start;
    seen[start] = 1;
    while (top > 0) {
      const i = stack[--top]!;
      const x = i % width;
      const y = (i - x) / width;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      if (y > y1) y1 = y;
      for (let dy = -1; dy <= 1; dy++) {
        const ny = y + dy;
        if (ny < 0 || ny >= height) continue;
        for (let dx = -1; dx <= 1; dx++) {
          const nx = x + dx;
          if (nx < 0 || nx >= width) continue;
          const j = ny * width + nx;
          if (mask[j] && !seen[j]) {
            seen[j] = 1;
            stack[top++] = j;
          }
        }
      }
    }
    boxes.push([x0, y0, x1 - x0 + 1, y1 - y0 + 1]);
  }
  return boxes;
}

/** `r` cut at every row and column where nearly every pixel across it steps to the next one
 *  (none when there is no such edge). */
function splitAtStraightEdges(grey: Uint8Array, width: number, [left, top, w, h]: Rect): Rect[] {
  const steps = (a: number, b: number) => Math.abs(grey[a]! - grey[b]!) > EDGE_LEVELS;
  const margin = (side: number) => Math.max(2, Math.round(MIN_SIDE * side));
  const rows = [top];
  for (let y = top + margin(h); y < top + h - margin(h); y++) {
    let stepping = 0;
    for (let x = left; x < left + w; x++) if (steps(y * width + x, (y + 1) * width + x)) stepping++;
    if (stepping >= STRAIGHT_EDGE * w && y + 1 - rows.at(-1)! >= margin(h)) rows.push(y + 1);
  }
  const columns = [left];
  for (let x = left + margin(w); x < left + w - margin(w); x++) {
    let stepping = 0;
    for (let y = top; y < top + h; y++) if (steps(y * width + x, y * width + x + 1)) stepping++;
    if (stepping >= STRAIGHT_EDGE * h && x + 1 - columns.at(-1)! >= margin(w)) columns.push(x + 1);
  }
  if (rows.length === 1 && columns.length === 1) return [];
  rows.push(top + h);
  columns.push(left + w);
  const parts: Rect[] = [];
  for (let r = 0; r + 1 < rows.length; r++) {
    for (let c = 0; c + 1 < columns.length; c++) parts.push([columns[c]!, rows[r]!, columns[c + 1]! - columns[c]!, rows[r + 1]! - rows[r]!]);
  }
  return parts;
}

/** Sides above this are halved before looking (see reducedLuma). */
const WORK_SIDE = 256;
/** Two rectangles this alike (intersection over union) hash alike: one is enough. */
const SAME_RECT = 0.8;

/** Largest first, leaving out a rectangle that repeats one already kept. */
function distinctLargest(boxes: Rect[]): Rect[] {
  const kept: Rect[] = [];
  for (const box of [...boxes].sort((a, b) => area(b) - area(a))) {
    if (kept.length === MAX_CONTENT_RECTS) break;
    if (kept.every((k) => intersection(k, box) < SAME_RECT * (area(k) + area(box) - intersection(k, box)))) kept.push(box);
  }
  return kept;
}

const area = (r: Rect) => r[2] * r[3];

function intersection(a: Rect, b: Rect): number {
  const w = Math.min(a[0] + a[2], b[0] + b[2]) - Math.max(a[0], b[0]);
  const h = Math.min(a[1] + a[3], b[1] + b[3]) - Math.max(a[1], b[1]);
  return w > 0 && h > 0 ? w * h : 0;
}

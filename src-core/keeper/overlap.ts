// How much of one photo's content two aligned copies share, and at what resolution each shows
// it: the verifier's transform says who contains whom (a crop lies inside its original) and
// who shows the shared part larger (a photo scaled into a screenshot is smaller than itself).
import { apply, type PairTransform } from '../verify/pair-transform';

/** [left, top, width, height] as fractions of a frame. */
export type Box = readonly [number, number, number, number];

export interface Framed {
  width: number;
  height: number;
  /** The content inside borders, as fractions of the frame (ImageEvidence.content). */
  content?: Box;
}

export interface SharedContent {
  /** Pixels of the shared part in x, and in y. */
  inX: number;
  inY: number;
  /** Share of x's content outside the shared part, and of y's. */
  outsideX: number;
  outsideY: number;
}

const FULL: Box = [0, 0, 1, 1];

/** The content both show, given `yInX`: where y lies in x's frame (normalised coordinates). */
export function sharedContent(x: Framed, y: Framed, yInX: PairTransform): SharedContent | undefined {
  const [bx, by] = [x.content ?? FULL, y.content ?? FULL];
  const m = yInX.matrix;
  const det = Math.abs(m[0] * m[3] - m[1] * m[2]);
  if (!(det > 1e-9)) return undefined;
  const corners: Array<[number, number]> = [
    [by[0], by[1]],
    [by[0] + by[2], by[1]],
    [by[0] + by[2], by[1] + by[3]],
    [by[0], by[1] + by[3]],
  ].map(([u, v]) => apply(m, u!, v!));
  const shared = polygonArea(clipToBox(corners, bx));
  if (shared <= 0) return undefined;
  const sharedInY = shared / det;
  return {
    inX: shared * x.width * x.height,
    inY: sharedInY * y.width * y.height,
    outsideX: Math.max(0, 1 - shared / (bx[2] * bx[3])),
    outsideY: Math.max(0, 1 - sharedInY / (by[2] * by[3])),
  };
}

/** Sutherland–Hodgman against the four sides of an axis-aligned box. */
function clipToBox(polygon: Array<[number, number]>, [left, top, width, height]: Box): Array<[number, number]> {
  const sides: Array<[(p: [number, number]) => number]> = [[(p) => p[0] - left], [(p) => left + width - p[0]], [(p) => p[1] - top], [(p) => top + height - p[1]]];
  let out = polygon;
  for (const [inside] of sides) {
    const input = out;
    out = [];
    input.forEach((current, k) => {
      const previous = input[(k + input.length - 1) % input.length]!;
      const [dc, dp] = [inside(current), inside(previous)];
      if (dc >= 0 !== dp >= 0) {
        const t = dp / (dp - dc);
        out.push([previous[0] + t * (current[0] - previous[0]), previous[1] + t * (current[1] - previous[1])]);
      }
      if (dc >= 0) out.push(current);
    });
    if (out.length === 0) break;
  }
  return out;
}

function polygonArea(polygon: ReadonlyArray<[number, number]>): number {
  let twice = 0;
  polygon.forEach(([x1, y1], k) => {
    const [x2, y2] = polygon[(k + 1) % polygon.length]!;
    twice += x1 * y2 - x2 * y1;
  });
  return Math.abs(twice) / 2;
}

// Where one image of a verified pair lies in the other's frame, independent of resolution: the
// verifier aligns small grey versions, the compare view draws the full images, and the two only
// share fractions of each image's width and height.

/** An affine map in the layout of CSS `matrix()`, DOMMatrix and canvas `setTransform()`:
 *  x' = m[0]·x + m[2]·y + m[4], y' = m[1]·x + m[3]·y + m[5]. */
export type Affine = [number, number, number, number, number, number];

/** Maps normalised coordinates of b (x / width, y / height of b as displayed, EXIF orientation
 *  applied, not mirrored: (0, 0) its top-left corner, (1, 1) its bottom-right) to normalised
 *  coordinates of a. A mirror is part of `matrix` (its determinant is negative); `mirrored`
 *  says so for people. With different aspect ratios the normalised map is not a similarity:
 *  convert it with `pixelMatrix` before reading a scale or an angle off it. */
export interface PairTransform {
  mirrored: boolean;
  matrix: Affine;
}

export interface Size {
  width: number;
  height: number;
}

/** The verifier's fit x' = a·x − b·y + tx, y' = b·x + a·y + ty, from pixel positions of b
 *  (mirrored first when `mirrored`) to those of a, pixel centres at integer positions. */
export interface PixelSimilarity {
  a: number;
  b: number;
  tx: number;
  ty: number;
}

export const IDENTITY: Affine = [1, 0, 0, 1, 0, 0];

/** `p` after `q`: the map x ↦ p(q(x)). */
export function compose(p: Affine, q: Affine): Affine {
  return [p[0] * q[0] + p[2] * q[1], p[1] * q[0] + p[3] * q[1], p[0] * q[2] + p[2] * q[3], p[1] * q[2] + p[3] * q[3], p[0] * q[4] + p[2] * q[5] + p[4], p[1] * q[4] + p[3] * q[5] + p[5]];
}

export function invert(m: Affine): Affine {
  const det = m[0] * m[3] - m[1] * m[2];
  if (!Number.isFinite(det) || Math.abs(det) < 1e-12) throw new Error('the transform cannot be inverted');
  const [a, b, c, d] = [m[3] / det, -m[1] / det, -m[2] / det, m[0] / det];
  return [a, b, c, d, -(a * m[4] + c * m[5]), -(b * m[4] + d * m[5])];
}

export function apply(m: Affine, x: number, y: number): [number, number] {
  return [m[0] * x + m[2] * y + m[4], m[1] * x + m[3] * y + m[5]];
}

const scaling = (sx: number, sy: number): Affine => [sx, 0, 0, sy, 0, 0];

/** From normalised coordinates to the pixel positions the verifier's fit uses (pixel k's
 *  centre at k, so the image spans −0.5 … size − 0.5). */
const normalisedToPixels = (s: Size): Affine => [s.width, 0, 0, s.height, -0.5, -0.5];

/** The verifier's pixel fit between images of sizes `bSize` and `aSize` as a PairTransform. */
export function fromPixelSimilarity(fit: PixelSimilarity, mirrored: boolean, bSize: Size, aSize: Size): PairTransform {
  const similarity: Affine = [fit.a, fit.b, -fit.b, fit.a, fit.tx, fit.ty];
  // Mirroring b about its vertical centre line: x ↦ 1 − x in normalised coordinates.
  const mirror: Affine = mirrored ? [-1, 0, 0, 1, 1, 0] : IDENTITY;
  const matrix = compose(invert(normalisedToPixels(aSize)), compose(similarity, compose(normalisedToPixels(bSize), mirror)));
  return { mirrored, matrix };
}

/** The same alignment the other way round: a in b's frame. */
export function invertPairTransform(t: PairTransform): PairTransform {
  return { mirrored: t.mirrored, matrix: invert(t.matrix) };
}

/** The transform as stored for the pair (`from` = the stored b, `to` = the stored a) turned to
 *  map `from` into `to`'s frame: inverted when the two are asked the other way round. */
export function transformBetween(stored: { a: string; b: string; transform?: PairTransform }, from: string, to: string): PairTransform | undefined {
  if (!stored.transform) return undefined;
  if (stored.a === to && stored.b === from) return stored.transform;
  if (stored.a === from && stored.b === to) return invertPairTransform(stored.transform);
  return undefined;
}

/** The map in pixels, from b's pixels (b drawn at `bSize`, top-left corner at 0, 0) to a's
 *  (a drawn at `aSize`): what canvas setTransform and CSS matrix() take. */
export function pixelMatrix(t: PairTransform, bSize: Size, aSize: Size): Affine {
  return compose(scaling(aSize.width, aSize.height), compose(t.matrix, scaling(1 / bSize.width, 1 / bSize.height)));
}

export interface Alignment {
  /** b's pixels per pixel of a: 0.5 for a copy resized to half the size. */
  scale: number;
  /** Degrees clockwise on screen that b was turned by relative to a, in (−180, 180]. */
  rotationDeg: number;
  mirrored: boolean;
  /** Where b's top-left corner lies in a, in a's pixels. */
  offset: [number, number];
}

/** What the alignment of b onto a amounts to at the images' own sizes. */
export function alignmentOf(t: PairTransform, bSize: Size, aSize: Size): Alignment {
  const m = pixelMatrix(t, bSize, aSize);
  const det = m[0] * m[3] - m[1] * m[2];
  // Mirrored, x is flipped first: the rotation is read from the map with the flip undone.
  const r = t.mirrored ? compose(m, [-1, 0, 0, 1, 0, 0]) : m;
  // The map turns b back by what b was turned by.
  const turnedBy = -(Math.atan2(r[1], r[0]) * 180) / Math.PI;
  return { scale: 1 / Math.sqrt(Math.abs(det)), rotationDeg: turnedBy <= -180 ? turnedBy + 360 : turnedBy, mirrored: t.mirrored, offset: [m[4], m[5]] };
}

/** "scaled 0.50, rotated 3°, mirrored" — or "offset 40, 40 px" when only the frame moved. */
export function describeAlignment(alignment: Alignment): string {
  const parts: string[] = [];
  if (Math.abs(alignment.scale - 1) >= 0.01) parts.push(`scaled ${alignment.scale.toFixed(2)}`);
  if (Math.abs(alignment.rotationDeg) >= 0.5) parts.push(`rotated ${Math.round(alignment.rotationDeg)}°`);
  if (alignment.mirrored) parts.push('mirrored');
  const [x, y] = alignment.offset.map(Math.round) as [number, number];
  if (parts.length === 0) parts.push(x === 0 && y === 0 ? 'same frame' : `offset ${x}, ${y} px`);
  return parts.join(', ');
}

// The transforms of the dev set (names as in bench-data/README.md), held-out 1 (bench/heldout) and
// held-out 2 (bench/heldout2), their coarse class, and which of them keep the whole frame.

export interface TransformSpec {
  name: string;
  coarse: string;
  wholeFrame: boolean;
}

const spec = (name: string, coarse: string, wholeFrame: boolean): TransformSpec => ({ name, coarse, wholeFrame });

/** In the READMEs' order, so tables read like their transform tables. */
const TRANSFORMS: readonly TransformSpec[] = [
  spec('exact-copy', 'exact', true),
  spec('meta-strip', 'metadata', true),
  spec('meta-edit', 'metadata', true),
  spec('format-png', 'format', true),
  spec('format-webp', 'format', true),
  spec('resize-50', 'resize', true),
  spec('resize-25', 'resize', true),
  spec('jpeg-q60', 'recompress', true),
  spec('jpeg-q30', 'recompress', true),
  spec('crop-05', 'crop', false),
  spec('crop-15', 'crop', false),
  spec('brightness+25', 'colour', true),
  spec('contrast+30', 'colour', true),
  spec('rotate-3', 'rotate', false),
  spec('rotate-90', 'rotate', true),
  spec('flip-h', 'flip', true),
  spec('grayscale', 'colour', true),
  spec('overlay-datestamp', 'overlay', true),
  spec('overlay-logo', 'overlay', false),
  spec('border', 'border', false),
  spec('letterbox', 'border', false),
  spec('meta-only', 'metadata', true),
  spec('export-small', 'resize', true),
  spec('social', 'resize', true),
  spec('edit-keep-exif', 'colour', true),
  spec('reencode-higher', 'recompress', true),
  spec('png-export', 'format', true),
  spec('webp-export', 'format', true),
  spec('screenshot', 'screenshot', false),
  spec('crop-quarter', 'crop', false),
  spec('crop-quarter-mirror', 'crop+flip', false),
  spec('rotate-7-fill', 'rotate', false),
  spec('noise', 'noise', true),
  spec('blur', 'blur', true),
  spec('border-resize', 'border', false),
  spec('vignette-filter', 'colour', true),
  spec('resize-60', 'resize', true),
  spec('reencode-q80', 'recompress', true),
  spec('jpeg-q10', 'recompress', true),
  spec('upscale-2x', 'resize', true),
  spec('chroma-loss', 'colour', true),
  spec('sepia-vignette', 'colour', true),
  spec('watermark-tiled', 'overlay', true),
  spec('caption-bar', 'border', false),
  spec('phone-screenshot', 'screenshot', false),
  spec('app-window', 'screenshot', false),
  spec('crop-70-80', 'crop', false),
  spec('crop-center-65', 'crop', false),
  spec('crop-mirror', 'crop+flip', false),
  spec('rotate-5-10-fill', 'rotate', false),
  spec('perspective', 'perspective', false),
  spec('rephotographed', 'perspective', false),
];

export const ORIGINAL = 'original';

/** Specs for the transforms present in a dev set: known ones in README order, then any new
 *  ones the generator may have grown (class "other", no target) so they are not silently lost. */
export function transformsPresent(names: Iterable<string>): TransformSpec[] {
  const present = new Set(names);
  present.delete(ORIGINAL);
  const known = TRANSFORMS.filter((t) => present.delete(t.name));
  return [...known, ...[...present].sort().map((name) => spec(name, 'other', false))];
}

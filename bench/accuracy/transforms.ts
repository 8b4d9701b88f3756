// The dev set's transforms (names as in bench-data/README.md), their coarse class, and which of
// them keep the whole frame: those carry the recall target (≥ 0.95 at the default setting).

export interface TransformSpec {
  name: string;
  coarse: string;
  wholeFrame: boolean;
}

const spec = (name: string, coarse: string, wholeFrame: boolean): TransformSpec => ({ name, coarse, wholeFrame });

/** In the README's order, so tables read like its transform table. */
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

// Full-size JPEG renderings ("view images") of photos a browser cannot show, so the compare
// view can put them side by side at 1:1: a camera RAW through its largest embedded preview,
// HEVC HEIC through libheif, TIFF and the rest through sharp (first page). Runs in a hash worker.
import { createHash } from 'node:crypto';
import { mkdir, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { Sharp } from 'sharp';
import { isRawPath } from '../../src-core/image-extensions';
import { orientImage } from './decode';
import { classifyDecodeError, HashError } from './errors';
import { readExifSummary } from './exif';
import { readStableFile } from './fingerprint-file';
import { largestRawPreview } from './raw-preview';

/** Long-edge cap: more than a 4K screen shows at 1:1, and a JPEG of a few MB at most. */
export const VIEW_MAX_SIDE = 4096;
const VIEW_QUALITY = 90;

export interface ViewImage {
  jpeg: Buffer;
  width: number;
  height: number;
}

/** The file as displayed, as a JPEG no larger than VIEW_MAX_SIDE. `digest`, when given, must be
 *  the file's SHA-256: the result is cached under it, so a file that changed since it was hashed
 *  must not fill that entry with other content. */
export async function renderViewImage(path: string, digest?: string): Promise<ViewImage> {
  const { bytes } = await readStableFile(path);
  if (digest !== undefined && createHash('sha256').update(bytes).digest('hex') !== digest) {
    throw new HashError('changed', 'the file changed since it was hashed; it will be shown once it is hashed again');
  }
  const raw = isRawPath(path);
  const source = raw ? largestRawPreview(bytes) : bytes;
  try {
    const image = await orientImage(source);
    // Cameras write the shot's orientation in the RAW, seldom in the preview they embed.
    const rawOrientation = raw && image.exifOrientation === undefined ? (await readExifSummary(bytes)).orientation : undefined;
    const pipeline = rawOrientation ? applyOrientation(image.pipeline, rawOrientation) : image.pipeline;
    const { data, info } = await pipeline
      .resize({ width: VIEW_MAX_SIDE, height: VIEW_MAX_SIDE, fit: 'inside', withoutEnlargement: true })
      .jpeg({ quality: VIEW_QUALITY })
      .toBuffer({ resolveWithObject: true });
    return { jpeg: data, width: info.width, height: info.height };
  } catch (error) {
    throw error instanceof HashError ? error : classifyDecodeError(error, source);
  }
}

/** Renders the view image of `path` into `target`, through a temp file and a rename so a reader
 *  never sees half a JPEG. */
export async function writeViewImage(path: string, digest: string, target: string): Promise<void> {
  const { jpeg } = await renderViewImage(path, digest);
  const partial = `${target}.${process.pid}.tmp`;
  try {
    await mkdir(dirname(target), { recursive: true });
    await writeFile(partial, jpeg);
    await rename(partial, target);
  } catch (error) {
    await unlink(partial).catch(() => undefined);
    throw new HashError('io', `the view image could not be saved: ${(error as Error).message}`);
  }
}

const ROTATION: Record<number, number> = { 3: 180, 5: 270, 6: 90, 7: 90, 8: 270 };

/** EXIF orientation 2–8 as sharp operations (sharp mirrors before it rotates). */
function applyOrientation(pipeline: Sharp, orientation: number): Sharp {
  const mirrored = orientation === 2 || orientation === 5 || orientation === 7 ? pipeline.flop() : orientation === 4 ? pipeline.flip() : pipeline;
  const angle = ROTATION[orientation];
  return angle ? mirrored.rotate(angle) : mirrored;
}

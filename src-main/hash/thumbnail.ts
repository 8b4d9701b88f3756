// WebP thumbnails for the review UI, made from the product decode already in memory (no
// second decode) and cached on disk by content digest, so copies and moves share one file.
import { mkdir, rename, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import sharp from 'sharp';
import type { PixelImage } from '../../src-core/hash/image';

export const THUMBNAIL_SIDE = 320;
const DIGEST = /^[0-9a-f]{64}$/;

/** A SHA-256 in lowercase hex: the only names the content-addressed caches take. */
export function isDigest(text: string): boolean {
  return DIGEST.test(text);
}

/** Where the thumbnail of `digest` lives under `dir` (two-level fan-out keeps folders small). */
export function thumbnailPath(dir: string, digest: string): string {
  if (!isDigest(digest)) throw new RangeError('not a SHA-256 digest');
  return join(dir, digest.slice(0, 2), `${digest}.webp`);
}

/** Writes the thumbnail unless it exists. `pixels` may be squashed to a square (product mode):
 *  the display size restores the aspect ratio. Failures only cost the thumbnail. */
export async function ensureThumbnail(dir: string, digest: string, pixels: PixelImage, width: number, height: number): Promise<void> {
  const target = thumbnailPath(dir, digest);
  if (await exists(target)) return;
  const scale = Math.min(1, THUMBNAIL_SIDE / Math.max(width, height));
  const webp = await sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: pixels.channels as 1 | 2 | 3 | 4 } })
    .resize({ width: Math.max(1, Math.round(width * scale)), height: Math.max(1, Math.round(height * scale)), fit: 'fill' })
    .webp({ quality: 75 })
    .toBuffer();
  await mkdir(join(dir, digest.slice(0, 2)), { recursive: true });
  // Write then rename: a reader never sees half a file, and two workers racing both succeed.
  const partial = `${target}.${process.pid}.tmp`;
  await writeFile(partial, webp);
  await rename(partial, target);
}

async function exists(path: string): Promise<boolean> {
  try {
    await stat(path);
    return true;
  } catch {
    return false;
  }
}

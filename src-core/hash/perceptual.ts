// Every perceptual hash of one decoded image, computed from the same pixel buffer.
import type { DihedralHashes, Fingerprint, HashMode } from '../fingerprint';
import { areaReduceGray } from './area-reduce';
import type { PixelImage } from './image';
import { imageHashes } from './imagehash';
import { pdqHash, referenceSquash512, type PdqResult } from './pdq';
import { pdqHashFast } from './pdq-fast';
import { pillowGray } from './pillow';
import { contentWindowImages, windowImages } from './windows';

export type PerceptualHashes = Pick<
  Fingerprint,
  'pdq' | 'pdqQuality' | 'pdqDihedral' | 'pdqWindows' | 'pdqContent' | 'ahash' | 'dhash' | 'phash' | 'whash'
>;

/** Product-mode imagehash input side: every imagehash method resizes to ≤ 32 px (wHash's
 *  8×8 low band is block sums), so a 64 px area average loses nothing they use and makes the
 *  Lanczos resizes ~50× cheaper than from the full buffer. */
const PRODUCT_IMAGEHASH_SIDE = 64;

/**
 * Reference mode: `img` is the full decode; PDQ squashes it to 512×512 as the C++ reference does
 * and runs bit-exact float32, and the imagehash family resizes the full greyscale with Pillow's
 * filter, so every value equals the references'.
 * Product mode: `img` is the already downscaled decode; PDQ squashes `pdqSource` (the decode at
 * ≥ 512 px, src-main/hash/decode.ts) as the reference does and samples its blur directly (same
 * algorithm, float64); the window hashes come from `img`, and the imagehash family from a 64 px
 * area average of it.
 */
export function perceptualHashes(img: PixelImage, mode: HashMode, pdqSource: PixelImage = img): PerceptualHashes {
  let pdq: PdqResult;
  let hashes;
  let windows: string[] | undefined;
  let content: string[] | undefined;
  if (mode === 'reference') {
    pdq = pdqHash(referenceSquash512(img));
    hashes = imageHashes(pillowGray(img), img.width, img.height);
  } else {
    pdq = pdqHashFast(referenceSquash512(pdqSource));
    windows = windowImages(img).map((window) => pdqHashFast(window).dihedral.original);
    content = contentWindowImages(img).map((window) => pdqHashFast(window).dihedral.original);
    const small = areaReduceGray(img, PRODUCT_IMAGEHASH_SIDE);
    hashes = imageHashes(small.gray, small.width, small.height);
  }
  const { original, ...dihedral } = pdq.dihedral;
  return { pdq: original, pdqQuality: pdq.quality, pdqDihedral: dihedral satisfies DihedralHashes, ...(windows ? { pdqWindows: windows } : {}), ...(content ? { pdqContent: content } : {}), ...hashes };
}

// Every perceptual hash of one decoded image, computed from the same pixel buffer.
import type { DihedralHashes, Fingerprint, HashMode } from '../fingerprint';
import type { PixelImage } from './image';
import { imageHashes } from './imagehash';
import { pdqHash, referenceSquash512 } from './pdq';
import { pillowGray } from './pillow';

export type PerceptualHashes = Pick<
  Fingerprint,
  'pdq' | 'pdqQuality' | 'pdqDihedral' | 'ahash' | 'dhash' | 'phash' | 'whash'
>;

/** In reference mode `img` is the full decode and PDQ first squashes it to 512×512 as the
 *  C++ reference does; in product mode `img` is already downscaled and hashed as is. */
export function perceptualHashes(img: PixelImage, mode: HashMode): PerceptualHashes {
  const pdq = pdqHash(mode === 'reference' ? referenceSquash512(img) : img);
  const { original, ...dihedral } = pdq.dihedral;
  const gray = pillowGray(img);
  return {
    pdq: original,
    pdqQuality: pdq.quality,
    pdqDihedral: dihedral satisfies DihedralHashes,
    ...imageHashes(gray, img.width, img.height),
  };
}

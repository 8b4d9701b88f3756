// Everything the verifier needs of one image, computed once per content and reused by every
// pair it is in: the small grey image and its ORB features, and (when a pair first needs them)
// those of its mirror image: a flipped copy is checked against the mirror of the other image.
import { detectFeatures, type Features } from './features';
import { mirrorHorizontally, type GreyImage } from './grey-image';
import type { OpenCv } from './opencv';

export interface ImageFeatures {
  grey: GreyImage;
  direct: Features;
  /** Detected on the mirrored grey image (a mirror's keypoints are not exactly the mirrored
   *  keypoints: the pyramid and the FAST ring are not symmetric), by mirroredFeatures the
   *  first time a pair tries the mirror: about a third of the dev set's images ever need it. */
  mirrored?: Features;
}

/** An image's mirror, made once (the verifier compares against it in every pair that tries
 *  the mirror; the blur of it is cached with it, see photometric.ts). */
const mirrors = new WeakMap<GreyImage, GreyImage>();

export function mirroredGrey(grey: GreyImage): GreyImage {
  let mirror = mirrors.get(grey);
  if (!mirror) mirrors.set(grey, (mirror = mirrorHorizontally(grey)));
  return mirror;
}

export function extractFeatures(cv: OpenCv, grey: GreyImage): ImageFeatures {
  return { grey, direct: detectFeatures(cv, grey) };
}

/** The mirror's features, detected on first use and kept in `f`. */
export function mirroredFeatures(cv: OpenCv, f: ImageFeatures): Features {
  return (f.mirrored ??= detectFeatures(cv, mirroredGrey(f.grey)));
}

/** Memory an entry holds, for the caches' byte bounds, counting what pairs may add to it: the
 *  mirror's features (as many as the direct ones), and the mirror and the blurs of both (the
 *  grey pixels four times). */
export function featureBytes(f: ImageFeatures): number {
  const bytes = f.direct.points.byteLength + f.direct.descriptors.byteLength;
  return 4 * f.grey.data.byteLength + 2 * bytes;
}

// Everything the verifier needs of one image, computed once per content and reused by every
// pair it is in: the small grey image and its ORB features, and those of its mirror image
// (a flipped copy is checked against the mirror of the other image).
import { detectFeatures, type Features } from './features';
import { mirrorHorizontally, type GreyImage } from './grey-image';
import type { OpenCv } from './opencv';

export interface ImageFeatures {
  grey: GreyImage;
  direct: Features;
  /** Detected on the mirrored grey image: a mirror's keypoints are not exactly the mirrored
   *  keypoints (the pyramid and the FAST ring are not symmetric), and verdicts must not change. */
  mirrored: Features;
}

/** Both feature sets, detected now: what the caches keep, for every pair the image is in. */
export function extractFeatures(cv: OpenCv, grey: GreyImage): ImageFeatures {
  return { grey, direct: detectFeatures(cv, grey), mirrored: detectFeatures(cv, mirrorHorizontally(grey)) };
}

/** The mirror's features detected only when asked for: a single pair needs them only when the
 *  direct alignment fails. */
export function lazyFeatures(cv: OpenCv, grey: GreyImage): ImageFeatures {
  const direct = detectFeatures(cv, grey);
  let mirrored: Features | undefined;
  return {
    grey,
    direct,
    get mirrored() {
      return (mirrored ??= detectFeatures(cv, mirrorHorizontally(grey)));
    },
  };
}

/** Memory an entry holds, for the caches' byte bounds. */
export function featureBytes(f: ImageFeatures): number {
  const of = (x: Features) => x.points.byteLength + x.descriptors.byteLength;
  return f.grey.data.byteLength + of(f.direct) + of(f.mirrored);
}

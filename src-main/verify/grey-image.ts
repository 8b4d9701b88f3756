// The verifier's input: a small 8-bit luminance image. Small keeps one verification well
// under 50 ms; 320 px is also the size of the cached review thumbnails, so those load as is.
import sharp from 'sharp';

export interface GreyImage {
  width: number;
  height: number;
  /** 8-bit luminance, row-major, `width * height` bytes. */
  data: Uint8Array;
}

export const DEFAULT_LONG_SIDE = 320;

/** Decodes (EXIF orientation applied), drops colour and alpha, and scales so the long side is
 *  `longSide`, up or down: both images of a pair then show the scene at comparable sizes. */
export async function loadGrey(input: Buffer | string, longSide = DEFAULT_LONG_SIDE): Promise<GreyImage> {
  const { data, info } = await sharp(input, { failOn: 'truncated', autoOrient: true })
    .flatten()
    .greyscale()
    .resize({ width: longSide, height: longSide, fit: 'inside' })
    .raw()
    .toBuffer({ resolveWithObject: true });
  if (info.channels !== 1) throw new Error(`expected one grey channel, sharp gave ${info.channels}`);
  return { width: info.width, height: info.height, data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength) };
}

export function mirrorHorizontally(image: GreyImage): GreyImage {
  const { width, height, data } = image;
  const out = new Uint8Array(data.length);
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) out[row + x] = data[row + width - 1 - x]!;
  }
  return { width, height, data: out };
}

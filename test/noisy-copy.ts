// A copy of a photo with Gaussian noise added, as the "added noise" edit of the keeper tests.
import sharp from 'sharp';

/** The photo's pixels with Gaussian noise of `sigma` grey levels added to every channel (a
 *  fixed-seed generator, so the copy is the same every run), saved as a quality-95 JPEG. */
export async function withGaussianNoise(photo: string | Buffer, sigma: number): Promise<Buffer> {
  const { data, info } = await sharp(photo).raw().toBuffer({ resolveWithObject: true });
  let seed = 12345;
  const uniform = () => {
    seed = (seed * 1103515245 + 12345) >>> 0;
    return (seed + 1) / 4294967297;
  };
  for (let k = 0; k < data.length; k++) {
    const gaussian = Math.sqrt(-2 * Math.log(uniform())) * Math.cos(2 * Math.PI * uniform());
    data[k] = Math.max(0, Math.min(255, Math.round(data[k]! + sigma * gaussian)));
  }
  return sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } }).jpeg({ quality: 95 }).toBuffer();
}

// The embedding code of a fingerprint, from the pixels the product decode already holds.
// The model (onnxruntime, mobilenet.ts) is loaded on first use: a worker that only hashes
// never pays for it.
import sharp from 'sharp';
import type { PixelImage } from '../../src-core/hash/image';

export async function embeddingCodeOf(pixels: PixelImage): Promise<string> {
  const [{ embedPixels, DEFAULT_INPUT_SIZE }, { embeddingCode }] = await Promise.all([import('./mobilenet'), import('../../src-core/similarity/embedding-code')]);
  // The same squash to the model's square that embedFile makes (the decode is squashed already).
  const rgb = await sharp(pixels.data, { raw: { width: pixels.width, height: pixels.height, channels: pixels.channels as 1 | 2 | 3 | 4 } })
    .resize(DEFAULT_INPUT_SIZE, DEFAULT_INPUT_SIZE, { fit: 'fill' })
    .removeAlpha()
    .toColourspace('srgb')
    .raw()
    .toBuffer();
  return embeddingCode(await embedPixels(new Uint8Array(rgb.buffer, rgb.byteOffset, rgb.byteLength), DEFAULT_INPUT_SIZE, DEFAULT_INPUT_SIZE));
}

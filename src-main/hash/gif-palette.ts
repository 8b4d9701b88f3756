// Reference-mode GIF decoding. Pillow's convert("RGB") gives transparent pixels the RGB of
// their palette entry; libvips gives them (0,0,0,0). To reproduce the references we blit the
// first frame with omggif over a canvas pre-filled with that palette colour (omggif leaves
// transparent pixels untouched).
import { GifReader } from 'omggif';
import type { PixelImage } from '../../src-core/hash/image';

export function decodeGifWithPaletteTransparency(bytes: Buffer): PixelImage | undefined {
  const reader = new GifReader(bytes);
  const frame = reader.frameInfo(0);
  if (frame.transparent_index === null || frame.palette_offset === null) return undefined;
  const entry = frame.palette_offset + 3 * frame.transparent_index;
  const fill = [bytes[entry]!, bytes[entry + 1]!, bytes[entry + 2]!];
  const { width, height } = reader;
  const rgba = new Uint8Array(width * height * 4);
  for (let i = 0; i < rgba.length; i += 4) rgba.set(fill, i);
  reader.decodeAndBlitFrameRGBA(0, rgba);
  const rgb = new Uint8Array(width * height * 3);
  for (let p = 0, q = 0; p < rgba.length; p += 4, q += 3) {
    rgb[q] = rgba[p]!;
    rgb[q + 1] = rgba[p + 1]!;
    rgb[q + 2] = rgba[p + 2]!;
  }
  return { data: rgb, width, height, channels: 3 };
}

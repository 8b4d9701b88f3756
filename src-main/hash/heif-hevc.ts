// HEIC/HEIF with HEVC-coded images (what phones write): sharp's prebuilt libvips reads only
// AV1-coded HEIF, so the primary image is decoded by libheif compiled to WebAssembly
// (heic-decode → libheif-js), then hashed like any other decode. libheif applies the
// container's rotation and mirroring, so the pixels come out as displayed.
import { HashError } from './errors';

export interface RgbaImage {
  width: number;
  height: number;
  data: Uint8Array;
}

export async function decodeHevcHeif(bytes: Buffer): Promise<RgbaImage> {
  const { default: decode } = await import('heic-decode');
  try {
    const image = await decode({ buffer: bytes });
    return { width: image.width, height: image.height, data: new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength) };
  } catch (error) {
    throw new HashError('corrupt', `HEIF (HEVC) image could not be decoded: ${(error as Error)?.message ?? String(error)}`);
  }
}

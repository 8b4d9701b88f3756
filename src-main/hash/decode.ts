// Decoding with sharp: one decode per file, into an 8-bit interleaved pixel buffer that
// every hasher reads. Two modes (see HashMode): product (shrink-on-load, EXIF orientation)
// and reference (full size, no orientation, embedded ICC ignored as Pillow/ImageMagick do).
// orientImage is the shared first step for whatever shows the image as displayed.
import sharp, { type Metadata, type Sharp } from 'sharp';
import type { HashMode } from '../../src-core/fingerprint';
import type { PixelImage } from '../../src-core/hash/image';
import { HashError } from './errors';
import { decodeGifWithPaletteTransparency } from './gif-palette';
import { decodeHevcHeif } from './heif-hevc';

/** Largest side fed to the hashers in product mode. PDQ reduces every image to 64×64; from
 *  384 px its hash is as close to the reference as from 512 (median 2, max 6 bits on the
 *  reference photos) and decoding is ~20% cheaper. Thumbnails (≤ 320 px) come from it too. */
export const PRODUCT_MAX_SIDE = 384;

/** PDQ's reference squashes to a 512×512 grid by nearest neighbour, and its hash follows the
 *  pixels those samples hit. Product mode feeds PDQ the JPEG decode scale (1, 1/2, 1/4, 1/8)
 *  whose sides stay at or above this, then squashes as the reference does: within 6 bits of
 *  the reference on every real photo tried, where a smooth 384 px shrink was up to 10 off
 *  (docs/hash-definitions.md, "Product mode"). */
export const PDQ_SOURCE_MIN_SIDE = 512;

/** Decompression-bomb guard: 200 MP covers every camera sold today (≈ 14000×14000). */
export const MAX_INPUT_PIXELS = 200_000_000;

// One libvips thread per worker process: the pool parallelises across processes, and
// sharp's cache only costs memory when every file is seen once.
sharp.concurrency(1);
sharp.cache(false);

// failOn 'truncated': tolerate benign warnings of real-world files but never decode a file
// whose pixel data ends early (libvips would fill the rest with grey).
const INPUT = { failOn: 'truncated', limitInputPixels: MAX_INPUT_PIXELS } as const;

export interface DecodedImage {
  pixels: PixelImage;
  /** Product mode: the image as displayed at the decode scale PDQ starts from (PDQ_SOURCE_MIN_SIDE). */
  pdqSource?: PixelImage;
  /** Size of the image as displayed (after orientation, before downscaling). */
  width: number;
  height: number;
  format: string;
  pages: number;
}

/** An image as displayed, not yet decoded: a sharp pipeline to resize and encode. */
export interface OrientedImage {
  pipeline: Sharp;
  /** Size as displayed (0 when the header does not say: the decode tells). */
  width: number;
  height: number;
  format: string;
  pages: number;
  /** The EXIF orientation the pipeline applies; undefined when the file has none (HEIF: libheif
   *  applies the container's rotation itself). */
  exifOrientation?: number;
}

export async function decodeImage(bytes: Buffer, mode: HashMode): Promise<DecodedImage> {
  const meta = await sharp(bytes, INPUT).metadata();
  if (mode === 'product' || isHevcHeif(meta)) {
    // Product mode: one decode, a JPEG at 1/2, 1/4 or 1/8 scale in the DCT domain (shrink-on-
    // load) as long as PDQ's source keeps PDQ_SOURCE_MIN_SIDE. The other hashers get it squashed
    // to a PRODUCT_MAX_SIDE square (the imagehash family squashes to a square anyway); a linear
    // kernel is ~10% faster than lanczos3 and its output is blurred again by every hasher.
    const image = await orient(bytes, meta);
    if (mode === 'reference') return toDecoded(image.pipeline, image.width, image.height, image.format, image.pages);
    const scale = meta.format === 'jpeg' ? jpegScaleAtLeast(image.width, image.height, PDQ_SOURCE_MIN_SIDE) : 1;
    const sourcePipeline = scale > 1 ? image.pipeline.resize({ width: Math.ceil(image.width / scale), height: Math.ceil(image.height / scale), fit: 'fill', kernel: 'linear' }) : image.pipeline;
    const source = await toDecoded(sourcePipeline, image.width, image.height, image.format, image.pages);
    const { width, height, channels } = source.pixels;
    if (width <= PRODUCT_MAX_SIDE && height <= PRODUCT_MAX_SIDE) return { ...source, pdqSource: source.pixels };
    const squashed = sharp(source.pixels.data, { raw: { width, height, channels: channels as 1 | 2 | 3 | 4 } }).resize({ width: PRODUCT_MAX_SIDE, height: PRODUCT_MAX_SIDE, fit: 'fill', kernel: 'linear' });
    return { ...(await toDecoded(squashed, image.width, image.height, image.format, image.pages)), pdqSource: source.pixels };
  }
  const format = meta.format ?? 'unknown';
  const gifPixels = format === 'gif' ? paletteGif(bytes) : undefined;
  if (gifPixels) return { pixels: gifPixels, width: gifPixels.width, height: gifPixels.height, format, pages: meta.pages ?? 1 };
  return toDecoded(sharp(bytes, { ...INPUT, ignoreIcc: true }), meta.width ?? 0, meta.height ?? 0, format, meta.pages ?? 1);
}

/** Any readable image as displayed: EXIF orientation applied, first frame or page, HEVC HEIF
 *  decoded by libheif. The product decode and the full-size view images both start here. */
export async function orientImage(bytes: Buffer): Promise<OrientedImage> {
  return orient(bytes, await sharp(bytes, INPUT).metadata());
}

async function orient(bytes: Buffer, meta: Metadata): Promise<OrientedImage> {
  const pages = meta.pages ?? 1;
  if (isHevcHeif(meta)) {
    // Checked before decoding: libheif has no pixel limit of its own.
    if ((meta.width ?? 0) * (meta.height ?? 0) > MAX_INPUT_PIXELS) throw new HashError('too-large', 'the image is larger than the pixel limit (possible decompression bomb); not decoded');
    const image = await decodeHevcHeif(bytes);
    return { pipeline: sharp(image.data, { raw: { width: image.width, height: image.height, channels: 4 } }), width: image.width, height: image.height, format: 'heif', pages };
  }
  const swapsSides = (meta.orientation ?? 1) >= 5;
  const width = (swapsSides ? meta.height : meta.width) ?? 0;
  const height = (swapsSides ? meta.width : meta.height) ?? 0;
  return { pipeline: sharp(bytes, { ...INPUT, autoOrient: true }), width, height, format: meta.format ?? 'unknown', pages, exifOrientation: meta.orientation };
}

/** The largest libjpeg decode scale (1/1, 1/2, 1/4, 1/8) keeping both sides ≥ `minSide`, as
 *  its divisor: libvips decodes a JPEG resized to exactly ⌈side/scale⌉ at that scale. */
function jpegScaleAtLeast(width: number, height: number, minSide: number): number {
  let scale = 1;
  while (scale < 8 && Math.ceil(width / (scale * 2)) >= minSide && Math.ceil(height / (scale * 2)) >= minSide) scale *= 2;
  return scale;
}

/** HEVC-coded HEIF (phones): sharp's libvips cannot decode it, libheif in WebAssembly can. */
function isHevcHeif(meta: Metadata): boolean {
  return meta.format === 'heif' && meta.compression === 'hevc';
}

async function toDecoded(pipeline: Sharp, width: number, height: number, format: string, pages: number): Promise<DecodedImage> {
  const { data, info } = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
  return {
    pixels: {
      data: new Uint8Array(data.buffer, data.byteOffset, data.byteLength),
      width: info.width,
      height: info.height,
      channels: info.channels,
    },
    width: width || info.width,
    height: height || info.height,
    format,
    pages,
  };
}

/** A GIF omggif cannot parse still goes to libvips, whose errors we know how to classify. */
function paletteGif(bytes: Buffer): PixelImage | undefined {
  try {
    return decodeGifWithPaletteTransparency(bytes);
  } catch {
    return undefined;
  }
}

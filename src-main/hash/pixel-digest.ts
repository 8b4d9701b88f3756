// "Same pixels": two JPEG files whose compressed image data is identical decode to identical
// pixels, whatever their metadata (EXIF, XMP, comments, thumbnails). The digest covers every
// segment that defines pixels (quantisation and Huffman tables, frame header, restart
// interval, the scans) and skips the application segments (APP0–APP15) and comments.
//
// "Same decode" (decodeKey) is stricter: what the product decode reads, so two files with the
// same key give the same fingerprint but for the file's own fields (path, digest, EXIF…), and
// the second needs no decode. It keeps the colour profile (APP2) and the Adobe colour
// transform (APP14), the EXIF orientation, and covers PNG and WebP too.
import { createHash } from 'node:crypto';

const END_OF_IMAGE = Buffer.from([0xff, 0xd9]);
const APP2_ICC = 0xe2;
const APP14_ADOBE = 0xee;

/** SHA-256 of the pixel-defining data of a baseline/progressive JPEG, or undefined when `bytes`
 *  is not a JPEG this parser understands (no error: the digest is an extra). */
export function jpegPixelDigest(bytes: Buffer): string | undefined {
  return jpegDigest(bytes, isMetadataMarker);
}

function isMetadataMarker(marker: number): boolean {
  return (marker >= 0xe0 && marker <= 0xef) || marker === 0xfe;
}

/** Hashes the segments `skip` does not name, from the start of image to its end marker. */
function jpegDigest(bytes: Buffer, skip: (marker: number) => boolean): string | undefined {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  const hash = createHash('sha256');
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte
      continue;
    }
    const length = bytes.readUInt16BE(at + 2);
    if (length < 2 || at + 2 + length > bytes.length) return undefined;
    if (marker === 0xda) {
      // Start of scan: everything from here to the end-of-image marker (entropy-coded data, later
      // scans) is image data; bytes after it (a backup tool's or a download's trailer) are not.
      // Entropy-coded data cannot hold FF D9: its FF bytes are stuffed or restart markers.
      const end = bytes.indexOf(END_OF_IMAGE, at);
      hash.update(bytes.subarray(at, end < 0 ? bytes.length : end + 2));
      return hash.digest('hex');
    }
    if (!skip(marker)) hash.update(bytes.subarray(at, at + 2 + length));
    at += 2 + length;
  }
  return undefined;
}

/** Files with the same key decode to the same pixels in product mode (the format's image data
 *  and what changes its colours or orientation; not text metadata nor bytes after the image's
 *  end), or undefined for formats and files this does not parse. `orientation`: the EXIF
 *  orientation a JPEG's decode applies (its APP1 is otherwise left out, so edited EXIF fields
 *  keep the key). */
export function decodeKey(bytes: Buffer, orientation: number | undefined): string | undefined {
  const jpeg = jpegDigest(bytes, (marker) => isMetadataMarker(marker) && marker !== APP2_ICC && marker !== APP14_ADOBE);
  if (jpeg) return `jpeg:${orientation ?? 1}:${jpeg}`;
  const png = pngDigest(bytes);
  if (png) return `png:${png}`;
  const webp = webpDigest(bytes);
  return webp ? `webp:${webp}` : undefined;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);
/** Text and time chunks: nothing a decoder reads (eXIf stays in: it may orient the image). */
const PNG_TEXT_CHUNKS = new Set(['tEXt', 'zTXt', 'iTXt', 'tIME']);

/** The signature and every chunk but text and time, up to IEND. */
function pngDigest(bytes: Buffer): string | undefined {
  if (bytes.length < 8 || !bytes.subarray(0, 8).equals(PNG_SIGNATURE)) return undefined;
  const hash = createHash('sha256').update(PNG_SIGNATURE);
  for (let at = 8; at + 12 <= bytes.length; ) {
    const length = bytes.readUInt32BE(at);
    const end = at + 12 + length;
    if (end > bytes.length) return undefined;
    const type = bytes.toString('latin1', at + 4, at + 8);
    if (!PNG_TEXT_CHUNKS.has(type)) hash.update(bytes.subarray(at, end));
    if (type === 'IEND') return hash.digest('hex');
    at = end;
  }
  return undefined;
}

/** Every chunk of the RIFF container but XMP, within the length its header gives. */
function webpDigest(bytes: Buffer): string | undefined {
  if (bytes.length < 12 || bytes.toString('latin1', 0, 4) !== 'RIFF' || bytes.toString('latin1', 8, 12) !== 'WEBP') return undefined;
  const riffEnd = 8 + bytes.readUInt32LE(4);
  if (riffEnd > bytes.length) return undefined;
  const hash = createHash('sha256').update('WEBP');
  let chunks = 0;
  for (let at = 12; at + 8 <= riffEnd; chunks++) {
    const size = bytes.readUInt32LE(at + 4);
    const end = at + 8 + size + (size & 1);
    if (at + 8 + size > riffEnd) return undefined;
    if (bytes.toString('latin1', at, at + 4) !== 'XMP ') hash.update(bytes.subarray(at, Math.min(end, riffEnd)));
    at = end;
  }
  return chunks > 0 ? hash.digest('hex') : undefined;
}

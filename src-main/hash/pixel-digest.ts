// "Same pixels": two JPEG files whose compressed image data is identical decode to identical
// pixels, whatever their metadata (EXIF, XMP, comments, thumbnails). The digest covers every
// segment that defines pixels (quantisation and Huffman tables, frame header, restart
// interval, the scans) and skips the application segments (APP0–APP15) and comments.
import { createHash } from 'node:crypto';

const END_OF_IMAGE = Buffer.from([0xff, 0xd9]);

/** SHA-256 of the pixel-defining data of a baseline/progressive JPEG, or undefined when `bytes`
 *  is not a JPEG this parser understands (no error: the digest is an extra). */
export function jpegPixelDigest(bytes: Buffer): string | undefined {
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
    const isMetadata = (marker >= 0xe0 && marker <= 0xef) || marker === 0xfe;
    if (marker === 0xda) {
      // Start of scan: everything from here to the end-of-image marker (entropy-coded data, later
      // scans) is image data; bytes after it (a backup tool's or a download's trailer) are not.
      // Entropy-coded data cannot hold FF D9: its FF bytes are stuffed or restart markers.
      const end = bytes.indexOf(END_OF_IMAGE, at);
      hash.update(bytes.subarray(at, end < 0 ? bytes.length : end + 2));
      return hash.digest('hex');
    }
    if (!isMetadata) hash.update(bytes.subarray(at, at + 2 + length));
    at += 2 + length;
  }
  return undefined;
}

// Camera RAW files: Doppel fingerprints the largest JPEG preview the camera embedded (every
// RAW format carries one for the camera's own screen), never the sensor data. Containers:
// - TIFF-based (DNG, CR2, NEF, ARW, ORF, RW2, …): JPEGs referenced from any IFD (the IFD chain
//   and SubIFDs), either as JPEGInterchangeFormat/Length or as a JPEG-compressed strip;
// - CR3 (ISO base media): the PRVW box's JPEG;
// - RAF (Fujifilm): the JPEG offset and length in its header.
import { HashError } from './errors';

interface Span {
  offset: number;
  length: number;
}

/** The largest embedded JPEG preview, or an `unsupported` error saying none was found (a
 *  container too damaged to walk is `corrupt`). */
export function largestRawPreview(bytes: Buffer): Buffer {
  try {
    return findLargestPreview(bytes);
  } catch (error) {
    if (error instanceof HashError) throw error;
    throw new HashError('corrupt', `camera RAW file could not be read: ${(error as Error).message}`);
  }
}

function findLargestPreview(bytes: Buffer): Buffer {
  const spans = bytes.subarray(0, 15).toString('latin1') === 'FUJIFILMCCD-RAW' ? rafPreviews(bytes) : bytes.subarray(4, 8).toString('latin1') === 'ftyp' ? cr3Previews(bytes) : tiffPreviews(bytes);
  const jpegs = spans.filter((s) => s.length > 4 && s.offset + s.length <= bytes.length && bytes[s.offset] === 0xff && bytes[s.offset + 1] === 0xd8 && !isLosslessJpeg(bytes, s));
  if (jpegs.length === 0) throw new HashError('unsupported', 'camera RAW file without an embedded JPEG preview Doppel can read');
  const largest = jpegs.reduce((a, b) => (b.length > a.length ? b : a));
  return bytes.subarray(largest.offset, largest.offset + largest.length);
}

/** Lossless JPEG (SOF3) holds sensor data in DNG/CR2: not a preview, and not decodable here. */
function isLosslessJpeg(bytes: Buffer, span: Span): boolean {
  const end = Math.min(span.offset + 4096, span.offset + span.length);
  for (let i = span.offset + 2; i + 1 < end; i++) if (bytes[i] === 0xff && bytes[i + 1] === 0xc3) return true;
  return false;
}

const TAG = { subfileType: 254, compression: 259, stripOffsets: 273, stripByteCounts: 279, subIfds: 330, jpegOffset: 513, jpegLength: 514 };

function tiffPreviews(bytes: Buffer): Span[] {
  const order = bytes.subarray(0, 2).toString('latin1');
  if (order !== 'II' && order !== 'MM') return [];
  const little = order === 'II';
  const u16 = (at: number) => (little ? bytes.readUInt16LE(at) : bytes.readUInt16BE(at));
  const u32 = (at: number) => (little ? bytes.readUInt32LE(at) : bytes.readUInt32BE(at));
  const inside = (at: number, size: number) => at >= 0 && at + size <= bytes.length;
  const spans: Span[] = [];
  const seen = new Set<number>();
  const pending = [u32(4)];
  // ORF and RW2 use other magic numbers but the same IFD layout.
  while (pending.length > 0 && seen.size < 64) {
    const ifd = pending.pop()!;
    if (ifd === 0 || seen.has(ifd) || !inside(ifd, 2)) continue;
    seen.add(ifd);
    const count = u16(ifd);
    if (!inside(ifd + 2, count * 12 + 4)) continue;
    const values = new Map<number, number[]>();
    for (let e = 0; e < count; e++) {
      const entry = ifd + 2 + e * 12;
      const tag = u16(entry);
      const type = u16(entry + 2);
      const n = u32(entry + 4);
      const size = type === 3 ? 2 : type === 4 || type === 13 ? 4 : 0;
      if (size === 0 || n === 0 || n > 4096) continue;
      const at = n * size <= 4 ? entry + 8 : u32(entry + 8);
      if (!inside(at, n * size)) continue;
      values.set(tag, Array.from({ length: n }, (_, k) => (size === 2 ? u16(at + k * 2) : u32(at + k * 4))));
    }
    const jpegOffset = values.get(TAG.jpegOffset)?.[0];
    const jpegLength = values.get(TAG.jpegLength)?.[0];
    if (jpegOffset !== undefined && jpegLength !== undefined) spans.push({ offset: jpegOffset, length: jpegLength });
    const compression = values.get(TAG.compression)?.[0];
    const strips = values.get(TAG.stripOffsets);
    const stripLengths = values.get(TAG.stripByteCounts);
    if ((compression === 6 || compression === 7) && strips?.length === 1 && stripLengths?.length === 1) spans.push({ offset: strips[0]!, length: stripLengths[0]! });
    pending.push(...(values.get(TAG.subIfds) ?? []), u32(ifd + 2 + count * 12));
  }
  return spans;
}

/** CR3: boxes are searched for Canon's PRVW box (size, 'PRVW', 4 + 2 + 2 + 2 + 2 + 4 bytes of
 *  header, then the JPEG of the stated length). */
function cr3Previews(bytes: Buffer): Span[] {
  const spans: Span[] = [];
  for (let at = bytes.indexOf('PRVW', 0, 'latin1'); at >= 0; at = bytes.indexOf('PRVW', at + 4, 'latin1')) {
    const header = at + 4;
    if (header + 16 > bytes.length) break;
    const length = bytes.readUInt32BE(header + 12);
    spans.push({ offset: header + 16, length });
  }
  return spans;
}

/** RAF: big-endian JPEG offset and length at bytes 84 and 88 of the header. */
function rafPreviews(bytes: Buffer): Span[] {
  if (bytes.length < 92) return [];
  return [{ offset: bytes.readUInt32BE(84), length: bytes.readUInt32BE(88) }];
}

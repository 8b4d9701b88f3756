// The IJG quality a JPEG was saved at, read back from its luminance quantisation table. libjpeg
// (and libjpeg-turbo, mozjpeg, sharp, Pillow, ImageMagick, most editors) scales one standard
// table by the quality, so a re-save at a lower quality shows in the table whatever the pixels
// look like. Cameras use tables of their own: for them the result is the nearest IJG quality.

/** The standard luminance table (ITU-T T.81 Annex K, table K.1), in natural (row-major) order. */
const STANDARD_LUMINANCE = [
  16, 11, 10, 16, 24, 40, 51, 61, 12, 12, 14, 19, 26, 58, 60, 55, 14, 13, 16, 24, 40, 57, 69, 56, 14, 17, 22, 29, 51, 87, 80, 62, 18, 22, 37, 56, 68, 109, 103, 77, 24, 35, 55, 64, 81, 104, 113, 92, 49, 64, 78, 87, 103, 121, 120, 101, 72, 92, 95, 98, 112, 100, 103, 99,
];

/** Natural-order index of each zigzag position: DQT segments store tables in zigzag order. */
const ZIGZAG_TO_NATURAL = [
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42, 49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
];

/** The standard table in zigzag order, scaled as libjpeg's jpeg_set_quality does for quality q.
 *  Baseline (8-bit) tables are clamped to 255, 16-bit ones to 32767 (jpeg_add_quant_table). */
function scaledTable(quality: number, max: number): number[] {
  const scale = quality < 50 ? Math.floor(5000 / quality) : 200 - 2 * quality;
  return ZIGZAG_TO_NATURAL.map((natural) => Math.min(max, Math.max(1, Math.floor((STANDARD_LUMINANCE[natural]! * scale + 50) / 100))));
}

const SCALED_8BIT = Array.from({ length: 100 }, (_, k) => scaledTable(k + 1, 255));
const SCALED_16BIT = Array.from({ length: 100 }, (_, k) => scaledTable(k + 1, 32767));

/** The IJG quality (1..100) whose scaled standard table is nearest (sum of absolute
 *  differences) to the file's luminance table: exact for files libjpeg and its forks wrote.
 *  Undefined when the bytes are not a JPEG or no table 0 is defined before the first scan. */
export function jpegQuality(bytes: Uint8Array): number | undefined {
  const table = luminanceTable(bytes);
  if (!table) return undefined;
  const candidates = table.precision16 ? SCALED_16BIT : SCALED_8BIT;
  let best = 0;
  let bestDistance = Infinity;
  candidates.forEach((candidate, index) => {
    let distance = 0;
    for (let k = 0; k < 64; k++) distance += Math.abs(candidate[k]! - table.values[k]!);
    if (distance < bestDistance) {
      bestDistance = distance;
      best = index + 1;
    }
  });
  return best;
}

interface QuantTable {
  /** Zigzag order, as stored. */
  values: number[];
  precision16: boolean;
}

/** Table 0 of the first DQT that defines it. The search stops at the first scan (SOS): the
 *  tables its components use are fixed by then, and what follows is entropy-coded data. */
function luminanceTable(bytes: Uint8Array): QuantTable | undefined {
  if (bytes.length < 4 || bytes[0] !== 0xff || bytes[1] !== 0xd8) return undefined;
  let at = 2;
  while (at + 4 <= bytes.length) {
    if (bytes[at] !== 0xff) return undefined;
    const marker = bytes[at + 1]!;
    if (marker === 0xff) {
      at++; // fill byte before a marker
      continue;
    }
    if (marker === 0x01 || (marker >= 0xd0 && marker <= 0xd7)) {
      at += 2; // TEM and RSTn carry no length
      continue;
    }
    if (marker === 0xd9 || marker === 0xda) return undefined;
    const length = (bytes[at + 2]! << 8) | bytes[at + 3]!;
    const end = at + 2 + length;
    if (length < 2 || end > bytes.length) return undefined;
    if (marker === 0xdb) {
      const table = tableZeroIn(bytes, at + 4, end);
      if (table) return table;
    }
    at = end;
  }
  return undefined;
}

/** A DQT segment holds one or more tables, each a Pq/Tq byte then 64 8-bit or 16-bit values. */
function tableZeroIn(bytes: Uint8Array, from: number, end: number): QuantTable | undefined {
  let at = from;
  while (at < end) {
    const precision16 = bytes[at]! >> 4 === 1;
    const id = bytes[at]! & 0x0f;
    const size = precision16 ? 128 : 64;
    if (at + 1 + size > end) return undefined;
    if (id === 0) {
      const values = Array.from({ length: 64 }, (_, k) => (precision16 ? (bytes[at + 1 + 2 * k]! << 8) | bytes[at + 2 + 2 * k]! : bytes[at + 1 + k]!));
      return { values, precision16 };
    }
    at += 1 + size;
  }
  return undefined;
}

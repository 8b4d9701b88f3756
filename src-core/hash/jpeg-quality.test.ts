// jpegQuality on hand-built marker streams: the table layouts a DQT segment may have. Real files
// written by sharp at known qualities: src-main/hash/jpeg-quality.test.ts.
import { describe, expect, it } from 'vitest';
import { jpegQuality } from './jpeg-quality';

/** ITU-T T.81 table K.1 as a DQT stores it (zigzag order): the table of IJG quality 50. */
const ANNEX_K_ZIGZAG = [
  16, 11, 12, 14, 12, 10, 16, 14, 13, 14, 18, 17, 16, 19, 24, 40, 26, 24, 22, 22, 24, 49, 35, 37, 29, 40, 58, 51, 61, 60, 57, 51, 56, 55, 64, 72, 92, 78, 64, 68, 87, 69, 55, 56, 80, 109, 81, 87, 95, 98, 103, 104, 103, 62, 77, 113, 121, 112, 100, 120, 92, 101, 103, 99,
];

function segment(marker: number, payload: number[]): number[] {
  const length = payload.length + 2;
  return [0xff, marker, length >> 8, length & 0xff, ...payload];
}

function table(id: number, values: number[], sixteenBit = false): number[] {
  return [(sixteenBit ? 0x10 : 0) | id, ...(sixteenBit ? values.flatMap((v) => [v >> 8, v & 0xff]) : values)];
}

const SOI = [0xff, 0xd8];
const APP0 = segment(0xe0, [0x4a, 0x46, 0x49, 0x46, 0, 1, 1, 0, 0, 1, 0, 1, 0, 0]);
const SOS = segment(0xda, [1, 1, 0, 0, 63, 0]);

describe('jpegQuality', () => {
  it('reads the Annex K table as quality 50', () => {
    expect(jpegQuality(Uint8Array.from([...SOI, ...APP0, ...segment(0xdb, table(0, ANNEX_K_ZIGZAG)), ...SOS]))).toBe(50);
  });

  it('finds table 0 after another table in the same segment, and after fill bytes', () => {
    const chroma = ANNEX_K_ZIGZAG.map(() => 99);
    const bytes = [...SOI, 0xff, ...APP0, ...segment(0xdb, [...table(1, chroma), ...table(0, ANNEX_K_ZIGZAG)]), ...SOS];
    expect(jpegQuality(Uint8Array.from(bytes))).toBe(50);
  });

  it('reads 16-bit tables: quality 10 scales every entry by 5000/10/100 = 5, beyond 255', () => {
    const quality10 = ANNEX_K_ZIGZAG.map((v) => 5 * v);
    expect(jpegQuality(Uint8Array.from([...SOI, ...segment(0xdb, table(0, quality10, true)), ...SOS]))).toBe(10);
    // The same as a baseline (8-bit) table, clamped to 255 as libjpeg does.
    expect(jpegQuality(Uint8Array.from([...SOI, ...segment(0xdb, table(0, quality10.map((v) => Math.min(255, v)))), ...SOS]))).toBe(10);
  });

  it('quality 100 is the all-ones table', () => {
    expect(jpegQuality(Uint8Array.from([...SOI, ...segment(0xdb, table(0, ANNEX_K_ZIGZAG.map(() => 1))), ...SOS]))).toBe(100);
  });

  it('is undefined without a JPEG, without table 0 before the first scan, or cut inside the table', () => {
    expect(jpegQuality(new Uint8Array(0))).toBeUndefined();
    expect(jpegQuality(Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))).toBeUndefined();
    expect(jpegQuality(Uint8Array.from([...SOI, ...segment(0xdb, table(1, ANNEX_K_ZIGZAG)), ...SOS]))).toBeUndefined();
    expect(jpegQuality(Uint8Array.from([...SOI, ...SOS, ...segment(0xdb, table(0, ANNEX_K_ZIGZAG))]))).toBeUndefined();
    const whole = [...SOI, ...APP0, ...segment(0xdb, table(0, ANNEX_K_ZIGZAG)), ...SOS];
    const dqtEnd = SOI.length + APP0.length + 5 + 64;
    for (const cut of [3, SOI.length + APP0.length + 10, dqtEnd - 1]) expect(jpegQuality(Uint8Array.from(whole.slice(0, cut)))).toBeUndefined();
  });
});

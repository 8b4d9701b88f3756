/**
 * Hamming distances between hex-encoded hashes (PDQ: 64 hex digits / 256 bits, imagehash: 16 / 64 bits).
 * Bit order does not matter for a distance, so hex digits are compared position by position.
 * Pure standard JavaScript: runs in Node, a browser or a Web Worker.
 */

/** Value of each ASCII hex digit (either case); -1 for anything else. */
const HEX_VALUE = (() => {
  const table = new Int8Array(128).fill(-1);
  for (let d = 0; d < 10; d++) table[48 + d] = d;
  for (let d = 0; d < 6; d++) table[65 + d] = table[97 + d] = 10 + d;
  return table;
})();

/** Number of set bits of a 4-bit value. */
const NIBBLE_POPCOUNT = new Uint8Array([0, 1, 1, 2, 1, 2, 2, 3, 1, 2, 2, 3, 2, 3, 3, 4]);

/** Number of set bits in the low 32 bits of x (SWAR popcount). */
export function popcount32(x: number): number {
  let v = x | 0;
  v = v - ((v >>> 1) & 0x55555555);
  v = (v & 0x33333333) + ((v >>> 2) & 0x33333333);
  return Math.imul((v + (v >>> 4)) & 0x0f0f0f0f, 0x01010101) >>> 24;
}

function hexDigit(hex: string, index: number): number {
  const code = hex.charCodeAt(index);
  const value = code < 128 ? HEX_VALUE[code]! : -1;
  if (value < 0) throw new RangeError(`not a hex digit at ${index}: ${JSON.stringify(hex)}`);
  return value;
}

/** Number of differing bits between two hex strings of the same length (case-insensitive). */
export function hammingHex(a: string, b: string): number {
  if (a.length !== b.length) throw new RangeError(`hex lengths differ: ${a.length} vs ${b.length}`);
  let distance = 0;
  for (let i = 0; i < a.length; i++) distance += NIBBLE_POPCOUNT[hexDigit(a, i) ^ hexDigit(b, i)]!;
  return distance;
}

/**
 * Hex string → 32-bit words, 8 digits per word in string order (word 0 = the first 8 digits, most
 * significant digit first). A 64-digit PDQ hash gives 8 words, ready for hamming256.
 */
export function hexToWords32(hex: string): Uint32Array {
  if (hex.length % 8 !== 0) throw new RangeError(`hex length ${hex.length} is not a multiple of 8`);
  const words = new Uint32Array(hex.length / 8);
  for (let w = 0; w < words.length; w++) {
    let word = 0;
    for (let i = w * 8; i < w * 8 + 8; i++) word = (word << 4) | hexDigit(hex, i);
    words[w] = word;
  }
  return words;
}

/** Number of differing bits between two 256-bit hashes given as 8 words each (see hexToWords32). */
export function hamming256(a: Uint32Array, b: Uint32Array): number {
  if (a.length !== 8 || b.length !== 8) throw new RangeError('hamming256 needs two arrays of 8 words');
  let distance = 0;
  for (let w = 0; w < 8; w++) distance += popcount32(a[w]! ^ b[w]!);
  return distance;
}

/** Decoded pixels, interleaved row-major. channels: 1 grey, 2 grey+alpha, 3 RGB, 4 RGBA.
 *  Hashing ignores alpha (pitfall 7 of docs/hash-definitions.md: the references never composite it). */
export interface PixelImage {
  data: Uint8Array;
  width: number;
  height: number;
  channels: number;
}

// heic-decode ships no types: the one call Doppel makes.
declare module 'heic-decode' {
  export interface DecodedHeic {
    width: number;
    height: number;
    /** RGBA, row-major. */
    data: Uint8ClampedArray;
  }
  export default function decode(input: { buffer: Uint8Array | ArrayBuffer }): Promise<DecodedHeic>;
}

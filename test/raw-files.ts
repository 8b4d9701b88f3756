// Camera RAW files with the structure of real ones, built in tests (no camera files committed).

/** A little-endian TIFF: IFD0 = thumbnail (JPEGInterchangeFormat) + a SubIFD whose single
 *  JPEG-compressed strip is `large`. `sensor` adds a lossless-JPEG strip (raw data) too;
 *  `orientation` the shot's EXIF orientation in IFD0, where cameras write it. */
export function tiffRaw(small: Buffer, large: Buffer | undefined, sensor?: Buffer, orientation?: number): Buffer {
  const entries = (list: Array<[tag: number, type: number, value: number]>) => {
    const out = Buffer.alloc(2 + list.length * 12 + 4);
    out.writeUInt16LE(list.length, 0);
    list.forEach(([tag, type, value], k) => {
      const at = 2 + k * 12;
      out.writeUInt16LE(tag, at);
      out.writeUInt16LE(type, at + 2);
      out.writeUInt32LE(1, at + 4);
      if (type === 3) out.writeUInt16LE(value, at + 8);
      else out.writeUInt32LE(value, at + 8);
    });
    return out;
  };
  const SHORT = 3;
  const LONG = 4;
  const ifd0At = 8;
  const ifd0Size = 2 + (orientation === undefined ? 5 : 6) * 12 + 4;
  const subAt = ifd0At + ifd0Size;
  const subSize = 2 + 4 * 12 + 4;
  const smallAt = subAt + subSize;
  const largeAt = smallAt + small.length;
  const stripped = large ?? sensor!;
  const ifd0 = entries([
    [254, LONG, 1],
    [259, SHORT, 6],
    ...(orientation === undefined ? [] : [[274, SHORT, orientation] as [number, number, number]]),
    [330, LONG, subAt],
    [513, LONG, smallAt],
    [514, LONG, small.length],
  ]);
  const sub = entries([
    [254, LONG, 0],
    [259, SHORT, 7],
    [273, LONG, largeAt],
    [279, LONG, stripped.length],
  ]);
  const header = Buffer.from([0x49, 0x49, 42, 0, ifd0At, 0, 0, 0]);
  return Buffer.concat([header, ifd0, sub, small, stripped]);
}

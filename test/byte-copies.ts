// Byte-different copies of a JPEG with the same image data, as backups and re-saves leave them.

/** The JPEG with a comment segment (COM) right after its start marker: new bytes, same pixel data. */
export function withComment(bytes: Buffer, text: string): Buffer {
  const body = Buffer.from(text, 'latin1');
  const segment = Buffer.alloc(4);
  segment.writeUInt16BE(0xfffe, 0);
  segment.writeUInt16BE(body.length + 2, 2);
  return Buffer.concat([bytes.subarray(0, 2), segment, body, bytes.subarray(2)]);
}

// Camera RAW files built here with the structure of real ones (no camera files are committed):
// a DNG-like TIFF with a small IFD0 thumbnail and a large JPEG preview in a SubIFD strip, a
// Fujifilm RAF header, and a Canon CR3 PRVW box. Each is fingerprinted from its largest JPEG.
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Fingerprint } from '../src-core/fingerprint';
import { hammingHex } from '../src-core/hash/hamming';
import { fingerprintFile } from '../src-main/hash/fingerprint-file';
import { BENCH_ORIGINALS, tempDir } from './helpers';
import { tiffRaw } from './raw-files';

const dir = tempDir('doppel-raw-');
let preview: Buffer;
let thumbnail: Buffer;
let fromJpeg: Fingerprint;

beforeAll(async () => {
  const source = sharp(join(BENCH_ORIGINALS, 'kpa_pool.jpg'));
  preview = await source.clone().jpeg({ quality: 90 }).toBuffer();
  thumbnail = await source.clone().resize(160, 120).jpeg({ quality: 70 }).toBuffer();
  const jpegPath = join(dir, 'preview.jpg');
  writeFileSync(jpegPath, preview);
  fromJpeg = await fingerprintFile(jpegPath, 'product');
});

async function fingerprintOf(name: string, bytes: Buffer): Promise<Fingerprint> {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return fingerprintFile(path, 'product');
}

describe('camera RAW files', () => {
  it('DNG/NEF-style TIFF: the SubIFD preview, not the IFD0 thumbnail', async () => {
    for (const name of ['photo.dng', 'photo.NEF', 'photo.cr2']) {
      const f = await fingerprintOf(name, tiffRaw(thumbnail, preview));
      expect([f.width, f.height], name).toEqual([800, 600]);
      expect(f.format).toBe(`raw-${name.split('.').pop()!.toLowerCase()}`);
      expect(hammingHex(f.pdq, fromJpeg.pdq)).toBeLessThanOrEqual(2);
      expect(f.digest).not.toBe(fromJpeg.digest); // the RAW file's own bytes
    }
  });

  it('RAF: the JPEG the header points to', async () => {
    const header = Buffer.alloc(100);
    header.write('FUJIFILMCCD-RAW 0201FF383501', 0, 'latin1');
    header.writeUInt32BE(100, 84);
    header.writeUInt32BE(preview.length, 88);
    const f = await fingerprintOf('photo.raf', Buffer.concat([header, preview, Buffer.alloc(64)]));
    expect(hammingHex(f.pdq, fromJpeg.pdq)).toBeLessThanOrEqual(2);
  });

  it("CR3: the PRVW box's JPEG", async () => {
    const ftyp = Buffer.concat([Buffer.from([0, 0, 0, 24]), Buffer.from('ftypcrx \x00\x00\x00\x01crx isom', 'latin1')]);
    const prvwHeader = Buffer.alloc(16);
    prvwHeader.writeUInt32BE(preview.length, 12);
    const prvw = Buffer.concat([Buffer.alloc(4), Buffer.from('PRVW', 'latin1'), prvwHeader, preview]);
    const f = await fingerprintOf('photo.cr3', Buffer.concat([ftyp, Buffer.alloc(200), prvw]));
    expect(hammingHex(f.pdq, fromJpeg.pdq)).toBeLessThanOrEqual(2);
  });

  it('a RAW without a usable preview is reported as unsupported, with the reason', async () => {
    // Only lossless-JPEG sensor data (SOF3) and no JPEG preview at all.
    const lossless = Buffer.from([0xff, 0xd8, 0xff, 0xc3, 0, 11, 8, 0, 16, 0, 16, 1, 1, 0x11, 0, 0xff, 0xd9]);
    await expect(fingerprintOf('sensor-only.dng', tiffRaw(Buffer.from('not a jpeg'), undefined, lossless))).rejects.toMatchObject({
      kind: 'unsupported',
      message: 'camera RAW file without an embedded JPEG preview Doppel can read',
    });
    await expect(fingerprintOf('garbage.arw', Buffer.from('II*\0garbage that is not a tiff'))).rejects.toMatchObject({ kind: 'unsupported' });
  });
});

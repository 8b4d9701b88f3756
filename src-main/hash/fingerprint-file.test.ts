// Keeper evidence in the fingerprints fingerprintFile makes from real files: product mode only,
// the JPEG quality from the file's own tables (a RAW's from its preview).
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { BENCH_ORIGINALS, tempDir } from '../../test/helpers';
import { tiffRaw } from '../../test/raw-files';
import { fingerprintFile } from './fingerprint-file';

describe('fingerprintFile: keeper evidence', () => {
  const dir = tempDir();
  let photo: Buffer;
  beforeAll(() => {
    photo = readFileSync(join(BENCH_ORIGINALS, 'kpa_pool.jpg'));
  });

  async function write(name: string, bytes: Buffer | Promise<Buffer>): Promise<string> {
    const path = join(dir, name);
    writeFileSync(path, await bytes);
    return path;
  }

  it('gives a product-mode JPEG its quality and the pixel evidence', async () => {
    const path = await write('q83.jpg', sharp(photo).jpeg({ quality: 83 }).toBuffer());
    const { evidence } = await fingerprintFile(path, 'product');
    expect(evidence).toMatchObject({ jpegQuality: 83, content: [0, 0, 1, 1], grey: false });
    expect(evidence!.noise).toBeGreaterThan(0);
    expect(evidence!.sharpness).toBeGreaterThan(0);
    expect(evidence!.clipped).toBeGreaterThanOrEqual(0);
  });

  it('gives a PNG pixel evidence but no JPEG quality', async () => {
    const path = await write('grey.png', sharp(photo).greyscale().png().toBuffer());
    const { evidence } = await fingerprintFile(path, 'product');
    expect(evidence).toBeDefined();
    expect(evidence).not.toHaveProperty('jpegQuality');
    expect(evidence!.grey).toBe(true);
  });

  it("reads a camera RAW's quality from its embedded preview", async () => {
    const thumbnail = await sharp(photo).resize(160).jpeg({ quality: 50 }).toBuffer();
    const preview = await sharp(photo).jpeg({ quality: 92 }).toBuffer();
    const path = await write('shot.dng', Buffer.from(tiffRaw(thumbnail, preview)));
    const fingerprint = await fingerprintFile(path, 'product');
    expect(fingerprint.format).toBe('raw-dng');
    expect(fingerprint.evidence?.jpegQuality).toBe(92);
  });

  it('leaves reference-mode fingerprints without evidence', async () => {
    const path = await write('reference.jpg', sharp(photo).jpeg({ quality: 83 }).toBuffer());
    expect(await fingerprintFile(path, 'reference')).not.toHaveProperty('evidence');
  });
});

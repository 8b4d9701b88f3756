// Keeper evidence and local features in the fingerprints fingerprintFile makes from real files:
// product mode only, the JPEG quality from the file's own tables (a RAW's from its preview).
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

describe('fingerprintFile: local features', () => {
  const path = join(BENCH_ORIGINALS, 'kpa_pool.jpg');

  it('computes orb and orbMirrored only when asked, leaving the rest of the fingerprint alike', async () => {
    const [plain, withFeatures] = await Promise.all([fingerprintFile(path, 'product'), fingerprintFile(path, 'product', { localFeatures: true })]);
    expect(plain).not.toHaveProperty('orb');
    expect(plain).not.toHaveProperty('orbMirrored');
    const { orb, orbMirrored, ...rest } = withFeatures;
    expect(rest).toEqual(plain);
    const bytes = (code: string | undefined) => Buffer.from(code ?? '', 'base64').length;
    // A detailed photo fills every one of its 64 codes of 8 bytes, as does its mirror.
    expect([bytes(orb), bytes(orbMirrored)]).toEqual([512, 512]);
    expect(orb).not.toBe(orbMirrored);
  });

  it('never computes them in reference mode', async () => {
    expect(await fingerprintFile(path, 'reference', { localFeatures: true })).not.toHaveProperty('orb');
  });
});

// `doppel hash --reference` against the reference implementations' expected.json, through
// the real CLI, the real pool and real sharp decoding.
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Fingerprint } from '../src-core/fingerprint';
import { hammingHex } from '../src-core/hash/hamming';
import { loadExpected, parseJsonLines, REFERENCE_IMAGES, runCli, type CliRun } from './helpers';

const expected = loadExpected();

/** Not portable by design (README of the reference set): Pillow clips 16-bit samples, CImg
 *  keeps the low byte and libvips scales; no decoder can agree with both. */
const SIXTEEN_BIT = 'generated/gen-gray16-80x60.png';
/** libvips converts CMYK to RGB through ICC profiles, Pillow and ImageMagick naively. */
const CMYK = 'threatexchange/misc-images/modes/CMYK.jpg';
const CMYK_MAX_BITS = { pdq: 16, imagehash: 6 };

let run: CliRun;
const byImage = new Map<string, Fingerprint>();

beforeAll(async () => {
  run = await runCli(['hash', '--json', '--reference', REFERENCE_IMAGES]);
  for (const line of parseJsonLines<Fingerprint>(run.stdout)) {
    byImage.set(line.path.slice(REFERENCE_IMAGES.length + 1), line);
  }
}, 120_000);

describe('doppel hash --reference', () => {
  it('hashes every reference image and exits 0', () => {
    expect(run.code).toBe(0);
    expect([...byImage.keys()].sort()).toEqual(Object.keys(expected).sort());
  });

  const exact = Object.keys(expected).filter((k) => k !== SIXTEEN_BIT && k !== CMYK);
  it.each(exact)('%s: PDQ hash, quality and 8 dihedral hashes are bit-exact', (image) => {
    const want = expected[image]!;
    const got = byImage.get(image)!;
    expect(got.pdq).toBe(want.pdq.hash);
    expect(got.pdqQuality).toBe(want.pdq.quality);
    for (const [name, hash] of Object.entries(want.pdq_dihedral ?? {})) {
      if (name !== 'original') expect(got.pdqDihedral[name as keyof Fingerprint['pdqDihedral']], name).toBe(hash);
    }
  });

  it.each(exact)('%s: aHash, dHash, wHash (and pHash unless tie-sensitive) are exact', (image) => {
    const want = expected[image]!;
    const got = byImage.get(image)!;
    expect(got.ahash).toBe(want.imagehash.ahash);
    expect(got.dhash).toBe(want.imagehash.dhash);
    expect(got.whash).toBe(want.imagehash.whash);
    if (!want.imagehash_flags.phash_tie_sensitive) expect(got.phash).toBe(want.imagehash.phash);
  });

  it('CMYK JPEG differs by only a few bits (libvips colour conversion)', () => {
    const want = expected[CMYK]!;
    const got = byImage.get(CMYK)!;
    expect(hammingHex(got.pdq, want.pdq.hash)).toBeLessThanOrEqual(CMYK_MAX_BITS.pdq);
    for (const method of ['ahash', 'dhash', 'phash', 'whash'] as const) {
      expect(hammingHex(got[method], want.imagehash[method]), method).toBeLessThanOrEqual(CMYK_MAX_BITS.imagehash);
    }
  });

  it('16-bit input is still fingerprinted (its values are non-portable)', () => {
    const got = byImage.get(SIXTEEN_BIT)!;
    expect(got.width).toBe(80);
    expect(got.pdq).toMatch(/^[0-9a-f]{64}$/);
  });

  it('EXIF orientation is ignored in reference mode, as the references do', () => {
    const hashes = [1, 3, 6, 8].map((o) => byImage.get(`generated/gen-exif-orient${o}.jpg`)!.pdq);
    expect(new Set(hashes).size).toBe(1);
    expect(byImage.get(join('generated', 'gen-exif-orient6.jpg'))!.exif.orientation).toBe(6);
  });
});

// "Same pixels": a JPEG whose metadata was stripped or edited (the dev set's meta-strip and
// meta-edit, done here the same way, segment by segment) keeps its pixel digest; a re-encoded
// copy does not. Groups say which is which.
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { clusterFingerprints } from '../src-core/grouping/pipeline';
import { groupsAt } from '../src-core/cluster/groups';
import type { Fingerprint } from '../src-core/fingerprint';
import { fingerprintFile } from '../src-main/hash/fingerprint-file';
import { BENCH_ORIGINALS, tempDir } from './helpers';

const dir = tempDir('doppel-pixels-');
const ORIGINAL = join(BENCH_ORIGINALS, 'kpa_bar55.jpg');
let original: Fingerprint;
let stripped: Fingerprint;
let reencoded: Fingerprint;

/** The JPEG without its APP1–APP15 and comment segments (image data untouched). */
function stripMetadata(bytes: Buffer): Buffer {
  const parts: Buffer[] = [bytes.subarray(0, 2)];
  let at = 2;
  while (bytes[at + 1] !== 0xda) {
    const marker = bytes[at + 1]!;
    const end = at + 2 + bytes.readUInt16BE(at + 2);
    if (!((marker >= 0xe1 && marker <= 0xef) || marker === 0xfe)) parts.push(bytes.subarray(at, end));
    at = end;
  }
  parts.push(bytes.subarray(at));
  return Buffer.concat(parts);
}

beforeAll(async () => {
  const bytes = readFileSync(ORIGINAL);
  writeFileSync(join(dir, 'stripped.jpg'), stripMetadata(bytes));
  await sharp(ORIGINAL).jpeg({ quality: 60 }).toFile(join(dir, 'reencoded.jpg')); // smaller: not kept
  original = await fingerprintFile(ORIGINAL, 'product');
  stripped = await fingerprintFile(join(dir, 'stripped.jpg'), 'product');
  reencoded = await fingerprintFile(join(dir, 'reencoded.jpg'), 'product');
});

describe('pixel digest', () => {
  it('is the same for a copy with its metadata stripped, and differs for a re-encoded copy', () => {
    expect(original.exif.make).toBeDefined(); // the original had EXIF to strip
    expect(stripped.exif.make).toBeUndefined();
    expect(stripped.digest).not.toBe(original.digest);
    expect(original.pixelDigest).toMatch(/^[0-9a-f]{64}$/);
    expect(stripped.pixelDigest).toBe(original.pixelDigest);
    expect(reencoded.pixelDigest).not.toBe(original.pixelDigest);
  });

  it('leaves out bytes after the end of the image (a backup tool\'s or a download\'s trailer)', async () => {
    writeFileSync(join(dir, 'trailer.jpg'), Buffer.concat([readFileSync(ORIGINAL), Buffer.from('backup-tool trailer')]));
    const trailer = await fingerprintFile(join(dir, 'trailer.jpg'), 'product');
    expect(trailer.digest).not.toBe(original.digest);
    expect(trailer.pixelDigest).toBe(original.pixelDigest);
  });

  it('labels the stripped copy "same pixels" and the re-encoded one "same photo"', () => {
    const inputs = [original, stripped, reencoded];
    const [group] = groupsAt(clusterFingerprints(inputs, { method: 'pdq-windows', linkage: 'average' }), inputs, 0.8);
    expect(group!.members.map((m) => [m.path, m.keeper ? 'keeper' : m.reason])).toEqual([
      [ORIGINAL, 'keeper'], // the largest file: its EXIF is still there
      [stripped.path, 'same pixels (only the metadata differs)'],
      [reencoded.path, 'same photo (re-encoded, resized, rotated, flipped or recoloured)'],
    ]);
  });
});

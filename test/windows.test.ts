// Window hashes on real photos decoded by sharp: a bordered and a letterboxed copy meet their
// original through 'pdq-windows' (the trimmed frame), which whole-frame PDQ misses. A 5% crop
// off the windows' centre stays out of reach (PDQ moves ~60 bits for a 1.5% shift).
import { join } from 'node:path';
import sharp, { type Sharp } from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { clusterFingerprints } from '../src-core/grouping/pipeline';
import { groupsAt } from '../src-core/cluster/groups';
import type { Fingerprint } from '../src-core/fingerprint';
import { trimmedFrame, WINDOW_NAMES } from '../src-core/hash/windows';
import { fingerprintFile } from '../src-main/hash/fingerprint-file';
import { BENCH_ORIGINALS, tempDir } from './helpers';

const dir = tempDir('doppel-windows-');
const ORIGINAL = join(BENCH_ORIGINALS, 'kpa_pool.jpg');
let original: Fingerprint;
const copies: Record<string, Fingerprint> = {};

beforeAll(async () => {
  const { width, height } = await sharp(ORIGINAL).metadata();
  const w = width!;
  const h = height!;
  const b = Math.round(Math.min(w, h) * 0.04);
  const bar = Math.round((w / (16 / 9) - h) / 2);
  const made: Record<string, Sharp> = {
    border: sharp(ORIGINAL).extend({ top: b, bottom: b, left: b, right: b, background: '#ffffff' }),
    letterbox: bar > 0 ? sharp(ORIGINAL).extend({ top: bar, bottom: bar, background: '#000000' }) : sharp(ORIGINAL).extend({ left: Math.round((h * (16 / 9) - w) / 2), right: Math.round((h * (16 / 9) - w) / 2), background: '#000000' }),
    // 95% of each side, off centre.
    resized: sharp(ORIGINAL).resize({ width: Math.round(w / 2) }),
    crop: sharp(ORIGINAL).extract({ left: Math.round(w * 0.04), top: Math.round(h * 0.01), width: Math.round(w * 0.95), height: Math.round(h * 0.95) }),
  };
  original = await fingerprintFile(ORIGINAL, 'product');
  for (const [name, image] of Object.entries(made)) {
    const path = join(dir, `${name}.jpg`);
    await image.jpeg({ quality: 90 }).toFile(path);
    copies[name] = await fingerprintFile(path, 'product');
  }
}, 60_000);

describe('window hashes', () => {
  it('are taken in product mode, one per window', () => {
    expect(original.pdqWindows).toHaveLength(WINDOW_NAMES.length);
    for (const hash of original.pdqWindows!) expect(hash).toMatch(/^[0-9a-f]{64}$/);
  });

  it('trim uniform bars and nothing else', () => {
    const img = { width: 100, height: 80, channels: 3, data: new Uint8Array(100 * 80 * 3) };
    // A textured picture between black bars 10 rows high.
    for (let y = 10; y < 70; y++) for (let x = 0; x < 100; x++) img.data.fill(((x * 7) ^ (y * 13)) & 255, (y * 100 + x) * 3, (y * 100 + x) * 3 + 3);
    expect(trimmedFrame(img)).toEqual({ left: 0, top: 10, width: 100, height: 60 });
    const plain = { ...img, data: img.data.slice() };
    for (let y = 0; y < 80; y++) for (let x = 0; x < 100; x++) plain.data.fill(((x * 7) ^ (y * 13)) & 255, (y * 100 + x) * 3, (y * 100 + x) * 3 + 3);
    expect(trimmedFrame(plain)).toEqual({ left: 0, top: 0, width: 100, height: 80 });
  });

  it('group a bordered and a letterboxed copy with their original; whole-frame PDQ does not', () => {
    const inputs = [original, ...Object.values(copies)];
    const grouped = (method: 'pdq-windows' | 'pdq-dihedral') =>
      groupsAt(clusterFingerprints(inputs, { method, linkage: 'single' }), inputs, 0.8).map((g) => g.members.map((m) => m.path.split('/').pop()).sort());
    expect(grouped('pdq-windows')).toEqual([['border.jpg', 'kpa_pool.jpg', 'letterbox.jpg', 'resized.jpg']]);
    expect(grouped('pdq-dihedral')).toEqual([['kpa_pool.jpg', 'resized.jpg']]);
  });

  it('say what each copy is: the same photo, or an edited copy found through a window', () => {
    const reasons = (inputs: Fingerprint[]) => {
      const [group] = groupsAt(clusterFingerprints(inputs, { method: 'pdq-windows', linkage: 'single' }), inputs, 0.8);
      return group!.members.map((m) => [m.path.split('/').pop(), m.keeper ? 'keeper' : m.reason]);
    };
    expect(reasons([original, copies.resized!])).toEqual([
      ['kpa_pool.jpg', 'keeper'],
      ['resized.jpg', 'same photo (re-encoded, resized, rotated, flipped or recoloured)'],
    ]);
    // The bordered copy has more pixels but not more photo: the original is kept, and the copy
    // is what matched the original through its trimmed window.
    expect(reasons([original, copies.border!])).toEqual([
      ['kpa_pool.jpg', 'keeper'],
      ['border.jpg', 'edited: a border, letterbox or crop tells them apart'],
    ]);
  });
});

// `doppel hash` as a user runs it: output formats, folder walking and exit codes.
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DIHEDRAL_NAMES } from '../src-core/hash/pdq';
import { BENCH_ORIGINALS, parseJsonLines, REFERENCE_IMAGES, runCli, tempDir } from './helpers';

const library = tempDir();
const PHOTO = join(BENCH_ORIGINALS, 'kpa_bar55.jpg');
mkdirSync(join(library, 'trip', 'day1'), { recursive: true });
mkdirSync(join(library, '.hidden'));
mkdirSync(join(library, '@eaDir'));
copyFileSync(PHOTO, join(library, 'trip', 'day1', 'a.jpg'));
copyFileSync(PHOTO, join(library, 'trip', 'b.JPG'));
copyFileSync(PHOTO, join(library, '.hidden', 'skipped.jpg'));
copyFileSync(PHOTO, join(library, '@eaDir', 'thumb.jpg'));
writeFileSync(join(library, 'trip', 'notes.txt'), 'not an image');

describe('doppel hash', () => {
  it('--json prints one fingerprint per image, skipping hidden and junk folders', async () => {
    const run = await runCli(['hash', '--json', library]);
    expect(run.code).toBe(0);
    const lines = parseJsonLines(run.stdout);
    expect(lines.map((l) => l.path).sort()).toEqual([join(library, 'trip', 'b.JPG'), join(library, 'trip', 'day1', 'a.jpg')]);
    const f = lines[0]!;
    for (const key of ['path', 'size', 'mtimeMs', 'digest', 'width', 'height', 'format', 'pdq', 'pdqQuality', 'pdqDihedral', 'ahash', 'dhash', 'phash', 'whash', 'exif']) {
      expect(f, key).toHaveProperty(key);
    }
    expect(Object.keys(f.pdqDihedral as object).sort()).toEqual(DIHEDRAL_NAMES.filter((n) => n !== 'original').sort());
    expect(f).toMatchObject({ width: 800, format: 'jpeg', exif: { make: 'OLYMPUS OPTICAL CO.,LTD', dateTaken: '2006-02-11T04:22:11', gpsPresent: false } });
    expect(f.digest).toMatch(/^[0-9a-f]{64}$/);
    expect(lines[1]!.digest).toBe(f.digest);
  });

  it('computes the embedding code by default; --no-embedding skips it, and reference mode never has it', async () => {
    const photo = join(library, 'trip', 'b.JPG');
    const [byDefault] = parseJsonLines(await runCli(['hash', '--json', photo]).then((r) => r.stdout));
    const [without] = parseJsonLines(await runCli(['hash', '--json', '--no-embedding', photo]).then((r) => r.stdout));
    const [reference] = parseJsonLines(await runCli(['hash', '--json', '--reference', photo]).then((r) => r.stdout));
    expect(byDefault!.embedding).toMatch(/^[0-9a-f]{64}$/);
    expect(without).not.toHaveProperty('embedding');
    expect(without!.pdq).toBe(byDefault!.pdq);
    expect(reference).not.toHaveProperty('embedding');
  });

  it('exits 3 and reports each unreadable file, still hashing the rest', async () => {
    const dir = tempDir();
    copyFileSync(PHOTO, join(dir, 'good.jpg'));
    writeFileSync(join(dir, 'empty.jpg'), '');
    writeFileSync(join(dir, 'fake.png'), 'text');
    const run = await runCli(['hash', '--json', dir, join(dir, 'missing.jpg')]);
    expect(run.code).toBe(3);
    const lines = parseJsonLines<{ path: string; error?: { kind: string; message: string } }>(run.stdout);
    const errors = Object.fromEntries(lines.filter((l) => l.error).map((l) => [l.path.split('/').pop(), l.error!.kind]));
    expect(errors).toEqual({ 'empty.jpg': 'empty', 'fake.png': 'unsupported', 'missing.jpg': 'vanished' });
    expect(lines.filter((l) => !l.error).length).toBe(1);
  });

  it('prints a readable table without --json', async () => {
    const run = await runCli(['hash', join(library, 'trip')]);
    expect(run.code).toBe(0);
    const [header, ...rows] = run.stdout.trim().split('\n');
    expect(header).toMatch(/PDQ.*SIZE.*PIXELS.*FORMAT.*PATH/);
    expect(rows.length).toBe(2);
    expect(rows[0]).toMatch(/800×\d+\s+jpeg/);
    expect(run.stderr).toMatch(/Hashed 2 of 2 files/);
  });

  it('--reference keeps stored pixels; product mode applies EXIF orientation', async () => {
    const tagged = join(REFERENCE_IMAGES, 'generated/gen-exif-orient6.jpg');
    const [product] = parseJsonLines(await runCli(['hash', '--json', tagged]).then((r) => r.stdout));
    const [reference] = parseJsonLines(await runCli(['hash', '--json', '--reference', tagged]).then((r) => r.stdout));
    expect(reference!.digest).toBe(product!.digest);
    expect([product!.width, product!.height]).toEqual([120, 160]);
    expect([reference!.width, reference!.height]).toEqual([160, 120]);
    expect(reference!.pdq).not.toBe(product!.pdq);
  });

  it('exits 2 with a hint on usage errors', async () => {
    for (const args of [['hash'], ['hash', '--bogus', library], ['frobnicate'], ['hash', '--workers', '0', library]]) {
      const run = await runCli(args);
      expect(run.code, args.join(' ')).toBe(2);
      expect(run.stderr).toMatch(/doppel --help/);
    }
  });

  it('--help lists the commands', async () => {
    const main = await runCli(['--help']);
    expect(main.code).toBe(0);
    expect(main.stdout).toMatch(/hash PATH/);
    const hash = await runCli(['hash', '--help']);
    expect(hash.stdout).toMatch(/--reference/);
  });
});

// `doppel scan` and `doppel cluster` on real photos and real edits of them.
import { spawn } from 'node:child_process';
import { copyFileSync, linkSync, mkdirSync, readdirSync, readlinkSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import sharp from 'sharp';
import { beforeAll, describe, expect, it } from 'vitest';
import { BENCH_ORIGINALS, CLI, PROJECT_ROOT, runCli, tempDir } from './helpers';

const library = tempDir();
const A = join(BENCH_ORIGINALS, 'kpa_bar55.jpg');
const B = join(BENCH_ORIGINALS, 'mate_Garden.jpg');
const path = (name: string) => join(library, name);

interface ScanJson {
  groups: Array<{ id: number; similarity: number; exact: boolean; members: Array<{ path: string; digest: string; keeper: boolean; similarity: number; reason: string }>; merges: Array<[number, number, number, number]>; order: number[] }>;
  stats: Record<string, unknown>;
  errors: Array<{ path: string; error: { kind: string } }>;
}

beforeAll(async () => {
  copyFileSync(A, path('bar.jpg'));
  copyFileSync(A, path('bar-copy.jpg'));
  await sharp(A).resize({ width: 400 }).jpeg({ quality: 85 }).toFile(path('bar-small.jpg'));
  await sharp(A).flop().jpeg({ quality: 90 }).toFile(path('bar-mirrored.jpg'));
  copyFileSync(B, path('garden.jpg'));
  await sharp(B).jpeg({ quality: 60 }).toFile(path('garden-q60.jpg'));
  await sharp({ create: { width: 300, height: 200, channels: 3, background: '#ffffff' } }).png().toFile(path('blank-1.png'));
  await sharp({ create: { width: 640, height: 480, channels: 3, background: '#fefefe' } }).jpeg().toFile(path('blank-2.jpg'));
  writeFileSync(path('broken.jpg'), 'not a photo');
});

const groupPaths = (json: ScanJson) => json.groups.map((g) => g.members.map((m) => m.path.split('/').pop()).sort()).sort((x, y) => x[0]!.localeCompare(y[0]!));

describe('doppel scan', () => {
  let json: ScanJson;
  beforeAll(async () => {
    const run = await runCli(['scan', '--json', library]);
    expect(run.code).toBe(0);
    json = JSON.parse(run.stdout);
  }, 60_000);

  it('finds the copies, the resized and the mirrored photo, and the recompressed one', () => {
    expect(groupPaths(json)).toEqual([
      ['bar-copy.jpg', 'bar-mirrored.jpg', 'bar-small.jpg', 'bar.jpg'],
      ['garden-q60.jpg', 'garden.jpg'],
    ]);
  });

  it('keeps the original and explains why; blank images are not grouped', () => {
    const bar = json.groups.find((g) => g.members.length === 4)!;
    const keeper = bar.members[0]!;
    expect(keeper.keeper).toBe(true);
    expect(keeper.path).toMatch(/bar(-copy)?\.jpg$/);
    // The mirrored and small copies were re-encoded without the original's EXIF.
    expect(keeper.reason).toMatch(/^keeps its camera metadata|^more of the photo/);
    expect(bar.members.filter((m) => m.keeper)).toHaveLength(1);
    expect(bar.members.find((m) => m.path.endsWith('bar-small.jpg'))!.similarity).toBeLessThan(1);
    expect(json.stats).toMatchObject({ files: 9, hashed: 8, unreadable: 1, groups: 2, duplicates: 4, lowInformation: 2 });
  });

  it('follows the JSON contract', () => {
    for (const group of json.groups) {
      expect(Object.keys(group)).toEqual(expect.arrayContaining(['id', 'similarity', 'exact', 'members', 'merges', 'order']));
      for (const m of group.members) expect(Object.keys(m)).toEqual(expect.arrayContaining(['path', 'digest', 'keeper', 'similarity', 'reason']));
      expect(group.merges).toHaveLength(group.members.length - 1);
      expect([...group.order].sort()).toEqual(group.members.map((_, k) => k));
    }
    expect(json.errors).toEqual([{ path: path('broken.jpg'), error: expect.objectContaining({ kind: 'unsupported' }) }]);
  });

  it('prints readable groups with the keeper marked', async () => {
    const run = await runCli(['scan', library]);
    expect(run.stdout).toMatch(/Group 1 · 4 photos · similarity 0\.\d\d/);
    expect(run.stdout).toMatch(/★ keep .*bar(-copy)?\.jpg {2}\(/);
    expect(run.stdout).toMatch(/Unreadable \(unsupported\): .*broken\.jpg/);
    expect(run.stdout).toMatch(/9 files, 2 groups, 4 duplicates/);
  });

  it('--export writes one folder of symlinks per group, keeper first', async () => {
    const out = join(tempDir(), 'export');
    const run = await runCli(['scan', '--export', out, library]);
    expect(run.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['group-0001 (4 photos)', 'group-0002 (2 photos)']);
    const links = readdirSync(join(out, 'group-0001 (4 photos)')).sort();
    expect(links[0]).toMatch(/^01 keeper - bar/);
    expect(readlinkSync(join(out, 'group-0001 (4 photos)', links[0]!))).toMatch(new RegExp(`^${library}/bar`));
  });

  it('a stricter --similarity splits off the weaker matches', async () => {
    const strict = JSON.parse((await runCli(['scan', '--json', '--similarity', '0.99', library])).stdout) as ScanJson;
    const bar = strict.groups.find((g) => g.members.some((m) => m.path.endsWith('/bar.jpg')))!;
    expect(bar.members.map((m) => m.path.split('/').pop()).sort()).toEqual(['bar-copy.jpg', 'bar.jpg']);
    expect(bar.exact).toBe(true);
  });

  it('rejects a similarity below the floor and unknown methods with exit 2', async () => {
    expect((await runCli(['scan', '--similarity', '0.5', library])).code).toBe(2);
    expect((await runCli(['scan', '--method', 'sift', library])).code).toBe(2);
    expect((await runCli(['scan', '--linkage', 'ward', library])).code).toBe(2);
  });
});

describe('doppel scan: a symlink and its target, or hard links, are one photo', () => {
  const folder = tempDir();
  const photo = join(folder, 'Originals/2019/IMG_1.jpg');
  const link = join(folder, 'IMG_1.jpg');
  const hard = join(folder, 'Originals/IMG_1 hard link.jpg');
  const copy = join(folder, 'Backup/IMG_1.jpg');
  let json: { groups: Array<{ reclaimableBytes: number; members: Array<{ path: string; keeper: boolean; reason: string; otherNames?: string[] }> }>; stats: Record<string, unknown> };

  beforeAll(async () => {
    mkdirSync(join(folder, 'Originals/2019'), { recursive: true });
    mkdirSync(join(folder, 'Backup'));
    copyFileSync(A, photo);
    symlinkSync('Originals/2019/IMG_1.jpg', link);
    linkSync(photo, hard);
    copyFileSync(A, copy); // a real copy: other bytes on disk
    const run = await runCli(['scan', '--json', folder]);
    expect(run.code).toBe(0);
    json = JSON.parse(run.stdout);
  }, 60_000);

  it('groups the photo with its real copy only, the photo listing its other names', () => {
    expect(json.groups).toHaveLength(1);
    const [group] = json.groups;
    expect(group!.members.map((m) => m.path).sort()).toEqual([copy, photo]);
    const named = group!.members.find((m) => m.path === photo)!;
    // The primary name is not a link; the hard link (not a link either) comes before the symlink.
    expect(named.otherNames).toEqual([hard, link]);
    expect(group!.members.find((m) => m.path === copy)!.otherNames).toBeUndefined();
    // The file the links lead to is kept: deleting it would break them (or free nothing).
    expect(group!.members[0]).toMatchObject({ path: photo, keeper: true, reason: expect.stringMatching(/other names lead to this file/) });
  });

  it('counts the photo once in what deleting would free', () => {
    const size = statSync(photo).size;
    expect(json.groups[0]!.reclaimableBytes).toBe(size);
    expect(json.stats).toMatchObject({ groups: 1, duplicates: 1, reclaimableBytes: size });
  });

  it('prints the other names under the photo', async () => {
    const run = await runCli(['scan', folder]);
    expect(run.stdout).toMatch(/Group 1 · 2 photos/);
    expect(run.stdout).toContain(`also at: ${hard}`);
    expect(run.stdout).toContain(`also at: ${link}`);
  });
});

describe('doppel cluster', () => {
  it('groups fingerprints from a file or standard input like scan does', async () => {
    const hashes = await runCli(['hash', '--json', library]);
    const file = join(tempDir(), 'fingerprints.jsonl');
    writeFileSync(file, hashes.stdout);
    const fromFile = JSON.parse((await runCli(['cluster', '--json', '--from', file])).stdout) as ScanJson;
    const scanned = JSON.parse((await runCli(['scan', '--json', library])).stdout) as ScanJson;
    expect(groupPaths(fromFile)).toEqual(groupPaths(scanned));
    expect(fromFile.errors).toHaveLength(1);

    const fromStdin = await new Promise<string>((done) => {
      const child = spawn(process.execPath, [CLI, 'cluster', '--json', '--method', 'phash', '--from', '-'], { cwd: PROJECT_ROOT });
      let out = '';
      child.stdout.on('data', (c) => (out += c));
      child.on('close', () => done(out));
      child.stdin.end(hashes.stdout);
    });
    expect(JSON.parse(fromStdin).stats.method).toBe('phash');
  });

  it('says which line is not a fingerprint', async () => {
    const file = join(tempDir(), 'bad.jsonl');
    writeFileSync(file, '{"hello":1}\n');
    const run = await runCli(['cluster', '--from', file]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain(`${file} line 1: field "path" is missing`);
  });
});

// Safe deletion with real files and the real freedesktop trash (in a temp XDG_DATA_HOME).
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DeletionCandidate, Survivor, TrashItem } from '../src-core/api';
import { trashSafely } from '../src-main/library/safe-delete';
import { BENCH_ORIGINALS, tempDir } from './helpers';

const root = tempDir('doppel-trash-root-');
const elsewhere = tempDir('doppel-trash-outside-');
const dataHome = tempDir('doppel-trash-xdg-');
const PHOTO = join(BENCH_ORIGINALS, 'kpa_bar55.jpg');

beforeAll(() => {
  process.env.XDG_DATA_HOME = dataHome;
});

async function freedesktopTrash(path: string): Promise<void> {
  const { default: trash } = await import('trash');
  await trash([path], { glob: false });
}

function place(name: string, dir = root): string {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  copyFileSync(PHOTO, path);
  return path;
}

function asHashed(path: string): DeletionCandidate {
  const info = statSync(path);
  return { path, size: info.size, mtimeMs: info.mtimeMs, digest: createHash('sha256').update(readFileSync(path)).digest('hex') };
}

function survivor(path: string): Survivor {
  const { size, mtimeMs } = statSync(path);
  return { path, size, mtimeMs };
}

const trashInfo = () => readdirSync(join(dataHome, 'Trash/info')).map((f) => readFileSync(join(dataHome, 'Trash/info', f), 'utf8'));

describe('trashSafely', () => {
  it('moves a duplicate to the freedesktop trash with its .trashinfo; the keeper stays', async () => {
    const keeper = place('a/keeper.jpg');
    const extra = place('a/extra.jpg');
    const item: TrashItem = { file: asHashed(extra), keep: [survivor(keeper)] };
    expect(await trashSafely([item], [root], [], freedesktopTrash)).toEqual([{ path: extra, status: 'moved' }]);
    expect(existsSync(extra)).toBe(false);
    expect(existsSync(keeper)).toBe(true);
    expect(trashInfo().some((info) => info.includes(`Path=${extra}`) && /DeletionDate=\d{4}-\d\d-\d\dT/.test(info))).toBe(true);
    expect(readdirSync(join(dataHome, 'Trash/files')).length).toBeGreaterThan(0);
  });

  it('refuses to delete every member of a group', async () => {
    const one = place('b/one.jpg');
    const two = place('b/two.jpg');
    const results = await trashSafely(
      [
        { file: asHashed(one), keep: [survivor(two)] },
        { file: asHashed(two), keep: [survivor(one)] },
      ],
      [root],
      [],
      freedesktopTrash,
    );
    expect(results.map((r) => r.status)).toEqual(['skipped', 'skipped']);
    expect(results[0]!.reason).toMatch(/never the last copy/);
    expect(existsSync(one) && existsSync(two)).toBe(true);
  });

  it('skips a file modified after hashing, even when size and mtime were put back', async () => {
    const keeper = place('c/keeper.jpg');
    const touched = place('c/touched.jpg');
    const hashed = asHashed(touched);
    writeFileSync(touched, Buffer.concat([readFileSync(touched), Buffer.from('x')]));
    const [grown] = await trashSafely([{ file: hashed, keep: [survivor(keeper)] }], [root], [], freedesktopTrash);
    expect(grown).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/changed/) });

    const sneaky = place('c/sneaky.jpg');
    // A whole-second mtime can be put back exactly (sub-millisecond parts would not survive).
    utimesSync(sneaky, 1_600_000_000, 1_600_000_000);
    const before = asHashed(sneaky);
    const bytes = readFileSync(sneaky);
    bytes[bytes.length - 10] ^= 0xff; // same size
    writeFileSync(sneaky, bytes);
    utimesSync(sneaky, 1_600_000_000, 1_600_000_000); // same mtime
    const [swapped] = await trashSafely([{ file: before, keep: [survivor(keeper)] }], [root], [], freedesktopTrash);
    expect(swapped).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/contents changed/) });
    expect(existsSync(touched) && existsSync(sneaky)).toBe(true);
  });

  it('skips files outside watched folders, in protected folders, or already gone', async () => {
    const keeper = place('d/keeper.jpg');
    const outside = place('outside.jpg', elsewhere);
    const protectedFile = place('d/archive/old.jpg');
    const gone = asHashed(place('d/gone.jpg'));
    const { unlinkSync } = await import('node:fs');
    unlinkSync(gone.path);
    const results = await trashSafely(
      [
        { file: asHashed(outside), keep: [survivor(keeper)] },
        { file: asHashed(protectedFile), keep: [survivor(keeper)] },
        { file: gone, keep: [survivor(keeper)] },
      ],
      [root],
      [join(root, 'd/archive')],
      freedesktopTrash,
    );
    expect(results.map((r) => [r.status, r.reason])).toEqual([
      ['skipped', 'not inside a watched folder'],
      ['skipped', 'in a protected folder'],
      ['skipped', 'changed (or gone) since it was hashed: review it again'],
    ]);
    expect(existsSync(outside) && existsSync(protectedFile)).toBe(true);
  });

  it('reports a trash that refuses a file, and carries on with the rest', async () => {
    const keeper = place('e/keeper.jpg');
    const first = place('e/first.jpg');
    const second = place('e/second.jpg');
    const unavailable = async (path: string) => {
      if (path === first) throw new Error('no trash on this drive');
      await freedesktopTrash(path);
    };
    const results = await trashSafely(
      [
        { file: asHashed(first), keep: [survivor(keeper)] },
        { file: asHashed(second), keep: [survivor(keeper)] },
      ],
      [root],
      [],
      unavailable,
    );
    expect(results).toEqual([
      { path: first, status: 'failed', reason: 'the trash refused it: no trash on this drive' },
      { path: second, status: 'moved' },
    ]);
    expect(existsSync(first)).toBe(true);
  });
});

describe('moveToFolder and restoreMoves', () => {
  it('moves a duplicate keeping its relative path, writes a manifest, and restores it', async () => {
    const { moveToFolder, restoreMoves, MANIFEST_NAME } = await import('../src-main/library/move-to-folder');
    const keeper = place('f/keeper.jpg');
    const extra = place('f/sub/extra.jpg');
    const destination = join(tempDir('doppel-moved-'), 'review');
    const [result] = await moveToFolder([{ file: asHashed(extra), keep: [survivor(keeper)] }], destination, [root], []);
    const to = join(destination, root.split('/').pop()!, 'f/sub/extra.jpg');
    expect(result).toEqual({ path: extra, status: 'moved', to });
    expect(existsSync(extra)).toBe(false);
    expect(existsSync(to)).toBe(true);
    const manifest = JSON.parse(readFileSync(join(destination, MANIFEST_NAME), 'utf8'));
    expect(manifest).toEqual([expect.objectContaining({ from: extra, to, size: statSync(to).size })]);

    expect(await restoreMoves([{ from: extra, to }], [root])).toEqual([{ path: extra, status: 'moved' }]);
    expect(existsSync(extra)).toBe(true);
    expect(await restoreMoves([{ from: extra, to }], [root])).toEqual([{ path: extra, status: 'skipped', reason: `${to} is no longer there` }]);
  });

  it('refuses a destination inside a watched folder, and every member of a group', async () => {
    const { moveToFolder } = await import('../src-main/library/move-to-folder');
    const a = place('g/a.jpg');
    const b = place('g/b.jpg');
    const inside = await moveToFolder([{ file: asHashed(a), keep: [survivor(b)] }], join(root, 'moved'), [root], []);
    expect(inside[0]).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/inside a watched folder/) });
    const all = await moveToFolder(
      [
        { file: asHashed(a), keep: [survivor(b)] },
        { file: asHashed(b), keep: [survivor(a)] },
      ],
      tempDir('doppel-moved-'),
      [root],
      [],
    );
    expect(all.map((r) => r.status)).toEqual(['skipped', 'skipped']);
    expect(existsSync(a) && existsSync(b)).toBe(true);
  });
});

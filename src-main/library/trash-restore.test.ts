// Restoring from a real freedesktop trash (the `trash` package, as the host uses it) in a temp
// XDG_DATA_HOME.
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { Survivor } from '../../src-core/api';
import { tempDir } from '../../test/helpers';
import { parseTrashInfo, restoreFromTrash } from './trash-restore';
import { ApiArgumentError, requireTrashedFiles } from './validate';

const root = tempDir('doppel-restore-root-');
const outside = tempDir('doppel-restore-outside-');
const dataHome = tempDir('doppel-restore-xdg-');

beforeAll(() => {
  process.env.XDG_DATA_HOME = dataHome;
});

async function trashIt(path: string): Promise<void> {
  const { default: trash } = await import('trash');
  await trash([path], { glob: false });
}

let serial = 0;
/** A file with its own bytes, as the renderer's action log records it. */
function place(name: string, dir = root): Survivor {
  const path = join(dir, name);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, `photo ${name} ${serial++} ${'x'.repeat(1000)}`);
  const bytes = readFileSync(path);
  return { path, size: bytes.length, mtimeMs: statSync(path).mtimeMs, digest: createHash('sha256').update(bytes).digest('hex') };
}

/** Every trash folder's info files that name `path`. */
function infoFilesFor(path: string): string[] {
  const info = join(dataHome, 'Trash/info');
  return readdirSync(info).filter((name) => readFileSync(join(info, name), 'utf8').includes(`Path=${encodeURI(path)}`));
}

describe('restoreFromTrash', () => {
  it('moves a trashed file back with the same bytes and removes its .trashinfo', async () => {
    const file = place('a folder/bar #1 é.jpg');
    const bytes = readFileSync(file.path);
    await trashIt(file.path);
    expect(existsSync(file.path)).toBe(false);
    expect(infoFilesFor(file.path)).toHaveLength(1);
    expect(await restoreFromTrash([file], [root])).toEqual([{ path: file.path, status: 'moved', to: file.path }]);
    expect(readFileSync(file.path)).toEqual(bytes);
    expect(infoFilesFor(file.path)).toHaveLength(0);
  });

  it('says a file already back is back, and never replaces another file at its place', async () => {
    const file = place('twice.jpg');
    await trashIt(file.path);
    await restoreFromTrash([file], [root]);
    expect(await restoreFromTrash([file], [root])).toEqual([{ path: file.path, status: 'skipped', reason: 'already back in its place' }]);

    const other = place('taken.jpg');
    await trashIt(other.path);
    writeFileSync(other.path, 'a new file at the same name');
    const [result] = await restoreFromTrash([other], [root]);
    expect(result).toMatchObject({ status: 'skipped', reason: `${other.path} already exists` });
    expect(readFileSync(other.path, 'utf8')).toBe('a new file at the same name');
  });

  it('refuses a trashed copy whose size or content changed, and a file not in the trash', async () => {
    const file = place('changed.jpg');
    await trashIt(file.path);
    const [info] = infoFilesFor(file.path);
    const trashed = join(dataHome, 'Trash/files', info!.replace(/\.trashinfo$/, ''));
    const tampered = Buffer.from(readFileSync(trashed));
    tampered[0] = tampered[0]! ^ 1; // same size, other bytes
    writeFileSync(trashed, tampered);
    expect(await restoreFromTrash([file], [root])).toEqual([{ path: file.path, status: 'skipped', reason: expect.stringContaining('not the file that was trashed') }]);
    expect(existsSync(file.path)).toBe(false);

    const never = place('never-trashed.jpg');
    await trashIt(never.path);
    const lie = { ...never, path: join(root, 'not-this-one.jpg') };
    expect(await restoreFromTrash([lie], [root])).toEqual([{ path: lie.path, status: 'skipped', reason: expect.stringContaining('no longer in the Trash') }]);
  });

  it('restores only into a watched folder, links resolved', async () => {
    const file = place('escape.jpg', outside);
    await trashIt(file.path);
    expect((await restoreFromTrash([file], [root]))[0]).toMatchObject({ status: 'skipped', reason: 'its folder is not inside a watched folder' });
    // A link inside the root leading out of it is outside too.
    symlinkSync(outside, join(root, 'link-out'));
    const viaLink = { ...file, path: join(root, 'link-out', 'escape.jpg') };
    expect((await restoreFromTrash([viaLink], [root]))[0]).toMatchObject({ status: 'skipped', reason: 'its folder is not inside a watched folder' });
    expect(existsSync(file.path)).toBe(false);
  });
});

describe('a drive\'s own trash (.Trash-UID at its top)', () => {
  it('finds a file by its path relative to the drive top and restores, of the copies trashed under that name, the one with the recorded digest', async () => {
    // A drive laid out in a temp folder: its top holds .Trash-UID with files/ and info/.
    const top = tempDir('doppel-restore-drive-');
    const photos = join(top, 'photos');
    const file = place('beach.jpg', photos);
    const bytes = readFileSync(file.path);
    const trash = join(top, '.Trash-1000');
    mkdirSync(join(trash, 'files'), { recursive: true });
    mkdirSync(join(trash, 'info'), { recursive: true });
    // This file, and a later one of the same name with other bytes (tried first: newest first).
    writeFileSync(join(trash, 'files', 'beach.jpg'), 'a later beach.jpg');
    writeFileSync(join(trash, 'info', 'beach.jpg.trashinfo'), '[Trash Info]\nPath=photos/beach.jpg\nDeletionDate=2026-05-01T10:00:00\n');
    renameSync(file.path, join(trash, 'files', 'beach.2.jpg'));
    writeFileSync(join(trash, 'info', 'beach.2.jpg.trashinfo'), '[Trash Info]\nPath=photos/beach.jpg\nDeletionDate=2026-03-04T10:00:00\n');
    const drive = async () => [{ path: trash, top }];
    expect(await restoreFromTrash([file], [top], drive)).toEqual([{ path: file.path, status: 'moved', to: file.path }]);
    expect(readFileSync(file.path)).toEqual(bytes);
    expect(readdirSync(join(trash, 'info'))).toEqual(['beach.jpg.trashinfo']);
    expect(readFileSync(join(trash, 'files', 'beach.jpg'), 'utf8')).toBe('a later beach.jpg');
  });
});

describe('parseTrashInfo', () => {
  it('reads the URL-encoded path (absolute, or relative to the drive top) and the deletion date', () => {
    expect(parseTrashInfo('[Trash Info]\nPath=/photos/a%20b%23.jpg\nDeletionDate=2026-01-02T03:04:05\n', '/')).toEqual({ original: '/photos/a b#.jpg', deletedAt: '2026-01-02T03:04:05' });
    expect(parseTrashInfo('[Trash Info]\nPath=photos/x.jpg\nDeletionDate=2026-01-02T03:04:05', '/mnt/usb')).toEqual({ original: '/mnt/usb/photos/x.jpg', deletedAt: '2026-01-02T03:04:05' });
    expect(parseTrashInfo('Path=/x.jpg', '/')).toBeUndefined();
    expect(parseTrashInfo('[Trash Info]\nPath=/bad%E0%A4%A.jpg', '/')).toBeUndefined();
  });
});

describe('requireTrashedFiles', () => {
  it('takes absolute paths with a size and a SHA-256, nothing else', () => {
    const file = { path: '/photos/a.jpg', size: 10, mtimeMs: 1, digest: 'a'.repeat(64) };
    expect(requireTrashedFiles([file])).toEqual([file]);
    expect(() => requireTrashedFiles([{ ...file, path: 'a.jpg' }])).toThrow(ApiArgumentError);
    expect(() => requireTrashedFiles([{ ...file, digest: 'xyz' }])).toThrow(ApiArgumentError);
    expect(() => requireTrashedFiles([{ ...file, size: -1 }])).toThrow(ApiArgumentError);
    expect(() => requireTrashedFiles('/photos/a.jpg')).toThrow(ApiArgumentError);
  });
});

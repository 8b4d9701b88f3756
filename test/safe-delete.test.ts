// Safe deletion with real files and the real freedesktop trash (in a temp XDG_DATA_HOME).
import { spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, linkSync, lstatSync, mkdirSync, readdirSync, readFileSync, renameSync, rmdirSync, rmSync, statSync, symlinkSync, unlinkSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { ActionResult, DeletionCandidate, Survivor, TrashItem } from '../src-core/api';
import { MoveJournal } from '../src-main/library/move-journal';
import { MANIFEST_NAME, moveToFolder, restoreMoves } from '../src-main/library/move-to-folder';
import { trashSafely } from '../src-main/library/safe-delete';
import { ApiService } from '../src-main/library/api-service';
import { ApiArgumentError, requireTrashItems } from '../src-main/library/validate';
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
  return { path, size, mtimeMs, digest: sha256(path) };
}

const sha256 = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const journal = new MoveJournal(join(tempDir('doppel-journal-'), 'data', 'moves.jsonl'));
const journalLines = () => readFileSync(journal.path, 'utf8').trim().split('\n').map((line) => JSON.parse(line) as Record<string, unknown>);

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
  it('moves a duplicate keeping its relative path, writes a manifest, and restores it by move id', async () => {
    const keeper = place('f/keeper.jpg');
    const extra = place('f/sub/extra.jpg');
    const destination = join(tempDir('doppel-moved-'), 'review');
    const [result] = await moveToFolder([{ file: asHashed(extra), keep: [survivor(keeper)] }], destination, [root], [], journal);
    const to = join(destination, root.split('/').pop()!, 'f/sub/extra.jpg');
    expect(result).toEqual({ path: extra, status: 'moved', to, moveId: expect.stringMatching(/^[0-9a-f-]{36}$/) });
    expect(existsSync(extra)).toBe(false);
    expect(existsSync(to)).toBe(true);
    const manifest = JSON.parse(readFileSync(join(destination, MANIFEST_NAME), 'utf8'));
    expect(manifest).toEqual([expect.objectContaining({ from: extra, to, size: statSync(to).size, moveId: result!.moveId })]);

    expect(await restoreMoves([result!.moveId!], [root], journal)).toEqual([{ path: extra, status: 'moved' }]);
    expect(existsSync(extra)).toBe(true);
    expect(existsSync(to)).toBe(false);
    expect(await restoreMoves([result!.moveId!], [root], journal)).toEqual([{ path: extra, status: 'skipped', reason: 'already put back' }]);
  });

  it('refuses a destination inside a watched folder, and every member of a group', async () => {
    const a = place('g/a.jpg');
    const b = place('g/b.jpg');
    const inside = await moveToFolder([{ file: asHashed(a), keep: [survivor(b)] }], join(root, 'moved'), [root], [], journal);
    expect(inside[0]).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/inside a watched folder/) });
    // The same through a link to a folder inside the root.
    const alias = join(tempDir('doppel-moved-'), 'alias');
    symlinkSync(join(root, 'g'), alias);
    const throughLink = await moveToFolder([{ file: asHashed(a), keep: [survivor(b)] }], join(alias, 'moved'), [root], [], journal);
    expect(throughLink[0]).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/inside a watched folder/) });
    const all = await moveToFolder(
      [
        { file: asHashed(a), keep: [survivor(b)] },
        { file: asHashed(b), keep: [survivor(a)] },
      ],
      tempDir('doppel-moved-'),
      [root],
      [],
      journal,
    );
    expect(all.map((r) => r.status)).toEqual(['skipped', 'skipped']);
    expect(existsSync(a) && existsSync(b)).toBe(true);
  });
});

// Issue 14, bug 1 (deletion side): a survivor counts only if it is another physical file whose
// content is, at the moment of deletion, the content that was reviewed.
describe('trashSafely: the surviving copy', () => {
  it('refuses when the only survivor is a symlink to the file being deleted', async () => {
    const real = place('h/Originals/2019/IMG_1.jpg');
    const link = join(root, 'h/IMG_1.jpg');
    symlinkSync('Originals/2019/IMG_1.jpg', link);
    const [result] = await trashSafely([{ file: asHashed(real), keep: [survivor(link)] }], [root], [], freedesktopTrash);
    expect(result).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/never the last copy/) });
    expect(existsSync(real)).toBe(true);
  });

  it('refuses when the only survivor is a hard link of it', async () => {
    const real = place('h/hard/IMG_2.jpg');
    const hard = join(root, 'h/hard/IMG_2 copy.jpg');
    linkSync(real, hard);
    const [result] = await trashSafely([{ file: asHashed(real), keep: [survivor(hard)] }], [root], [], freedesktopTrash);
    expect(result).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/never the last copy/) });
    expect(existsSync(real) && existsSync(hard)).toBe(true);
  });

  it('allows it when the survivor is a real byte copy', async () => {
    const real = place('h/copy/IMG_3.jpg');
    const copy = place('h/copy/IMG_3 copy.jpg');
    expect(await trashSafely([{ file: asHashed(real), keep: [survivor(copy)] }], [root], [], freedesktopTrash)).toEqual([{ path: real, status: 'moved' }]);
    expect(existsSync(real)).toBe(false);
    expect(existsSync(copy)).toBe(true);
  });

  it('refuses when the survivor changed since it was reviewed, size and mtime put back', async () => {
    const real = place('h/changed/IMG_4.jpg');
    const copy = place('h/changed/IMG_4 copy.jpg');
    utimesSync(copy, 1_600_000_000, 1_600_000_000);
    const reviewed = survivor(copy);
    const bytes = readFileSync(copy);
    bytes[bytes.length - 10] ^= 0xff;
    writeFileSync(copy, bytes);
    utimesSync(copy, 1_600_000_000, 1_600_000_000);
    expect(statSync(copy).mtimeMs).toBe(reviewed.mtimeMs);
    const [result] = await trashSafely([{ file: asHashed(real), keep: [reviewed] }], [root], [], freedesktopTrash);
    expect(result).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/never the last copy/) });
    expect(existsSync(real)).toBe(true);
  });

  it('refuses to trash a path that is itself a symlink: a link, not a photo', async () => {
    const real = place('i/real.jpg');
    const copy = place('i/copy.jpg');
    const link = join(root, 'i/link.jpg');
    symlinkSync(real, link);
    const [result] = await trashSafely([{ file: asHashed(link), keep: [survivor(copy)] }], [root], [], freedesktopTrash);
    expect(result).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/a link, not a photo/) });
    expect(lstatSync(link).isSymbolicLink() && existsSync(real)).toBe(true);
  });
});

describe('paths are resolved before they are compared', () => {
  it('D/./s1.jpg is the same file as D/s1.jpg: not a surviving copy of it', async () => {
    const s1 = place('j/D/s1.jpg');
    const sameFile = `${root}/j/D/./s1.jpg`; // join() would tidy the path up
    const [result] = await trashSafely([{ file: asHashed(s1), keep: [survivor(sameFile)] }], [root], [], freedesktopTrash);
    expect(result).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/never the last copy/) });
    expect(existsSync(s1)).toBe(true);
  });

  it('sub/../prot/x.jpg is in the protected folder prot, and so is a file reached through a link to it', async () => {
    mkdirSync(join(root, 'j/sub'), { recursive: true });
    const x = place('j/prot/x.jpg');
    const copy = place('j/copy-of-x.jpg');
    const dotted = `${root}/j/sub/../prot/x.jpg`;
    const [viaDots] = await trashSafely([{ file: asHashed(dotted), keep: [survivor(copy)] }], [root], [join(root, 'j/prot')], freedesktopTrash);
    expect(viaDots).toMatchObject({ status: 'skipped', reason: 'in a protected folder' });
    expect(existsSync(x)).toBe(true);
    // The protected folder named through a link (as the person typed it).
    symlinkSync(join(root, 'j/prot'), join(root, 'j/prot-alias'));
    const [viaAlias] = await trashSafely([{ file: asHashed(x), keep: [survivor(copy)] }], [root], [join(root, 'j/prot-alias')], freedesktopTrash);
    expect(viaAlias).toMatchObject({ status: 'skipped', reason: 'in a protected folder' });
    expect(existsSync(x)).toBe(true);
  });

  it('the API boundary resolves . and .. and refuses relative paths', () => {
    const digest = '0'.repeat(64);
    const [item] = requireTrashItems([{ file: { path: '/p/D/./sub/../s1.jpg', size: 1, mtimeMs: 1, digest }, keep: [{ path: '/p//D/s2.jpg/', size: 1, mtimeMs: 1, digest }] }]);
    expect(item!.file.path).toBe('/p/D/s1.jpg');
    expect(item!.keep[0]!.path).toBe('/p/D/s2.jpg');
    expect(() => requireTrashItems([{ file: { path: 'D/s1.jpg', size: 1, mtimeMs: 1, digest }, keep: [] }])).toThrow(ApiArgumentError);
    expect(() => requireTrashItems([{ file: { path: '/p/D/s1.jpg', size: 1, mtimeMs: 1, digest }, keep: [{ path: '/p/s2.jpg', size: 1, mtimeMs: 1 }] }])).toThrow(/digest/);
  });
});

describe('the file checked is the file acted on', () => {
  it('never trashes the file a folder link leads to once it is swapped between the check and the trash', async () => {
    const dir = join(root, 'race');
    const realAlbum = join(dir, 'real-album');
    const outsideAlbum = join(elsewhere, 'race-album');
    mkdirSync(realAlbum, { recursive: true });
    mkdirSync(outsideAlbum, { recursive: true });
    const keeper = place('race/keeper.jpg');
    // The same bytes and mtime outside the root: every check by path passes on either file.
    const outsideCopy = place('x.jpg', outsideAlbum);
    utimesSync(outsideCopy, 1_600_000_000, 1_600_000_000);
    const inside = join(realAlbum, 'x.jpg');
    const refill = () => {
      copyFileSync(PHOTO, inside);
      utimesSync(inside, 1_600_000_000, 1_600_000_000);
    };
    refill();
    symlinkSync(realAlbum, join(dir, 'album'));
    const file = { ...asHashed(inside), path: join(dir, 'album/x.jpg') };
    const bin = tempDir('doppel-race-bin-');
    let n = 0;
    const fakeTrash = async (path: string) => renameSync(path, join(bin, `${n++}.jpg`));
    // A separate process points album at the real folder and at the outside one in turn, each
    // an atomic rename of a fresh link, for as long as the test trashes.
    const flipper = spawn(process.execPath, [
      '-e',
      `const fs = require('fs'); const [dir, a, b] = process.argv.slice(1);
       const end = Date.now() + 3000;
       for (let k = 0; Date.now() < end; k++) {
         try { fs.unlinkSync(dir + '/link.tmp'); } catch {}
         fs.symlinkSync(k % 2 ? a : b, dir + '/link.tmp'); fs.renameSync(dir + '/link.tmp', dir + '/album');
       }`,
      dir,
      realAlbum,
      outsideAlbum,
    ]);
    const exited = new Promise((done) => flipper.on('exit', done));
    const seen = { moved: 0, skipped: 0 };
    const end = Date.now() + 2500;
    while (Date.now() < end && existsSync(outsideCopy)) {
      if (!existsSync(inside)) refill();
      const [result] = await trashSafely([{ file, keep: [survivor(keeper)] }], [root], [], fakeTrash);
      if (result!.status === 'moved') seen.moved++;
      else seen.skipped++;
    }
    await exited;
    expect(existsSync(outsideCopy)).toBe(true);
    // The race was real: both outcomes happened.
    expect(seen.moved).toBeGreaterThan(0);
    expect(seen.skipped).toBeGreaterThan(0);
  });
});

// Issue 14, bug 7: a manifest that is not Doppel's is never overwritten, and nothing moves.
describe('moveToFolder and an existing manifest', () => {
  const linkTarget = join(tempDir('doppel-link-target-'), 'notes.txt');
  writeFileSync(linkTarget, 'someone else\'s file');
  const foreign: Array<[string, (manifest: string) => void]> = [
    ['an empty object', (m) => writeFileSync(m, '{}')],
    ['another program\'s JSON', (m) => writeFileSync(m, '{"app":"other","items":[1,2]}')],
    ['an array of something else', (m) => writeFileSync(m, '["a","b"]')],
    ['text that is not JSON', (m) => writeFileSync(m, 'my notes\n')],
    ['a folder', (m) => mkdirSync(m)],
    // A link to a file of this test's own, never to shared data: the bug wrote through it.
    ['a link', (m) => symlinkSync(linkTarget, m)],
  ];
  for (const [what, make] of foreign) {
    it(`refuses before moving anything when the manifest there is ${what}`, async () => {
      const keeper = place('m/keeper.jpg');
      const extra = place(`m/extra-${what.replace(/\W+/g, '-')}.jpg`);
      const destination = tempDir('doppel-moved-');
      const manifest = join(destination, MANIFEST_NAME);
      make(manifest);
      const before = lstatSync(manifest).isFile() ? readFileSync(manifest, 'utf8') : undefined;
      const [result] = await moveToFolder([{ file: asHashed(extra), keep: [survivor(keeper)] }], destination, [root], [], journal);
      expect(result).toMatchObject({ path: extra, status: 'skipped', reason: expect.stringMatching(/not a Doppel manifest/) });
      expect(existsSync(extra)).toBe(true);
      if (before !== undefined) expect(readFileSync(manifest, 'utf8')).toBe(before);
      expect(readFileSync(linkTarget, 'utf8')).toBe("someone else's file");
      expect(readdirSync(destination)).toEqual([MANIFEST_NAME]);
    });
  }

  it('accepts an older manifest (a JSON array of moves) and keeps its entries', async () => {
    const keeper = place('m/keeper.jpg');
    const extra = place('m/older.jpg');
    const destination = tempDir('doppel-moved-');
    const older = [{ from: '/old/a.jpg', to: join(destination, 'old/a.jpg'), digest: 'ab'.repeat(32), size: 3, at: '2024-01-01T00:00:00.000Z' }];
    writeFileSync(join(destination, MANIFEST_NAME), JSON.stringify(older, null, 2));
    const [result] = await moveToFolder([{ file: asHashed(extra), keep: [survivor(keeper)] }], destination, [root], [], journal);
    expect(result).toMatchObject({ status: 'moved' });
    const manifest = JSON.parse(readFileSync(join(destination, MANIFEST_NAME), 'utf8'));
    expect(manifest).toEqual([older[0], expect.objectContaining({ from: extra, to: result!.to, moveId: result!.moveId })]);
  });

  it('journals each move before it happens: the journal alone can put it back', async () => {
    const keeper = place('m/keeper.jpg');
    const extra = place('m/journaled.jpg');
    const hashed = asHashed(extra);
    const destination = tempDir('doppel-moved-');
    const [result] = await moveToFolder([{ file: hashed, keep: [survivor(keeper)] }], destination, [root], [], journal);
    const lines = journalLines().filter((line) => line.id === result!.moveId);
    expect(lines).toEqual([
      { type: 'move', id: result!.moveId, from: extra, to: result!.to, size: hashed.size, digest: hashed.digest, at: expect.any(String) },
      { type: 'moved', id: result!.moveId, at: expect.any(String) },
    ]);
    unlinkSync(join(destination, MANIFEST_NAME)); // lost, or deleted by hand
    expect(await restoreMoves([result!.moveId!], [root], journal)).toEqual([{ path: extra, status: 'moved' }]);
    expect(sha256(extra)).toBe(hashed.digest);
  });
});

const otherDrive = existsSync('/dev/shm') && statSync('/dev/shm').dev !== statSync(root).dev ? '/dev/shm' : undefined;
describe.skipIf(!otherDrive)('moveToFolder onto another drive (no hard link possible: a checked copy)', () => {
  it('copies from the checked descriptor with its mtime, removes the original, and restores it the same way', async () => {
    const keeper = place('x/keeper.jpg');
    const extra = place('x/extra.jpg');
    const hashed = asHashed(extra);
    const destination = join(otherDrive!, `doppel-other-drive-${process.pid}`);
    onTestFinished(() => rmSync(destination, { recursive: true, force: true }));
    const [result] = await moveToFolder([{ file: hashed, keep: [survivor(keeper)] }], destination, [root], [], journal);
    expect(result).toMatchObject({ status: 'moved', moveId: expect.any(String) });
    expect(existsSync(extra)).toBe(false);
    expect(sha256(result!.to!)).toBe(hashed.digest);
    expect(Math.abs(statSync(result!.to!).mtimeMs - hashed.mtimeMs)).toBeLessThan(0.01);
    expect(await restoreMoves([result!.moveId!], [root], journal)).toEqual([{ path: extra, status: 'moved' }]);
    expect(sha256(extra)).toBe(hashed.digest);
    expect(existsSync(result!.to!)).toBe(false);
  });
});

// Issue 14, bug 2: restore performs only moves Doppel recorded, and re-checks both ends.
describe('restoreMoves', () => {
  async function moved(name: string): Promise<{ from: string; to: string; id: string }> {
    const keeper = place(`r/keeper.jpg`);
    const from = place(`r/${name}/photo.jpg`);
    const [result] = await moveToFolder([{ file: asHashed(from), keep: [survivor(keeper)] }], tempDir('doppel-moved-'), [root], [], journal);
    expect(result).toMatchObject({ status: 'moved' });
    return { from, to: result!.to!, id: result!.moveId! };
  }

  it('refuses an id Doppel never recorded', async () => {
    expect(await restoreMoves(['00000000-0000-4000-8000-000000000000'], [root], journal)).toEqual([
      { path: '00000000-0000-4000-8000-000000000000', status: 'skipped', reason: 'not a move Doppel made' },
    ]);
  });

  it('refuses when the original folder became a link leading out of every root', async () => {
    const { from, to, id } = await moved('linked');
    const out = join(elsewhere, 'restore-out');
    mkdirSync(out);
    rmdirSync(join(root, 'r/linked'));
    symlinkSync(out, join(root, 'r/linked'));
    const [result] = await restoreMoves([id], [root], journal);
    expect(result).toMatchObject({ path: from, status: 'skipped', reason: 'not inside a watched folder' });
    expect(readdirSync(out)).toEqual([]);
    expect(existsSync(to)).toBe(true);
  });

  it('refuses when the moved file was replaced by a link, or by other bytes of the same size', async () => {
    const linked = await moved('to-link');
    const elsewhereCopy = place('restore-copy.jpg', elsewhere);
    unlinkSync(linked.to);
    symlinkSync(elsewhereCopy, linked.to);
    const [viaLink] = await restoreMoves([linked.id], [root], journal);
    expect(viaLink).toMatchObject({ path: linked.from, status: 'skipped', reason: expect.stringMatching(/link/) });
    expect(existsSync(linked.from)).toBe(false);

    const edited = await moved('to-edit');
    const bytes = readFileSync(edited.to);
    bytes[bytes.length - 10] ^= 0xff;
    writeFileSync(edited.to, bytes);
    const [viaEdit] = await restoreMoves([edited.id], [root], journal);
    expect(viaEdit).toMatchObject({ path: edited.from, status: 'skipped', reason: expect.stringMatching(/changed/) });
    expect(existsSync(edited.from)).toBe(false);
  });

  it('never overwrites a file (or a link) at the original place', async () => {
    const { from, to, id } = await moved('taken');
    writeFileSync(from, 'a new file');
    const [result] = await restoreMoves([id], [root], journal);
    expect(result).toMatchObject({ path: from, status: 'skipped', reason: 'a file is already at the original place' });
    expect(readFileSync(from, 'utf8')).toBe('a new file');
    unlinkSync(from);
    symlinkSync(join(elsewhere, 'nothing-here.jpg'), from); // a dangling link
    const [again] = await restoreMoves([id], [root], journal);
    expect(again).toMatchObject({ status: 'skipped', reason: 'a file is already at the original place' });
    expect(existsSync(to)).toBe(true);
    expect(existsSync(join(elsewhere, 'nothing-here.jpg'))).toBe(false);
  });
});

// The API boundary of the service: what an untrusted renderer can ask for.
describe('ApiService file actions at the API boundary', () => {
  const serviceRoot = tempDir('doppel-boundary-root-');
  const outside = tempDir('doppel-boundary-outside-');
  const dataDir = tempDir('doppel-boundary-data-');
  const noWorkers = () => {
    throw new Error('no hashing in this test');
  };
  let service: ApiService;
  beforeAll(async () => {
    service = new ApiService({
      createWorker: noWorkers,
      appInfo: { version: 'test', host: 'browser', platform: process.platform, initialRoots: [] },
      emit: () => undefined,
      moveToTrash: freedesktopTrash,
      journalPath: join(dataDir, 'moves.jsonl'),
    });
    await service.call('watchRoot', [serviceRoot, { networkDrive: false }]);
  });
  afterAll(() => service.close());

  it('restore takes move ids only: a forged move from outside into a root, or through a folder link out of it, is refused', async () => {
    const secret = place('secret.jpg', outside);
    const photo = place('photo.jpg', serviceRoot);
    symlinkSync(outside, join(serviceRoot, 'out-link'));
    await expect(service.call('restore', [[{ from: join(serviceRoot, 'stolen.jpg'), to: secret }]])).rejects.toThrow(ApiArgumentError);
    await expect(service.call('restore', [[{ from: join(serviceRoot, 'out-link/photo.jpg'), to: photo }]])).rejects.toThrow(ApiArgumentError);
    expect(existsSync(secret) && existsSync(photo)).toBe(true);
    expect(existsSync(join(serviceRoot, 'stolen.jpg')) || existsSync(join(outside, 'photo.jpg'))).toBe(false);
  });

  it('moves to a folder and restores by the returned id, journaled in the data folder', async () => {
    const keeper = place('b/keeper.jpg', serviceRoot);
    const extra = place('b/extra.jpg', serviceRoot);
    const destination = tempDir('doppel-boundary-moved-');
    const [result] = (await service.call('moveToFolder', [[{ file: asHashed(extra), keep: [survivor(keeper)] }], destination, []])) as ActionResult[];
    expect(result).toMatchObject({ status: 'moved', moveId: expect.any(String) });
    expect(readFileSync(join(dataDir, 'moves.jsonl'), 'utf8')).toContain(result!.moveId);
    expect(await service.call('restore', [[result!.moveId]])).toEqual([{ path: extra, status: 'moved' }]);
    expect(existsSync(extra)).toBe(true);
  });

  it('D/./s1.jpg kept while D/s1.jpg goes: refused', async () => {
    const s1 = place('D/s1.jpg', serviceRoot);
    const [result] = (await service.call('trash', [[{ file: asHashed(s1), keep: [survivor(`${serviceRoot}/D/./s1.jpg`)] }], []])) as ActionResult[];
    expect(result).toMatchObject({ status: 'skipped', reason: expect.stringMatching(/never the last copy/) });
    expect(existsSync(s1)).toBe(true);
  });
});

// One photo per physical file: a symlink and its target, and hard links, are names of one file.
// Real files, real symlinks and real hard links on disk.
import { copyFileSync, linkSync, lstatSync, mkdirSync, mkdtempSync, realpathSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { onePerPhysicalFile, type NamedFile } from './physical-files';

const base = realpathSync(mkdtempSync(join(tmpdir(), 'doppel-physical-')));
afterAll(() => rmSync(base, { recursive: true, force: true }));

/** What the watcher and the CLI's walk know of a name: the file it leads to, and whether it is a link. */
function named(path: string): NamedFile & { size: number } {
  const target = statSync(path);
  return { path, fileId: `${target.dev}:${target.ino}`, size: target.size, ...(lstatSync(path).isSymbolicLink() ? { symlink: true } : {}) };
}

describe('onePerPhysicalFile', () => {
  const photo = join(base, 'Originals/2019/IMG_1.jpg');
  const link = join(base, 'IMG_1.jpg');
  const hard = join(base, 'Originals/IMG_1 (hard link).jpg');
  const copy = join(base, 'Backup/IMG_1.jpg');
  mkdirSync(join(base, 'Originals/2019'), { recursive: true });
  mkdirSync(join(base, 'Backup'));
  writeFileSync(photo, 'the photo bytes');
  symlinkSync('Originals/2019/IMG_1.jpg', link);
  linkSync(photo, hard);
  copyFileSync(photo, copy);

  it('collapses a symlink, its target and a hard link into one entry, named by a name that is not a link', () => {
    const files = onePerPhysicalFile([link, photo, copy, hard].map(named));
    expect(files.map((f) => f.path)).toEqual([photo, copy]);
    // The shortest name that is not a symlink is the primary; the others follow in that order
    // (names that are not links first, then by length).
    expect(files[0]!.otherNames).toEqual([hard, link]);
    expect(files[0]).toMatchObject({ fileId: named(photo).fileId, size: 15 });
    // A real copy is another physical file, with no other names.
    expect(files[1]).toEqual(named(copy));
    expect(files[1]!.otherNames).toBeUndefined();
  });

  it('gives the same answer whatever order the names come in', () => {
    const orders = [
      [photo, link, hard, copy],
      [copy, hard, link, photo],
      [link, copy, photo, hard],
    ];
    const answers = orders.map((order) => onePerPhysicalFile(order.map(named)).sort((a, b) => a.path.localeCompare(b.path)));
    expect(answers[1]).toEqual(answers[0]);
    expect(answers[2]).toEqual(answers[0]);
  });

  it('a name that is only a symlink is still the one photo it names', () => {
    const [only] = onePerPhysicalFile([named(link)]);
    expect(only).toMatchObject({ path: link, symlink: true });
    // Between a link and its target alone, the target names the photo even though it is longer.
    expect(onePerPhysicalFile([link, photo].map(named))).toEqual([{ ...named(photo), otherNames: [link] }]);
  });

  it('keeps files of unknown identity apart, and lists a name given twice once', () => {
    const unknown = [{ path: photo }, { path: link }, { path: photo }];
    expect(onePerPhysicalFile(unknown)).toEqual(unknown);
    expect(onePerPhysicalFile([named(photo), named(photo)])).toEqual([named(photo)]);
  });
});

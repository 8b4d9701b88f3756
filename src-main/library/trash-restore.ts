// Putting back files Doppel moved to the freedesktop.org trash (Linux: the `trash` package in
// the host, Electron's shell.trashItem in the app). Each trashed file is found through the
// trash's info files (info/NAME.trashinfo: Path=, URL-encoded, and DeletionDate=; the file is
// files/NAME), in the home trash ($XDG_DATA_HOME/Trash) and, for other drives, in the
// `.Trash/UID` and `.Trash-UID` folders at the top of the original's drive, as the freedesktop
// Trash specification says. The renderer only says what it trashed (path, size, digest) and is
// not trusted: a file is moved back only when a trashed copy of that path has that size and
// SHA-256, only into a folder inside a watched root (links resolved), never over a file.
import { lstat, readdir, readFile, realpath, stat, unlink } from 'node:fs/promises';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join, resolve } from 'node:path';
import type { ActionResult, Survivor } from '../../src-core/api';
import { physicalId } from '../files/file-id';
import { openRegularFile } from '../files/open-regular';
import { ActionRefused, digestOf, moveNoReplace } from '../files/transfer';
import { isInsideRoot } from './path-guard';

/** What History says where the OS trash cannot be read back. */
export const IN_SYSTEM_TRASH = 'in the system Trash: restore it from there';
const ALREADY_BACK = 'already back in its place';
const NOT_IN_TRASH = 'no longer in the Trash (emptied, or put back by hand)';
const CHANGED_IN_TRASH = 'its copy in the Trash is not the file that was trashed (changed since): not restored';

/** One trash folder: `info/` and `files/`, and the drive top its relative paths start from. */
export interface TrashDir {
  path: string;
  top: string;
}

/** A trashed file of one of the trash folders. */
interface TrashEntry {
  original: string;
  deletedAt: string;
  filePath: string;
  infoPath: string;
}

/** The home trash and the trash folders at the top of the drive holding `folder`. */
export async function trashDirsFor(folder: string): Promise<TrashDir[]> {
  const dataHome = process.env.XDG_DATA_HOME || join(homedir(), '.local/share');
  const dirs: TrashDir[] = [{ path: join(dataHome, 'Trash'), top: (await driveTop(dataHome)) ?? '/' }];
  const top = await driveTop(folder);
  if (top === undefined) return dirs;
  const uid = process.getuid?.() ?? 0;
  // $top/.Trash/$uid counts only when .Trash is a real folder with the sticky bit (the spec:
  // otherwise anyone could have made it).
  const shared = await lstat(join(top, '.Trash')).catch(() => undefined);
  if (shared?.isDirectory() && !shared.isSymbolicLink() && (shared.mode & 0o1000) !== 0) dirs.push({ path: join(top, '.Trash', String(uid)), top });
  dirs.push({ path: join(top, `.Trash-${uid}`), top });
  return dirs;
}

/** The topmost folder above `folder` on the same device (its mount point). */
async function driveTop(folder: string): Promise<string | undefined> {
  let current = await realpath(folder).catch(() => undefined);
  if (current === undefined) return undefined;
  const device = (await stat(current)).dev;
  for (;;) {
    const parent = dirname(current);
    if (parent === current || (await stat(parent)).dev !== device) return current;
    current = parent;
  }
}

/** The [Trash Info] of one .trashinfo file, or undefined when it is not one. */
export function parseTrashInfo(text: string, top: string): { original: string; deletedAt: string } | undefined {
  const lines = text.split(/\r?\n/);
  if (lines[0]?.trim() !== '[Trash Info]') return undefined;
  const value = (key: string) => lines.find((line) => line.startsWith(`${key}=`))?.slice(key.length + 1);
  const encoded = value('Path');
  if (!encoded) return undefined;
  let decoded: string;
  try {
    decoded = decodeURIComponent(encoded);
  } catch {
    return undefined;
  }
  return { original: isAbsolute(decoded) ? resolve(decoded) : resolve(top, decoded), deletedAt: value('DeletionDate') ?? '' };
}

async function entriesOf(dir: TrashDir): Promise<TrashEntry[]> {
  const infoDir = join(dir.path, 'info');
  const names = await readdir(infoDir).catch(() => [] as string[]);
  const entries: TrashEntry[] = [];
  for (const name of names) {
    if (!name.endsWith('.trashinfo')) continue;
    const infoPath = join(infoDir, name);
    const info = parseTrashInfo(await readFile(infoPath, 'utf8').catch(() => ''), dir.top);
    if (info) entries.push({ ...info, infoPath, filePath: join(dir.path, 'files', name.slice(0, -'.trashinfo'.length)) });
  }
  return entries;
}

/** Puts each file back from the trash (see the top of this file); one result per file, in order.
 *  `trashDirs` says where to look for a file in a folder (tests lay out a drive's trash). */
export async function restoreFromTrash(files: readonly Survivor[], roots: readonly string[], trashDirs = trashDirsFor): Promise<ActionResult[]> {
  const results: ActionResult[] = [];
  for (const file of files) {
    try {
      results.push({ path: file.path, ...(await restoreOne(file, roots, trashDirs)) });
    } catch (error) {
      if (error instanceof ActionRefused) results.push({ path: file.path, status: 'skipped', reason: error.message });
      else results.push({ path: file.path, status: 'failed', reason: `could not restore it: ${(error as Error).message}` });
    }
  }
  return results;
}

async function restoreOne(file: Survivor, roots: readonly string[], trashDirs: typeof trashDirsFor): Promise<Omit<ActionResult, 'path'>> {
  const target = resolve(file.path);
  const folder = await realpath(dirname(target)).catch(() => undefined);
  if (folder === undefined) throw new ActionRefused(`its folder ${dirname(target)} is gone`);
  if (!(await isInsideRoot(folder, roots))) throw new ActionRefused('its folder is not inside a watched folder');
  // Trashed under the real path it was checked at; asked for by the path the library knows.
  const realTarget = join(folder, basename(target));
  if (await lstat(realTarget).catch(() => undefined)) {
    if (await holds(realTarget, file)) return { status: 'skipped', reason: ALREADY_BACK };
    throw new ActionRefused(`${realTarget} already exists`);
  }
  const entries = (await Promise.all((await trashDirs(folder)).map(entriesOf))).flat();
  const candidates = entries.filter((e) => e.original === target || e.original === realTarget).sort((a, b) => b.deletedAt.localeCompare(a.deletedAt));
  if (candidates.length === 0) return { status: 'skipped', reason: NOT_IN_TRASH };
  for (const entry of candidates) {
    let opened;
    try {
      opened = await openRegularFile(entry.filePath);
    } catch {
      continue; // gone or not a file: not this one
    }
    try {
      if (opened.stats.size !== file.size || (await digestOf(opened.handle)) !== file.digest) continue;
      const id = physicalId(await opened.handle.stat({ bigint: true }));
      await moveNoReplace(opened.handle, id, file.digest, opened.realPath, realTarget);
    } finally {
      await opened.handle.close();
    }
    await unlink(entry.infoPath).catch(() => undefined);
    return { status: 'moved', to: realTarget };
  }
  return { status: 'skipped', reason: CHANGED_IN_TRASH };
}

/** Whether `path` is a regular file with the size and SHA-256 of `file`. */
async function holds(path: string, file: Survivor): Promise<boolean> {
  try {
    const opened = await openRegularFile(path);
    try {
      return opened.stats.size === file.size && (await digestOf(opened.handle)) === file.digest;
    } finally {
      await opened.handle.close();
    }
  } catch {
    return false;
  }
}

// Deleting duplicates safely: every file is re-checked just before it goes, and each gets its
// own result; one failure never stops the rest.
//
// The checks are made on the file itself, not on its name: it is opened (openRegularFile, inside
// a watched root once every link is resolved), its size and mtime read and its content hashed
// through that descriptor, and the action then acts on the real path it was found at, only
// while that place still holds the same device and inode. Paths are compared only once resolved.
import { lstat, realpath, type FileHandle } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { ActionResult, Survivor, TrashItem } from '../../src-core/api';
import { OpenRefused, openRegularFile, type OpenRefusal } from '../files/open-regular';
import { physicalId } from '../files/file-id';
import { ActionRefused, digestOf, placeId } from '../files/transfer';
import { carryCompanions, type MovedPhoto } from './companion-moves';
import { isLexicallyInside } from './path-guard';

export type MoveToTrash = (path: string) => Promise<void>;

/** A file that passed every check, still open. An action must act on `realPath`, and only
 *  while that place holds `id`. */
export interface CheckedFile {
  realPath: string;
  /** "device:inode", exact (BigInt stats). */
  id: string;
  handle: FileHandle;
  size: number;
  mtimeMs: number;
  digest: string;
}

/** Acts on a checked file (a companion: with the real path its photo was at); what it returns
 *  is added to the file's result. Throw ActionRefused to skip it with a reason. */
export type Act = (file: CheckedFile, companionOf?: string) => Promise<Partial<ActionResult> | void>;

const CHANGED = 'changed (or gone) since it was hashed: review it again';
const LAST_COPY = 'no other copy of it would remain (never the last copy)';
const OPEN_REFUSALS: Record<OpenRefusal, string> = {
  gone: CHANGED,
  outside: 'not inside a watched folder',
  'not-a-file': 'not a regular file',
  swapped: 'it was replaced while it was being checked: review it again',
};

/** Watched roots and protected folders, as given (resolved) and with every link resolved. */
interface Places {
  roots: readonly string[];
  protected: string[];
}

async function resolvePlaces(roots: readonly string[], protectedFolders: readonly string[]): Promise<Places> {
  const given = protectedFolders.map((folder) => resolve(folder));
  const real = await Promise.all(given.map((folder) => realpath(folder).catch(() => undefined)));
  return { roots, protected: [...given, ...real.filter((folder): folder is string => folder !== undefined)] };
}

/**
 * Runs every check on each item and, for those that pass, `act` on the checked file. A
 * surviving copy must be one the person did not ask to delete in this request (asking to delete
 * every member refuses them all), another physical file than the one deleted (not a link to it,
 * not a hard link of it), and still hold the content that was reviewed (size and SHA-256), at
 * the moment of the action. The companions of each file that went follow it (companion-moves.ts).
 */
export async function actOnChecked(items: readonly TrashItem[], roots: readonly string[], protectedFolders: readonly string[], act: Act, refused: string): Promise<ActionResult[]> {
  const places = await resolvePlaces(roots, protectedFolders);
  const leaving = new Set(items.map((i) => resolve(i.file.path)));
  const results: ActionResult[] = [];
  const moved: MovedPhoto[] = [];
  for (const item of items) {
    const path = item.file.path;
    try {
      const checked = await check(item, places, leaving);
      if (typeof checked === 'string') {
        results.push({ path, status: 'skipped', reason: checked });
        continue;
      }
      try {
        const result: ActionResult = { path, status: 'moved', ...(await act(checked)) };
        results.push(result);
        if (item.file.companions?.length) moved.push({ realPath: checked.realPath, companions: item.file.companions, result });
      } finally {
        await checked.handle.close();
      }
    } catch (error) {
      if (error instanceof ActionRefused) results.push({ path, status: 'skipped', reason: error.message });
      else results.push({ path, status: 'failed', reason: `${refused}: ${(error as Error).message}` });
    }
  }
  await carryCompanions(moved, roots, act, refused);
  return results;
}

/** The checked file (open: the caller closes it), or why it must not be deleted now. */
async function check(item: TrashItem, places: Places, leaving: ReadonlySet<string>): Promise<CheckedFile | string> {
  const { file } = item;
  const path = resolve(file.path);
  try {
    if ((await lstat(path)).isSymbolicLink()) return 'a link, not a photo: only the file it leads to can be deleted';
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return CHANGED;
    throw error;
  }
  let opened;
  try {
    opened = await openRegularFile(path, places.roots);
  } catch (error) {
    if (error instanceof OpenRefused) return OPEN_REFUSALS[error.refusal];
    throw error;
  }
  const { handle, realPath, stats } = opened;
  let handedOver = false;
  try {
    if (places.protected.some((folder) => isLexicallyInside(path, folder) || isLexicallyInside(realPath, folder))) return 'in a protected folder';
    if (stats.size !== file.size || stats.mtimeMs !== file.mtimeMs) return CHANGED;
    const id = physicalId(await handle.stat({ bigint: true }));
    if ((await digestOf(handle)) !== file.digest) return 'its contents changed since it was hashed: review it again';
    const after = await handle.stat();
    if (after.size !== file.size || after.mtimeMs !== file.mtimeMs) return CHANGED; // written while hashed
    const survivors = item.keep.filter((s) => !leaving.has(resolve(s.path)));
    if (!(await someSurvivor(survivors, id, places.roots))) return LAST_COPY;
    handedOver = true;
    return { realPath, id, handle, size: file.size, mtimeMs: file.mtimeMs, digest: file.digest };
  } finally {
    if (!handedOver) await handle.close();
  }
}

/** True when one of `survivors` is, now, another physical file (links followed) inside a
 *  watched root with the size and SHA-256 it was reviewed with. */
async function someSurvivor(survivors: readonly Survivor[], id: string, roots: readonly string[]): Promise<boolean> {
  for (const survivor of survivors) {
    let opened;
    try {
      opened = await openRegularFile(survivor.path, roots);
    } catch {
      continue; // gone, outside, not a file, unreadable: not a surviving copy
    }
    try {
      if (physicalId(await opened.handle.stat({ bigint: true })) === id) continue;
      if (opened.stats.size === survivor.size && (await digestOf(opened.handle)) === survivor.digest) return true;
    } catch {
      // unreadable: not a surviving copy
    } finally {
      await opened.handle.close();
    }
  }
  return false;
}

/** Just before acting: `file.realPath` still holds the checked file, unchanged, and its folder
 *  is still where it was (no link swapped in on the way). Throws ActionRefused otherwise. */
export async function stillInPlace(file: CheckedFile): Promise<void> {
  const now = await file.handle.stat();
  if (now.size !== file.size || now.mtimeMs !== file.mtimeMs) throw new ActionRefused(CHANGED);
  const folder = dirname(file.realPath);
  if ((await realpath(folder).catch(() => undefined)) !== folder || (await placeId(file.realPath)) !== file.id) {
    throw new ActionRefused('it was replaced while it was being checked: review it again');
  }
}

/** Trashes each file that passes every check (see actOnChecked): the real path it was checked
 *  at, while that place still holds it. */
export async function trashSafely(
  items: readonly TrashItem[],
  roots: readonly string[],
  protectedFolders: readonly string[],
  moveToTrash: MoveToTrash,
  refused = 'the trash refused it',
): Promise<ActionResult[]> {
  return actOnChecked(
    items,
    roots,
    protectedFolders,
    async (file) => {
      await stillInPlace(file);
      await moveToTrash(file.realPath);
    },
    refused,
  );
}

// A photo's companions go where the photo went (the trash, a folder), after it did, each
// re-checked like the photo: main decides itself, from the folder as it is now, that the file
// is a companion of the photo (the renderer only names it), and moves it only when no other
// photo it belongs to stays (a shared IMG_1.xmp waits for both IMG_1.CR2 and IMG_1.JPG). A
// companion changed since it was listed is left in place and reported. Nothing but the photo's
// own folder is ever touched, so naming a file as a companion cannot move anything else.
import { lstat, readdir, realpath } from 'node:fs/promises';
import { basename, dirname, resolve } from 'node:path';
import type { ActionResult, CompanionResult, CompanionToMove } from '../../src-core/api';
import { FolderPhotos, ownersOf } from '../../src-core/companions/discover';
import { photoNames } from '../files/companion-files';
import { physicalId } from '../files/file-id';
import { OpenRefused, openRegularFile } from '../files/open-regular';
import { ActionRefused, digestOf } from '../files/transfer';
import type { Act, CheckedFile } from './safe-delete';

const CHANGED = 'changed since it was listed: left in place';

/** A photo that moved, with the companions the request named for it. */
export interface MovedPhoto {
  /** Where the photo was (its real path). */
  realPath: string;
  companions: readonly CompanionToMove[];
  result: ActionResult;
}

/** Moves the companions of `moved` with `act` (after every photo of the request moved, so a
 *  shared sidecar sees all its photos gone) and adds each one's outcome to its photo's result
 *  (a companion two photos named: to the first). */
export async function carryCompanions(moved: readonly MovedPhoto[], roots: readonly string[], act: Act, refused: string): Promise<void> {
  const done = new Set<string>();
  for (const photo of moved) {
    const results: CompanionResult[] = [];
    for (const companion of photo.companions) {
      const path = resolve(companion.path);
      if (done.has(path)) continue;
      done.add(path);
      results.push(await carryOne(companion, path, photo.realPath, roots, act, refused));
    }
    if (results.length > 0) photo.result.companions = results;
  }
}

async function carryOne(companion: CompanionToMove, path: string, photo: string, roots: readonly string[], act: Act, refused: string): Promise<CompanionResult> {
  const skip = (reason: string): CompanionResult => ({ path: companion.path, status: 'skipped', reason });
  try {
    const belonging = await belongs(path, photo);
    if (belonging) return skip(belonging);
    const checked = await check(companion, path, roots);
    if (typeof checked === 'string') return skip(checked);
    try {
      const done = await act(checked, photo);
      return { path: companion.path, status: 'moved', size: checked.size, mtimeMs: checked.mtimeMs, digest: checked.digest, ...(done ? { to: done.to, moveId: done.moveId } : {}) };
    } finally {
      await checked.handle.close();
    }
  } catch (error) {
    if (error instanceof ActionRefused) return skip(error.message);
    return { path: companion.path, status: 'failed', reason: `${refused}: ${(error as Error).message}` };
  }
}

/** Why `path` must not go with `photo` (moved away from `photo`'s place already), or undefined. */
async function belongs(path: string, photo: string): Promise<string | undefined> {
  let info;
  try {
    info = await lstat(path);
  } catch {
    return 'no longer there';
  }
  if (info.isSymbolicLink()) return 'a link: left in place';
  const folder = dirname(photo);
  if ((await realpath(dirname(path)).catch(() => undefined)) !== folder) return 'not beside its photo: left in place';
  const names = await readdir(folder);
  const present = photoNames(names);
  const owned = ownersOf(basename(path), new FolderPhotos(new Set([...present, basename(photo)])));
  if (!owned?.owners.includes(basename(photo))) return `not a companion of ${basename(photo)}: left in place`;
  const staying = owned.owners.filter((owner) => present.has(owner));
  return staying.length > 0 ? `also belongs to ${staying.join(', ')}, which stays: left in place` : undefined;
}

/** The companion opened and checked against its listing (the caller closes it), or why not. */
async function check(companion: CompanionToMove, path: string, roots: readonly string[]): Promise<CheckedFile | string> {
  let opened;
  try {
    opened = await openRegularFile(path, roots);
  } catch (error) {
    if (error instanceof OpenRefused) return error.refusal === 'gone' ? 'no longer there' : `${error.message}: left in place`;
    throw error;
  }
  const { handle, realPath, stats } = opened;
  let handedOver = false;
  try {
    if (stats.size !== companion.size || stats.mtimeMs !== companion.mtimeMs) return CHANGED;
    const id = physicalId(await handle.stat({ bigint: true }));
    const digest = await digestOf(handle);
    const after = await handle.stat();
    if (after.size !== companion.size || after.mtimeMs !== companion.mtimeMs) return CHANGED;
    handedOver = true;
    return { realPath, id, handle, size: companion.size, mtimeMs: companion.mtimeMs, digest };
  } finally {
    if (!handedOver) await handle.close();
  }
}

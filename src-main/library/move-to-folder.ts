// "Move to folder…": the reversible alternative to the trash. Same per-file checks as the
// trash; files keep their path relative to their watched folder under the destination, and a
// manifest there records every move so it can be undone even without Doppel.
import { constants } from 'node:fs';
import { access, copyFile, mkdir, readFile, rename, unlink, writeFile } from 'node:fs/promises';
import { dirname, join, relative, resolve } from 'node:path';
import type { ActionResult, MovedFile, TrashItem } from '../../src-core/api';
import { isLexicallyInside } from './path-guard';
import { trashSafely } from './safe-delete';

export const MANIFEST_NAME = 'doppel-manifest.json';

interface ManifestEntry extends MovedFile {
  digest: string;
  size: number;
  at: string;
}

async function exists(path: string): Promise<boolean> {
  try {
    await access(path, constants.F_OK);
    return true;
  } catch {
    return false;
  }
}

/** rename, or copy + delete across drives (EXDEV). Never overwrites. */
async function moveFile(from: string, to: string): Promise<void> {
  if (await exists(to)) throw new Error(`${to} already exists`);
  await mkdir(dirname(to), { recursive: true });
  try {
    await rename(from, to);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EXDEV') throw error;
    await copyFile(from, to, constants.COPYFILE_EXCL);
    await unlink(from);
  }
}

export async function moveToFolder(items: readonly TrashItem[], destination: string, roots: readonly string[], protectedFolders: readonly string[]): Promise<ActionResult[]> {
  const target = resolve(destination);
  if (roots.some((root) => isLexicallyInside(target, root))) {
    return items.map((i) => ({ path: i.file.path, status: 'skipped', reason: 'the destination is inside a watched folder: its files would be found again as duplicates' }));
  }
  const destinationOf = (path: string) => {
    const root = roots.find((r) => isLexicallyInside(path, r)) ?? dirname(path);
    return join(target, relative(dirname(root), path));
  };
  // trashSafely runs every check; its "trash" here is the move.
  const results = await trashSafely(items, roots, protectedFolders, (path) => moveFile(path, destinationOf(path)), 'could not move it');
  const moved = results.filter((r) => r.status === 'moved').map((r) => ({ ...r, to: destinationOf(r.path) }));
  if (moved.length > 0) await appendManifest(target, moved.map((r) => entryFor(r, items)));
  return results.map((r) => (r.status === 'moved' ? { ...r, to: destinationOf(r.path) } : r));
}

function entryFor(result: ActionResult & { to: string }, items: readonly TrashItem[]): ManifestEntry {
  const file = items.find((i) => i.file.path === result.path)!.file;
  return { from: result.path, to: result.to, digest: file.digest, size: file.size, at: new Date().toISOString() };
}

async function appendManifest(dir: string, entries: ManifestEntry[]): Promise<void> {
  const path = join(dir, MANIFEST_NAME);
  let existing: ManifestEntry[] = [];
  try {
    existing = JSON.parse(await readFile(path, 'utf8')) as ManifestEntry[];
  } catch {
    // no manifest yet
  }
  await writeFile(path, `${JSON.stringify([...existing, ...entries], null, 2)}\n`);
}

/** Moves files back; a file whose original place is taken again is left where it is. */
export async function restoreMoves(moves: readonly MovedFile[], roots: readonly string[]): Promise<ActionResult[]> {
  const results: ActionResult[] = [];
  for (const { from, to } of moves) {
    try {
      if (!roots.some((root) => isLexicallyInside(from, root))) results.push({ path: from, status: 'skipped', reason: 'not inside a watched folder' });
      else if (!(await exists(to))) results.push({ path: from, status: 'skipped', reason: `${to} is no longer there` });
      else if (await exists(from)) results.push({ path: from, status: 'skipped', reason: 'a file is already at the original place' });
      else {
        await moveFile(to, from);
        results.push({ path: from, status: 'moved' });
      }
    } catch (error) {
      results.push({ path: from, status: 'failed', reason: (error as Error).message });
    }
  }
  return results;
}

// Deleting duplicates safely: every file is re-checked just before it goes, and each gets its
// own result; one failure never stops the rest.
import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { ActionResult, Survivor, TrashItem } from '../../src-core/api';
import { isInFolder } from '../../src-core/keeper';
import { isInsideRoot } from './path-guard';

export type MoveToTrash = (path: string) => Promise<void>;

async function sha256(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

async function unchanged(file: Survivor): Promise<boolean> {
  try {
    const now = await stat(file.path);
    return now.isFile() && now.size === file.size && now.mtimeMs === file.mtimeMs;
  } catch {
    return false;
  }
}

/** Why `item` must not be deleted now, or null when it may. */
async function refusal(item: TrashItem, roots: readonly string[], protectedFolders: readonly string[], leaving: ReadonlySet<string>): Promise<string | null> {
  const { file } = item;
  if (!(await isInsideRoot(file.path, roots))) return 'not inside a watched folder';
  if (isInFolder(file.path, protectedFolders)) return 'in a protected folder';
  if (!(await unchanged(file))) return 'changed (or gone) since it was hashed: review it again';
  if ((await sha256(file.path)) !== file.digest) return 'its contents changed since it was hashed: review it again';
  const survivors = item.keep.filter((s) => !leaving.has(s.path));
  for (const survivor of survivors) {
    if ((await isInsideRoot(survivor.path, roots)) && (await unchanged(survivor))) return null;
  }
  return 'no other copy of it would remain (never the last copy)';
}

/**
 * Trashes each file that passes every check. A surviving copy must be one the person did not
 * ask to delete in this request (asking to delete every member refuses them all), and must
 * still be on disk unchanged.
 */
export async function trashSafely(
  items: readonly TrashItem[],
  roots: readonly string[],
  protectedFolders: readonly string[],
  moveToTrash: MoveToTrash,
  refused = 'the trash refused it',
): Promise<ActionResult[]> {
  const leaving = new Set(items.map((i) => i.file.path));
  const results: ActionResult[] = [];
  for (const item of items) {
    const path = item.file.path;
    try {
      const reason = await refusal(item, roots, protectedFolders, leaving);
      if (reason) {
        results.push({ path, status: 'skipped', reason });
        continue;
      }
      await moveToTrash(path);
      results.push({ path, status: 'moved' });
    } catch (error) {
      results.push({ path, status: 'failed', reason: `${refused}: ${(error as Error).message}` });
    }
  }
  return results;
}

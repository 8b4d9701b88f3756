// "Move to folder…": the reversible alternative to the trash. Same per-file checks as the
// trash; files keep their path relative to their watched folder under the destination. Each
// move is written to main's own journal (MoveJournal) before the file moves: restore performs
// only journaled moves, by id. A manifest in the destination also records every move so it can
// be undone without Doppel; one that is not Doppel's is never overwritten (nothing moves then).
import { randomUUID } from 'node:crypto';
import { lstat, mkdir, open, readFile, realpath, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join, relative, resolve } from 'node:path';
import type { ActionResult, TrashItem } from '../../src-core/api';
import { physicalId } from '../files/file-id';
import { OpenRefused, openRegularFile } from '../files/open-regular';
import { ActionRefused, digestOf, moveNoReplace } from '../files/transfer';
import type { MoveJournal } from './move-journal';
import { isLexicallyInside } from './path-guard';
import { actOnChecked, stillInPlace } from './safe-delete';

export const MANIFEST_NAME = 'doppel-manifest.json';

/** One line of a manifest: older manifests have no moveId. */
interface ManifestEntry {
  from: string;
  to: string;
  digest: string;
  size: number;
  at: string;
  moveId?: string;
  /** A companion (sidecar, Live Photo video): where the photo it went with was. */
  companionOf?: string;
}

/** `path` with every link resolved; for a place that does not exist yet, its nearest existing
 *  folder resolved and the rest appended. */
async function realPlace(path: string): Promise<string> {
  let existing = path;
  const rest: string[] = [];
  for (;;) {
    try {
      return join(await realpath(existing), ...rest);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if ((code !== 'ENOENT' && code !== 'ENOTDIR') || dirname(existing) === existing) throw error;
      rest.unshift(basename(existing));
      existing = dirname(existing);
    }
  }
}

/** The roots that still exist, each with its real path. */
async function realRoots(roots: readonly string[]): Promise<Array<{ root: string; real: string }>> {
  const real = await Promise.all(roots.map((root) => realpath(root).catch(() => undefined)));
  return roots.flatMap((root, k) => (real[k] === undefined ? [] : [{ root: resolve(root), real: real[k]! }]));
}

/** The entries of the manifest at `path` (none if there is none yet), or why it is not ours. */
async function readManifest(path: string): Promise<ManifestEntry[] | { notOurs: string }> {
  let info;
  try {
    info = await lstat(path);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  if (info.isSymbolicLink()) return { notOurs: 'it is a link' };
  if (!info.isFile()) return { notOurs: info.isDirectory() ? 'it is a folder' : 'it is not a regular file' };
  let data: unknown;
  try {
    data = JSON.parse(await readFile(path, 'utf8'));
  } catch {
    return { notOurs: 'it is not JSON' };
  }
  const isEntry = (e: unknown) => typeof e === 'object' && e !== null && typeof (e as ManifestEntry).from === 'string' && typeof (e as ManifestEntry).to === 'string';
  if (!Array.isArray(data) || !data.every(isEntry)) return { notOurs: 'it is not a list of moves' };
  return data as ManifestEntry[];
}

/** Adds `entries` to the manifest at `path`, replacing it whole (a temporary file renamed over
 *  it), only if it is still ours. */
async function appendManifest(path: string, entries: ManifestEntry[]): Promise<void> {
  const existing = await readManifest(path);
  if (!Array.isArray(existing)) throw new Error(`${path} is no longer a Doppel manifest (${existing.notOurs})`);
  const temporary = join(dirname(path), `.${MANIFEST_NAME}.${randomUUID()}.tmp`);
  const out = await open(temporary, 'wx');
  try {
    await out.writeFile(`${JSON.stringify([...existing, ...entries], null, 2)}\n`);
    await out.sync();
    await out.close();
    await rename(temporary, path);
  } catch (error) {
    await out.close().catch(() => undefined);
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}

export async function moveToFolder(items: readonly TrashItem[], destination: string, roots: readonly string[], protectedFolders: readonly string[], journal: MoveJournal): Promise<ActionResult[]> {
  const skipAll = (reason: string) => items.map((i): ActionResult => ({ path: i.file.path, status: 'skipped', reason }));
  const given = resolve(destination);
  const target = await realPlace(given);
  const rootsNow = await realRoots(roots);
  if (rootsNow.some(({ root, real }) => isLexicallyInside(given, root) || isLexicallyInside(target, real))) {
    return skipAll('the destination is inside a watched folder: its files would be found again as duplicates');
  }
  const manifestPath = join(target, MANIFEST_NAME);
  const manifest = await readManifest(manifestPath);
  if (!Array.isArray(manifest)) return skipAll(`${manifestPath} is not a Doppel manifest (${manifest.notOurs}): nothing was moved; choose another folder`);

  // Under the destination, a file keeps its path relative to its watched folder's parent.
  const deepestFirst = [...rootsNow].sort((a, b) => b.real.length - a.real.length);
  const destinationOf = (realPath: string) => {
    const { root, real } = deepestFirst.find((r) => isLexicallyInside(realPath, r.real))!;
    return join(target, basename(root), relative(real, realPath));
  };
  const entries: ManifestEntry[] = [];
  const results = await actOnChecked(
    items,
    roots,
    protectedFolders,
    async (file, companionOf) => {
      const to = destinationOf(file.realPath);
      await mkdir(dirname(to), { recursive: true });
      if ((await realpath(dirname(to))) !== dirname(to)) throw new ActionRefused(`a folder on the way to ${to} is a link`);
      await stillInPlace(file);
      // Journal first: a move main did not record could not be put back by Doppel.
      const move = await journal.plan({ from: file.realPath, to, size: file.size, digest: file.digest });
      try {
        await moveNoReplace(file.handle, file.id, file.digest, file.realPath, to);
      } catch (error) {
        await journal.mark(move.id, 'failed').catch(() => undefined);
        throw error;
      }
      await journal.mark(move.id, 'moved');
      entries.push({ from: move.from, to, digest: move.digest, size: move.size, at: move.at, moveId: move.id, ...(companionOf ? { companionOf } : {}) });
      return { to, moveId: move.id };
    },
    'could not move it',
  );
  if (entries.length > 0) {
    try {
      await appendManifest(manifestPath, entries);
    } catch (error) {
      // The moves stand and the journal has them: History can still put them back.
      const note = `moved, but ${manifestPath} could not be written (${(error as Error).message}); Doppel's own journal can still put it back`;
      for (const result of results) {
        if (result.moveId) result.reason = note;
        for (const companion of result.companions ?? []) if (companion.moveId) companion.reason = note;
      }
    }
  }
  return results;
}

/** Where `from` (a real path recorded by the journal) can be put back: the real folder,
 *  created if missing, must be inside a watched root once links are resolved. */
async function originalPlace(from: string, roots: readonly string[]): Promise<string> {
  const rootsNow = await realRoots(roots);
  const inside = (path: string) => rootsNow.some(({ real }) => isLexicallyInside(path, real));
  const folder = await realPlace(dirname(from));
  if (!inside(folder)) throw new ActionRefused('not inside a watched folder');
  await mkdir(folder, { recursive: true });
  // Created just now through resolved folders; resolved again in case a link was swapped in.
  const real = await realpath(folder);
  if (!inside(real)) throw new ActionRefused('not inside a watched folder');
  return join(real, basename(from));
}

/** Puts back the journaled moves `moveIds`, in reverse: the file at the recorded `to` must be a
 *  regular file (not a link) with the recorded size and digest, the original folder inside a
 *  watched root, and the original place free; nothing is ever overwritten. */
export async function restoreMoves(moveIds: readonly string[], roots: readonly string[], journal: MoveJournal): Promise<ActionResult[]> {
  const found = await journal.find(moveIds);
  const results: ActionResult[] = [];
  for (const moveId of moveIds) {
    const entry = found.get(moveId);
    if (!entry) {
      results.push({ path: moveId, status: 'skipped', reason: 'not a move Doppel made' });
      continue;
    }
    const { record, state } = entry;
    const skip = (reason: string) => results.push({ path: record.from, status: 'skipped', reason });
    if (state === 'restored') skip('already put back');
    else if (state === 'failed') skip('that move did not happen');
    else {
      try {
        await restoreOne(record.from, record.to, record.size, record.digest, roots);
        await journal.mark(moveId, 'restored');
        results.push({ path: record.from, status: 'moved' });
      } catch (error) {
        if (error instanceof ActionRefused) skip(error.message);
        else results.push({ path: record.from, status: 'failed', reason: (error as Error).message });
      }
    }
  }
  return results;
}

async function restoreOne(from: string, to: string, size: number, digest: string, roots: readonly string[]): Promise<void> {
  try {
    if ((await lstat(to)).isSymbolicLink()) throw new ActionRefused(`${to} is now a link, not the photo that was moved there`);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') throw new ActionRefused(`${to} is no longer there`);
    throw error;
  }
  let opened;
  try {
    opened = await openRegularFile(to);
  } catch (error) {
    if (error instanceof OpenRefused) throw new ActionRefused(error.refusal === 'gone' ? `${to} is no longer there` : `${to}: ${error.message}`);
    throw error;
  }
  const { handle, realPath, stats } = opened;
  try {
    if (realPath !== to) throw new ActionRefused(`a folder on the way to ${to} is now a link`);
    const id = physicalId(await handle.stat({ bigint: true }));
    if (stats.size !== size || (await digestOf(handle)) !== digest) throw new ActionRefused(`${to} changed since it was moved there: put it back by hand if you want it`);
    const place = await originalPlace(from, roots);
    if (await lstat(place).then(() => true, () => false)) throw new ActionRefused('a file is already at the original place');
    try {
      await moveNoReplace(handle, id, digest, to, place);
    } catch (error) {
      if (error instanceof ActionRefused && /already exists/.test(error.message)) throw new ActionRefused('a file is already at the original place');
      throw error;
    }
  } finally {
    await handle.close();
  }
}

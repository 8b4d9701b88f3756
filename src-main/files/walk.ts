// Lists the image files under the paths a person names: folders recursively (image
// extensions only, hidden and junk folders skipped), named files whatever their extension.
// Symlinked folders are followed once each, so a symlink loop ends instead of hanging. Each
// file comes with the physical file it is (`fileId`, and whether its name is a symlink), so a
// link and its target, or hard links, count as one photo (src-core/physical-files.ts).
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { HashErrorInfo } from '../../src-core/fingerprint';
import { hasImageExtension, isSkippedFolder } from '../../src-core/image-extensions';
import { classifyFsError } from '../hash/errors';
import { fileIdOf, statNamed } from './file-id';

/** A file to hash (its fileId absent if it could not be read: hashing reports why), or a path
 *  that could not be listed. */
export type WalkEntry = { path: string; error?: undefined; fileId?: string; symlink?: true } | { path: string; error: HashErrorInfo };

export async function* walkImageFiles(paths: readonly string[]): AsyncGenerator<WalkEntry> {
  const visitedFolders = new Set<string>();
  for (const given of paths) {
    const path = resolve(given);
    let info;
    try {
      info = await stat(path);
    } catch (error) {
      yield { path, error: classifyFsError(error).toInfo() };
      continue;
    }
    if (info.isDirectory()) yield* walkFolder(path, visitedFolders);
    else yield await fileEntry(path);
  }
}

/** A named file with its identity; one stat (lstat) for a file, two for a link. */
async function fileEntry(path: string): Promise<WalkEntry> {
  try {
    const { info, symlink } = await statNamed(path);
    const fileId = await fileIdOf(path, info);
    return { path, ...(fileId ? { fileId } : {}), ...(symlink ? { symlink: true } : {}) };
  } catch {
    return { path };
  }
}

async function* walkFolder(folder: string, visited: Set<string>): AsyncGenerator<WalkEntry> {
  let real: string;
  let entries;
  try {
    real = await realpath(folder);
    if (visited.has(real)) return; // already listed through another path or a symlink loop
    visited.add(real);
    entries = await readdir(folder, { withFileTypes: true });
  } catch (error) {
    yield { path: folder, error: classifyFsError(error).toInfo() };
    return;
  }
  entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  for (const entry of entries) {
    const path = join(folder, entry.name);
    let isFolder = entry.isDirectory();
    let isFile = entry.isFile();
    if (entry.isSymbolicLink()) {
      try {
        const target = await stat(path);
        isFolder = target.isDirectory();
        isFile = target.isFile();
      } catch (error) {
        // A dangling link, or a link that points at itself.
        if (hasImageExtension(entry.name)) yield { path, error: classifyFsError(error).toInfo() };
        continue;
      }
    }
    if (isFolder) {
      if (!isSkippedFolder(entry.name)) yield* walkFolder(path, visited);
    } else if (isFile && !entry.name.startsWith('.') && hasImageExtension(entry.name)) {
      // Hidden files include macOS "._name.jpg" resource forks, which are not images.
      yield await fileEntry(path);
    }
  }
}

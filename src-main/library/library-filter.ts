// Which paths under a root are photos Doppel watches: hidden and junk folders, hidden files and
// non-images are skipped. Links are never followed as folders (root-watch.ts linkOutcome).
import type { Stats } from 'node:fs';
import { basename, relative, resolve, sep } from 'node:path';
import { hasImageExtension, isSkippedFolder } from '../../src-core/image-extensions';
import { isLexicallyInside } from './path-guard';

/** chokidar's `ignored`: hidden and junk folders, hidden files, non-images. It is called with
 *  and without stats. */
type EntryKind = Pick<Stats, 'isFile'>;

export class LibraryFilter {
  constructor(private readonly root: string) {}

  /** `stats` may be a Dirent: only isFile is asked. */
  readonly ignores = (path: string, stats?: EntryKind): boolean => {
    const absolute = resolve(path);
    // chokidar also asks about the root and, when the root vanishes, its parent: leave those alone.
    if (absolute === this.root || !isLexicallyInside(absolute, this.root)) return false;
    if (relative(this.root, absolute).split(sep).some(isSkippedFolder)) return true;
    return stats?.isFile() === true && !hasImageExtension(basename(absolute));
  };

  /** chokidar's `ignored`: Doppel lists a folder's files itself (root-watch.ts), so chokidar
   *  watches folders only (one OS watch per folder, not per photo). */
  readonly ignoresAllButFolders = (path: string, stats?: Stats): boolean => {
    if (stats?.isFile() || stats?.isSymbolicLink()) return true;
    return this.ignores(path, stats);
  };
}

// Which paths under a root are photos Doppel watches: hidden and junk folders, hidden files and
// non-images are skipped, and a symlinked folder is followed once, so loops end.
import { realpathSync, statSync, type Stats } from 'node:fs';
import { basename, relative, resolve, sep } from 'node:path';
import { hasImageExtension, isSkippedFolder } from '../../src-core/image-extensions';
import { isLexicallyInside } from './path-guard';

/**
 * chokidar's `ignored`: hidden and junk folders, hidden files, non-images, and symlinked
 * folders that would list the same photos twice. It is called with and without stats.
 */
type EntryKind = Pick<Stats, 'isFile' | 'isSymbolicLink'>;

export class LibraryFilter {
  /** Real folder → the symlink it is watched through: each is followed once, so loops end. */
  private readonly followed = new Map<string, string>();

  constructor(private readonly root: string) {}

  /** `stats` may be a Dirent: only isFile and isSymbolicLink are asked. */
  readonly ignores = (path: string, stats?: EntryKind): boolean => {
    const absolute = resolve(path);
    // chokidar also asks about the root and, when the root vanishes, its parent: leave those alone.
    if (absolute === this.root || !isLexicallyInside(absolute, this.root)) return false;
    if (relative(this.root, absolute).split(sep).some(isSkippedFolder)) return true;
    if (stats?.isFile()) return !hasImageExtension(basename(absolute));
    return stats?.isSymbolicLink() === true && this.isRepeatedFolderLink(absolute);
  };

  /** chokidar's `ignored`: Doppel lists a folder's files itself (root-watch.ts), so chokidar
   *  watches folders only (one OS watch per folder, not per photo). */
  readonly ignoresAllButFolders = (path: string, stats?: Stats): boolean => {
    if (stats?.isFile()) return true;
    if (stats?.isSymbolicLink() && !isFolder(path)) return true;
    return this.ignores(path, stats);
  };

  private isRepeatedFolderLink(link: string): boolean {
    let target: string;
    try {
      target = realpathSync(link);
      if (!statSync(target).isDirectory()) return false;
    } catch {
      return false; // dangling or self-referencing link: chokidar skips it anyway
    }
    // Inside the root it is already watched directly; an ancestor of the root is a loop.
    if (isLexicallyInside(target, this.root) || isLexicallyInside(this.root, target)) return true;
    const first = this.followed.get(target);
    if (first !== undefined && first !== link && linksTo(first, target)) return true;
    this.followed.set(target, link); // the first link to it, or the next one once that is gone
    return false;
  }
}

function linksTo(link: string, target: string): boolean {
  try {
    return realpathSync(link) === target;
  } catch {
    return false;
  }
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

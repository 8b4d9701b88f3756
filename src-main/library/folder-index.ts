// What the watcher last saw in each folder: the photo names with their size and mtime, packed
// per folder (about 40 bytes a photo, against chokidar's ~2.5 KB and one OS watch per file), so
// a re-listed folder or a re-checked file reports only what changed.
import { join } from 'node:path';
import { isLexicallyInside } from './path-guard';

export interface FileState {
  size: number;
  mtimeMs: number;
}

/** One folder's photos: names sorted, sizes and mtimes at the same index (arrays of plain
 *  numbers are packed doubles in V8, and can be spliced). */
interface Listing {
  names: string[];
  sizes: number[];
  mtimes: number[];
}

export interface ListingDiff {
  added: string[];
  changed: string[];
  removed: string[];
}

export class FolderIndex {
  private readonly folders = new Map<string, Listing>();

  folderPaths(): string[] {
    return [...this.folders.keys()];
  }

  has(folder: string): boolean {
    return this.folders.has(folder);
  }

  /** What differs between a folder's complete listing (name → state) and the index. */
  diff(folder: string, files: ReadonlyMap<string, FileState>): ListingDiff {
    const before = this.folders.get(folder);
    const diff: ListingDiff = { added: [], changed: [], removed: [] };
    for (const [name, state] of files) {
      const old = before && find(before, name);
      if (old === undefined) diff.added.push(join(folder, name));
      else if (before!.sizes[old] !== state.size || before!.mtimes[old] !== state.mtimeMs) diff.changed.push(join(folder, name));
    }
    for (const name of before?.names ?? []) if (!files.has(name)) diff.removed.push(join(folder, name));
    return diff;
  }

  /** Records a folder's complete listing and says what differs from before. */
  replace(folder: string, files: ReadonlyMap<string, FileState>): ListingDiff {
    const diff = this.diff(folder, files);
    const names = [...files.keys()].sort();
    this.folders.set(folder, {
      names,
      sizes: names.map((name) => files.get(name)!.size),
      mtimes: names.map((name) => files.get(name)!.mtimeMs),
    });
    return diff;
  }

  /** What the index holds for one photo. */
  get(folder: string, name: string): FileState | undefined {
    const listing = this.folders.get(folder);
    const at = listing && find(listing, name);
    return at === undefined ? undefined : { size: listing!.sizes[at]!, mtimeMs: listing!.mtimes[at]! };
  }

  /** Records one photo's new state (undefined: gone). */
  set(folder: string, name: string, state: FileState | undefined): void {
    let listing = this.folders.get(folder);
    if (!listing) {
      if (!state) return;
      listing = { names: [], sizes: [], mtimes: [] };
      this.folders.set(folder, listing);
    }
    const at = insertionPoint(listing, name);
    const present = listing.names[at] === name;
    if (!state) {
      if (present) for (const column of [listing.names, listing.sizes, listing.mtimes]) column.splice(at, 1);
      return;
    }
    if (!present) {
      listing.names.splice(at, 0, name);
      listing.sizes.splice(at, 0, state.size);
      listing.mtimes.splice(at, 0, state.mtimeMs);
    } else {
      listing.sizes[at] = state.size;
      listing.mtimes[at] = state.mtimeMs;
    }
  }

  /** Forgets a folder and every folder inside it; returns the photos they held. */
  removeTree(folder: string): string[] {
    const removed: string[] = [];
    for (const [path, listing] of this.folders) {
      if (path !== folder && !isLexicallyInside(path, folder)) continue;
      for (const name of listing.names) removed.push(join(path, name));
      this.folders.delete(path);
    }
    return removed;
  }
}

/** Where `name` is, or would go, in a sorted listing (binary search). */
function insertionPoint(listing: Listing, name: string): number {
  let low = 0;
  let high = listing.names.length;
  while (low < high) {
    const mid = (low + high) >> 1;
    if (listing.names[mid]! < name) low = mid + 1;
    else high = mid;
  }
  return low;
}

function find(listing: Listing, name: string): number | undefined {
  const at = insertionPoint(listing, name);
  return listing.names[at] === name ? at : undefined;
}

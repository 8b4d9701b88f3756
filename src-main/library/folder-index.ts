// What the watcher last saw in each folder: the photo names with their size, mtime and a hash of
// their identity, packed per folder (about 50 bytes a photo, against chokidar's ~2.5 KB and one
// OS watch per file), so a re-listed folder or a re-checked file reports only what changed.
import { join } from 'node:path';
import type { Companion } from '../../src-core/companions/discover';
import { isLexicallyInside } from './path-guard';

export interface FileState {
  size: number;
  mtimeMs: number;
  /** The physical file the name leads to ("dev:ino", see FileSeen.fileId). */
  fileId?: string;
  /** The name is a symbolic link. */
  symlink?: true;
  /** Its companions as listed: one edited, added or removed changes the photo's state (the
   *  renderer stores what they add). */
  companions?: Companion[];
}

/** What the index keeps of a photo: its size and mtime, and its identity (fileId, whether the
 *  name is a link, and its companions' names, sizes and mtimes) as a 32-bit hash, enough to see
 *  it change: a file replaced by a hard link to another, with the same size and mtime, is a
 *  change, and so is a sidecar written beside it. */
export interface IndexedState {
  size: number;
  mtimeMs: number;
  identity: number;
}

/** One folder's photos: names sorted, sizes, mtimes and identity hashes at the same index
 *  (arrays of plain numbers are packed in V8, and can be spliced). */
interface Listing {
  names: string[];
  sizes: number[];
  mtimes: number[];
  identities: number[];
}

/** FNV-1a of the fileId, the link flag and the companions (0: none of them known). */
export function identityHash(state: FileState): number {
  if (state.fileId === undefined && !state.symlink && !state.companions?.length) return 0;
  const text = `${state.fileId ?? ''}${state.symlink ? '>' : ''}${companionsKey(state)}`;
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) hash = Math.imul(hash ^ text.charCodeAt(i), 0x01000193);
  return hash | 0 || 1;
}

/** The photo differs from what the index holds: size, mtime or identity. */
export function differs(known: IndexedState, state: FileState): boolean {
  return known.size !== state.size || known.mtimeMs !== state.mtimeMs || known.identity !== identityHash(state);
}

/** Two looks at a photo saw the same file in the same state. */
export function sameState(a: FileState, b: FileState): boolean {
  return a.size === b.size && a.mtimeMs === b.mtimeMs && a.fileId === b.fileId && a.symlink === b.symlink && companionsKey(a) === companionsKey(b);
}

function companionsKey(state: FileState): string {
  return (state.companions ?? []).map((c) => `|${c.path}:${c.size}:${c.mtimeMs}:${c.sharedWith?.join(',') ?? ''}`).join('');
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
      else if (differs(stateAt(before!, old), state)) diff.changed.push(join(folder, name));
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
      identities: names.map((name) => identityHash(files.get(name)!)),
    });
    return diff;
  }

  /** What the index holds for one photo. */
  get(folder: string, name: string): IndexedState | undefined {
    const listing = this.folders.get(folder);
    const at = listing && find(listing, name);
    return at === undefined ? undefined : stateAt(listing!, at);
  }

  /** Records one photo's new state (undefined: gone). */
  set(folder: string, name: string, state: FileState | undefined): void {
    let listing = this.folders.get(folder);
    if (!listing) {
      if (!state) return;
      listing = { names: [], sizes: [], mtimes: [], identities: [] };
      this.folders.set(folder, listing);
    }
    const at = insertionPoint(listing, name);
    const present = listing.names[at] === name;
    if (!state) {
      if (present) for (const column of [listing.names, listing.sizes, listing.mtimes, listing.identities]) column.splice(at, 1);
      return;
    }
    if (!present) {
      listing.names.splice(at, 0, name);
      listing.sizes.splice(at, 0, state.size);
      listing.mtimes.splice(at, 0, state.mtimeMs);
      listing.identities.splice(at, 0, identityHash(state));
    } else {
      listing.sizes[at] = state.size;
      listing.mtimes[at] = state.mtimeMs;
      listing.identities[at] = identityHash(state);
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

function stateAt(listing: Listing, at: number): IndexedState {
  return { size: listing.sizes[at]!, mtimeMs: listing.mtimes[at]!, identity: listing.identities[at]! };
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

// One watched root. Doppel walks the root's folders itself, one folder at a time, and hands
// each to chokidar with depth 0: chokidar watches folders only (one OS watch or poller per
// folder) and reports their changes; the photos in them are listed and stat'ed here and
// remembered compactly in a FolderIndex. Watching each file through chokidar costs ~2.5 KB of
// heap and one inotify watch (or one stat poller) per photo, and chokidar's own walk of a tree
// reads all its folders at once: ~950 MB of RSS at 500,000 files even with files ignored.
//
// - Initial scan: each folder is listed and its photos reported as `add`; `ready` follows the
//   last of them.
// - Live (native watching): a folder's OS events name the file that changed; it is reported
//   once its size and mtime have stayed the same for `stabilityMs` (a copy in progress is
//   reported once, finished), or as `unlink` if it is gone. A new folder is walked the same way.
// - Network drives (polling): a folder whose mtime changed is listed again (photos added,
//   removed, renamed); photos edited in place do not touch their folder, so every folder is
//   also listed again every `rescanIntervalMs`. Listings keep at most 4 stats in flight there.
// - A folder deleted reports its photos as `unlink`; the root itself gone (an unmounted drive)
//   reports nothing deleted: `onGone` takes it offline.
import { watch as chokidarWatch, type FSWatcher } from 'chokidar';
import type { Dirent } from 'node:fs';
import { lstat, readdir, realpath, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { FileEvent, SkippedPath, WatchedRoot } from '../../src-core/api';
import { isCompanionName } from '../../src-core/companions/discover';
import { hasImageExtension, isSkippedFolder } from '../../src-core/image-extensions';
import { companionsOf, readCompanions } from '../files/companion-files';
import { fileIdOf, statNamed, type NamedStats } from '../files/file-id';
import { differs, FolderIndex, sameState, type FileState } from './folder-index';
import { LibraryFilter } from './library-filter';
import { isLexicallyInside } from './path-guard';

export interface RootWatchOptions {
  stabilityMs: number;
  pollIntervalMs: number;
  rescanIntervalMs: number;
  emit: (event: FileEvent, flushNow?: boolean) => void;
  /** The root itself went away: stop it and report it offline. */
  onGone: () => void;
}

/** Stats in flight while listing a folder: a network share answers a few at once well (each
 *  waits a round trip), but is not flooded. */
const LOCAL_STAT_CONCURRENCY = 16;
const NETWORK_STAT_CONCURRENCY = 4;

interface FolderListing {
  files: Map<string, FileState>;
  folders: string[];
}

interface Settling {
  last: FileState | undefined;
  timer: ReturnType<typeof setTimeout>;
}

type ListingMode = 'report' | 'settle';

export class RootWatch {
  readonly ready: Promise<void>;
  private markReady!: () => void;
  /** chokidar watches the root folder itself (its initial add is done). */
  private readonly watching: Promise<void>;
  private markWatching!: () => void;
  private stopped = false;
  private readonly fsw: FSWatcher;
  private readonly filter: LibraryFilter;
  private index = new FolderIndex();
  private readonly settling = new Map<string, Settling>();
  /** Links leading out of the root, with why they are not scanned (each reported once). */
  private readonly skipped = new Map<string, string>();
  /** Linked photos inside the root: link → the real path of the photo, and back. */
  private readonly linkTargets = new Map<string, string>();
  private readonly linksByTarget = new Map<string, Set<string>>();
  private rescanTimer: ReturnType<typeof setTimeout> | undefined;
  /** Folders to list again shortly because a companion in them changed. */
  private readonly relisting = new Set<string>();
  /** Folders whose last listing had companions: a photo added or removed there can change
   *  which photos a sidecar is shared with. */
  private readonly companionFolders = new Set<string>();
  /** Walks and listings run one at a time, in order, so `ready` follows the initial scan. */
  private queue = Promise.resolve();

  constructor(
    readonly root: WatchedRoot,
    private readonly options: RootWatchOptions,
  ) {
    this.ready = new Promise<void>((done) => (this.markReady = done));
    this.watching = new Promise<void>((done) => (this.markWatching = done));
    this.filter = new LibraryFilter(root.path);
    this.fsw = chokidarWatch(root.path, {
      ignored: this.filter.ignoresAllButFolders,
      // Folders are walked here; chokidar reports only what changes once it watches one.
      ignoreInitial: true,
      depth: 0,
      // Linked folders are never followed (see linkOutcome).
      followSymlinks: false,
      usePolling: root.options.networkDrive,
      interval: options.pollIntervalMs,
      binaryInterval: options.pollIntervalMs,
    });
    this.listen();
    this.enqueue(() => this.walk(root.path, 'report'));
    this.enqueue(async () => {
      await this.watching;
      this.emit({ type: 'ready', root: root.path }, true);
      this.markReady();
      this.scheduleRescan();
    });
  }

  /** Lists the root again from scratch and reports every photo as found, then `ready`: for a
   *  window whose database missed the scan (another browser opening the host). */
  async relistAll(): Promise<void> {
    // After the initial scan and any listing already queued: the queue runs one at a time.
    this.enqueue(async () => {
      this.index = new FolderIndex();
      await this.walk(this.root.path, 'report', false);
      this.emit({ type: 'ready', root: this.root.path }, true);
    });
    await this.queue;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.rescanTimer);
    for (const { timer } of this.settling.values()) clearTimeout(timer);
    this.settling.clear();
    await this.fsw.close(); // removes chokidar's listeners, so its "ready" may never come
    this.markWatching();
    this.markReady();
  }

  private listen(): void {
    this.fsw
      .on('ready', () => this.markWatching())
      .on('addDir', (folder) => this.enqueue(() => this.walk(resolve(folder), 'settle')))
      .on('unlinkDir', (folder) => this.enqueue(() => this.folderGone(resolve(folder))))
      .on('raw', (_event, pathOrName, details) => this.onRaw(pathOrName, details))
      .on('error', (error) => this.enqueue(async () => this.emit({ type: 'error', root: this.root.path, message: errorMessage(error) })));
  }

  /** chokidar's raw events: fs.watch names a changed entry of the folder it watches; a
   *  poller names the folder whose stats changed. */
  private onRaw(pathOrName: string, details: unknown): void {
    const watchedPath = (details as { watchedPath?: unknown } | undefined)?.watchedPath;
    if (typeof watchedPath === 'string') {
      const folder = resolve(watchedPath);
      if (pathOrName) this.settle(join(folder, pathOrName));
      else this.enqueue(() => this.relist(folder));
    } else if (pathOrName && this.index.has(resolve(pathOrName))) {
      this.enqueue(() => this.relist(resolve(pathOrName)));
    }
  }

  private enqueue(task: () => Promise<void>): void {
    this.queue = this.queue.then(() => (this.stopped ? undefined : task())).catch(rethrowOutsideQueue);
  }

  /** Lists a folder and every folder inside it, one at a time, each watched by chokidar
   *  before it is listed (so nothing created in between goes unseen). */
  private async walk(top: string, mode: ListingMode, watchFolders = true): Promise<void> {
    // A folder chokidar reports may be a link made after the listing that skipped it.
    if (top !== this.root.path && (await this.linkOutcome(top)) !== 'not-a-link') return;
    const pending = [top];
    while (pending.length > 0 && !this.stopped) {
      const folder = pending.pop()!;
      if (watchFolders && folder !== this.root.path) this.fsw.add(folder);
      const listing = await this.readFolder(folder);
      if (!listing || this.stopped) continue;
      pending.push(...listing.folders.reverse());
      this.apply(folder, listing.files, mode);
    }
  }

  /** Lists one folder again (a polled folder changed, or the periodic rescan). */
  private async relist(folder: string): Promise<void> {
    const listing = await this.readFolder(folder);
    if (listing && !this.stopped) this.apply(folder, listing.files, 'settle');
  }

  /** `report`: photos as found (the initial scan); `settle`: what changed is reported once
   *  stable (a folder copied in, a polled folder that changed). */
  private apply(folder: string, files: Map<string, FileState>, mode: ListingMode): void {
    if (mode === 'report') {
      const diff = this.index.replace(folder, files);
      for (const path of diff.added) this.emitSeen('add', path, files.get(basename(path))!);
      for (const path of diff.changed) this.emitSeen('change', path, files.get(basename(path))!);
      for (const path of diff.removed) this.emit({ type: 'unlink', root: this.root.path, path });
      return;
    }
    if (!this.index.has(folder)) this.index.replace(folder, new Map());
    const diff = this.index.diff(folder, files);
    for (const path of [...diff.added, ...diff.changed, ...diff.removed]) this.settle(path);
  }

  /** A folder's photos with their states, and its subfolders; undefined if it cannot be read. */
  private async readFolder(folder: string): Promise<FolderListing | undefined> {
    let entries: Dirent[];
    try {
      entries = await readdir(folder, { withFileTypes: true });
    } catch (error) {
      if (isGone(error)) await this.folderGone(folder);
      else this.emit({ type: 'error', root: this.root.path, message: errorMessage(error) });
      return undefined;
    }
    const folders: string[] = [];
    const names: string[] = [];
    const companionNames: string[] = [];
    for (const entry of entries) {
      const path = join(folder, entry.name);
      if (entry.isDirectory()) {
        if (!this.filter.ignores(path, entry)) folders.push(path);
      } else if (entry.isSymbolicLink()) {
        if (!this.filter.ignores(path) && (await this.linkOutcome(path)) === 'photo') names.push(entry.name);
      } else if (entry.isFile() && isPhotoName(entry.name)) {
        names.push(entry.name);
      } else if (entry.isFile() && isCompanionName(entry.name)) {
        companionNames.push(entry.name);
      }
    }
    const files = await this.statPhotos(folder, names);
    if (companionNames.length > 0) this.companionFolders.add(folder);
    else this.companionFolders.delete(folder);
    if (companionNames.length > 0) {
      const concurrency = this.root.options.networkDrive ? NETWORK_STAT_CONCURRENCY : LOCAL_STAT_CONCURRENCY;
      for (const [photo, companions] of await readCompanions(folder, companionNames, new Set(files.keys()), concurrency)) files.set(photo, { ...files.get(photo)!, companions });
    }
    return { files, folders };
  }

  private async statPhotos(folder: string, names: string[]): Promise<Map<string, FileState>> {
    const files = new Map<string, FileState>();
    const concurrency = this.root.options.networkDrive ? NETWORK_STAT_CONCURRENCY : LOCAL_STAT_CONCURRENCY;
    let next = 0;
    const statNext = async (): Promise<void> => {
      while (next < names.length && !this.stopped) {
        const name = names[next++]!;
        const path = join(folder, name);
        const named = await statNamed(path).catch((error: unknown) => {
          if (!isGone(error)) this.emit({ type: 'error', root: this.root.path, message: errorMessage(error) });
          return undefined;
        });
        if (named?.info.isFile()) files.set(name, await stateOf(path, named));
      }
    };
    await Promise.all(Array.from({ length: Math.min(concurrency, names.length) }, statNext));
    return files;
  }

  /** A folder was deleted or moved away: its photos are gone, unless the root went with it. */
  private async folderGone(folder: string): Promise<void> {
    if (!(await isFolder(this.root.path))) {
      this.options.onGone();
      return;
    }
    if (folder === this.root.path) return; // still there: a transient error
    for (const path of this.index.removeTree(folder)) this.emit({ type: 'unlink', root: this.root.path, path });
  }

  /** Reports a photo once its size and mtime have held for `stabilityMs` (or that it is gone). */
  private settle(path: string): void {
    if (this.stopped || this.settling.has(path) || this.filter.ignores(path)) return;
    // A sidecar written, replaced or removed: the photos it belongs to are looked at again.
    if (isCompanionName(basename(path))) return this.relistSoon(dirname(path));
    // Not a photo, but maybe a new link to a folder outside the root: named, never followed.
    if (!isPhotoName(basename(path))) return void this.linkOutcome(path);
    const entry: Settling = { last: undefined, timer: setTimeout(() => void this.check(path), this.options.stabilityMs) };
    this.settling.set(path, entry);
    // A vanished file is reported at once: a rename's unlink must come before its add, which
    // waits for stability, so the renderer can pair them as a move.
    void this.look(path).then((state) => {
      if (state === undefined) void this.finish(path, undefined);
      else if (state !== 'error') entry.last = state;
    });
  }

  /** Lists `folder` again after the events of a burst (one sidecar save is several). */
  private relistSoon(folder: string): void {
    if (this.relisting.has(folder)) return;
    this.relisting.add(folder);
    setTimeout(() => {
      this.relisting.delete(folder);
      this.enqueue(() => this.relist(folder));
    }, this.options.stabilityMs);
  }

  private async check(path: string): Promise<void> {
    const entry = this.settling.get(path);
    if (!entry || this.stopped) return;
    const now = await this.look(path);
    if (now === 'error' || (now && (!entry.last || !sameState(now, entry.last)))) {
      if (now !== 'error') entry.last = now;
      entry.timer = setTimeout(() => void this.check(path), this.options.stabilityMs);
      return;
    }
    await this.finish(path, now);
  }

  private async finish(path: string, state: FileState | undefined): Promise<void> {
    const entry = this.settling.get(path);
    if (!entry) return;
    clearTimeout(entry.timer);
    this.settling.delete(path);
    if (!state && !(await isFolder(this.root.path))) return this.options.onGone();
    this.record(path, state);
  }

  /** A photo's state, undefined if it is gone (or is not a file, or a link leading out). */
  private async look(path: string): Promise<FileState | undefined | 'error'> {
    try {
      if ((await lstat(path)).isSymbolicLink() && (await this.linkOutcome(path)) !== 'photo') return undefined;
      const named = await statNamed(path);
      if (!named.info.isFile()) return undefined;
      const [state, companions] = await Promise.all([stateOf(path, named), companionsOf(path)]);
      return companions ? { ...state, companions } : state;
    } catch (error) {
      return isGone(error) ? undefined : 'error';
    }
  }

  private record(path: string, state: FileState | undefined): void {
    const folder = dirname(path);
    const name = basename(path);
    const known = this.index.get(folder, name);
    if (!state) {
      if (!known) return;
      this.index.set(folder, name, undefined);
      this.trackLink(path, undefined);
      this.emit({ type: 'unlink', root: this.root.path, path });
    } else if (!known || differs(known, state)) {
      this.index.set(folder, name, state);
      this.emitSeen(known ? 'change' : 'add', path, state);
    } else {
      return;
    }
    if ((!state || !known) && this.companionFolders.has(folder)) this.relistSoon(folder);
    // A link's own folder sends no event when the file it leads to changes or goes.
    for (const link of this.linksByTarget.get(path) ?? []) this.settle(link);
  }

  /** Remembers which photo a linked photo leads to (undefined: it no longer leads to one). */
  private trackLink(link: string, target: string | undefined): void {
    const before = this.linkTargets.get(link);
    if (before === target) return;
    if (before !== undefined) {
      const links = this.linksByTarget.get(before)!;
      links.delete(link);
      if (links.size === 0) this.linksByTarget.delete(before);
    }
    if (target === undefined) return void this.linkTargets.delete(link);
    this.linkTargets.set(link, target);
    const links = this.linksByTarget.get(target) ?? new Set<string>();
    this.linksByTarget.set(target, links.add(link));
  }

  /**
   * The one policy for symbolic links in a root: a linked file whose target stays inside the
   * root is a photo (the same physical file as its target); a linked folder is never followed
   * (inside the root its photos are listed at their real place; followed, a link to an
   * ancestor loops); a link leading out of the root is not scanned and is reported once with
   * the reason, as backup tools do. Everything Doppel lists is then inside the root after
   * resolving links, which is what hashing, serving and deleting check.
   */
  private async linkOutcome(path: string): Promise<'not-a-link' | 'photo' | 'skipped'> {
    try {
      if (!(await lstat(path)).isSymbolicLink()) return 'not-a-link';
      const target = await realpath(path);
      const info = await stat(target);
      const isPhoto = info.isFile() && isPhotoName(basename(path));
      if (!isPhoto && !info.isDirectory()) return 'skipped';
      if (isLexicallyInside(target, this.root.path)) {
        this.trackLink(path, isPhoto ? target : undefined);
        return isPhoto ? 'photo' : 'skipped';
      }
      this.skip(path, `a link to a ${isPhoto ? 'photo' : 'folder'} outside this watched folder (${target}): not scanned; add ${isPhoto ? 'its folder' : 'that folder'} to the library to include it`);
    } catch {
      // Dangling or looping: the listing's stat reports it as an error.
      return isPhotoName(basename(path)) ? 'photo' : 'skipped';
    }
    return 'skipped';
  }

  private skip(path: string, reason: string): void {
    if (this.skipped.get(path) === reason) return;
    this.skipped.set(path, reason);
    this.emit({ type: 'skipped', root: this.root.path, path, reason });
  }

  /** Links not scanned so far (a reloaded page asks again). */
  skippedPaths(): SkippedPath[] {
    return [...this.skipped].map(([path, reason]) => ({ path, reason }));
  }

  /** Network drives: list every folder again now and then, for photos edited in place. */
  private scheduleRescan(): void {
    if (!this.root.options.networkDrive || this.stopped) return;
    this.rescanTimer = setTimeout(() => {
      for (const folder of this.index.folderPaths()) this.enqueue(() => this.relist(folder));
      this.enqueue(async () => this.scheduleRescan());
    }, this.options.rescanIntervalMs);
  }

  private emitSeen(type: 'add' | 'change', path: string, state: FileState): void {
    this.emit({ type, file: { root: this.root.path, path, size: state.size, mtimeMs: state.mtimeMs, ...(state.fileId ? { fileId: state.fileId } : {}), ...(state.symlink ? { symlink: true } : {}), ...(state.companions ? { companions: state.companions } : {}) } });
  }

  private emit(event: FileEvent, flushNow = false): void {
    if (!this.stopped) this.options.emit(event, flushNow);
  }
}

function isPhotoName(name: string): boolean {
  return hasImageExtension(name) && !isSkippedFolder(name);
}

// Number(): on Windows stats may be bigints. A file gone before its exact inode number could
// be read (see fileIdOf) is reported without one; the next look at it sees it gone.
async function stateOf(path: string, { info, symlink }: NamedStats): Promise<FileState> {
  const fileId = await fileIdOf(path, info).catch(() => undefined);
  return { size: Number(info.size), mtimeMs: Number(info.mtimeMs), ...(fileId ? { fileId } : {}), ...(symlink ? { symlink: true } : {}) };
}

function isGone(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

async function isFolder(path: string): Promise<boolean> {
  return stat(path).then(
    (info) => info.isDirectory(),
    () => false,
  );
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A throwing onEvents listener is the caller's bug: surface it, but keep the queue going. */
function rethrowOutsideQueue(error: unknown): void {
  setImmediate(() => {
    throw error;
  });
}

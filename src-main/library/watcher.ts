// Watches the photo folders (roots) with chokidar and reports their image files as batched
// FileEvents: the initial scan, then add/change/unlink. One chokidar instance per root, so
// each root has its own options (polling), its own "ready" and can be stopped alone.
// Renames arrive as unlink + add, and nested roots are both reported: the renderer pairs and
// dedupes them.
import { watch as chokidarWatch, type ChokidarOptions, type FSWatcher } from 'chokidar';
import { constants, realpathSync, statSync, type Stats } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import { basename, relative, resolve, sep } from 'node:path';
import type { FileEvent, RootOptions, WatchedRoot } from '../../src-core/api';
import { hasImageExtension, isSkippedFolder } from '../../src-core/image-extensions';
import { Batcher } from '../../src-core/batcher';
import { isLexicallyInside } from './path-guard';

export interface WatcherOptions {
  /** Deliver a batch as soon as this many events are pending (default 500)… */
  batchSize?: number;
  /** …or this long after the first pending event (default 200 ms). */
  batchMs?: number;
  /** A new or changed file is reported once its size has stayed the same this long (default 1000 ms). */
  stabilityMs?: number;
  /** How often networkDrive roots are polled (default 2000 ms). */
  pollIntervalMs?: number;
}

interface RootWatch {
  root: WatchedRoot;
  fsw: FSWatcher;
  /** Settles once the initial scan is delivered, or when the root is stopped before that. */
  ready: Promise<void>;
  markReady: () => void;
  stopped: boolean;
}

export class LibraryWatcher {
  private readonly stabilityMs: number;
  private readonly pollIntervalMs: number;
  private readonly watched = new Map<string, RootWatch>();
  private readonly batches: Batcher<FileEvent>;

  constructor(
    onEvents: (events: FileEvent[]) => void,
    options: WatcherOptions = {},
  ) {
    this.batches = new Batcher(onEvents, Math.max(1, options.batchSize ?? 500), options.batchMs ?? 200);
    this.stabilityMs = options.stabilityMs ?? 1000;
    this.pollIntervalMs = options.pollIntervalMs ?? 2000;
  }

  /** Starts watching; resolves after the initial scan (a {type:'ready', root} event is emitted after all of its files). Re-watching the same root with other options restarts it. */
  async watch(path: string, options: Partial<RootOptions> = {}): Promise<WatchedRoot> {
    const root = await resolveRoot(path);
    const rootOptions: RootOptions = { networkDrive: options.networkDrive ?? false };
    let current = this.watched.get(root);
    if (!current || current.root.options.networkDrive !== rootOptions.networkDrive) {
      // No await between the lookup and the new entry, so concurrent calls cannot both start one.
      const stopping = current && this.stop(current);
      current = this.start({ path: root, options: rootOptions });
      await stopping;
    }
    await current.ready;
    return copyRoot(current.root);
  }

  /** Stops a root, given as passed to watch() or as the real path it returned. */
  async unwatch(path: string): Promise<void> {
    const current = this.watched.get(resolve(path)) ?? this.watched.get(await realpath(path).catch(() => ''));
    if (current) await this.stop(current);
  }

  roots(): WatchedRoot[] {
    return [...this.watched.values()].map((current) => copyRoot(current.root));
  }

  async close(): Promise<void> {
    await Promise.all([...this.watched.values()].map((current) => this.stop(current)));
    this.batches.cancel();
  }

  private start(root: WatchedRoot): RootWatch {
    const fsw = chokidarWatch(root.path, this.chokidarOptions(root));
    let markReady!: () => void;
    const ready = new Promise<void>((done) => (markReady = done));
    const current: RootWatch = { root, fsw, ready, markReady, stopped: false };
    this.watched.set(root.path, current);
    this.listen(current);
    return current;
  }

  private listen(current: RootWatch): void {
    const root = current.root.path;
    // One queue per root: a missing stat is awaited, and that must not let a file overtake
    // "ready", or an unlink overtake the add of the same file.
    let queue = Promise.resolve();
    const enqueue = (produce: () => FileEvent | undefined | Promise<FileEvent | undefined>): void => {
      queue = queue
        .then(produce)
        .then((event) => {
          if (event && !current.stopped) this.push(event);
        })
        .catch(rethrowOutsideQueue);
    };
    current.fsw
      .on('add', (path, stats) => enqueue(() => seenEvent('add', root, path, stats)))
      .on('change', (path, stats) => enqueue(() => seenEvent('change', root, path, stats)))
      // A file that disappears together with its root (a drive unmounted, the folder moved
      // away) is not deleted: the root goes offline instead.
      .on('unlink', (path) => enqueue(async () => ((await isReachable(root)) ? { type: 'unlink', root, path: resolve(path) } : this.goOffline(current))))
      .on('unlinkDir', (path) => {
        if (resolve(path) === root) enqueue(() => this.goOffline(current));
      })
      .on('error', (error) => enqueue(() => ({ type: 'error', root, message: errorMessage(error) })))
      .on('ready', () =>
        enqueue(() => {
          if (!current.stopped) this.push({ type: 'ready', root }, true);
          current.markReady();
          return undefined;
        }),
      );
  }

  /** Stops watching a root that went away (dropping its undelivered events) and says so. */
  private async goOffline(current: RootWatch): Promise<undefined> {
    if (current.stopped) return undefined;
    await this.stop(current);
    this.push({ type: 'offline', root: current.root.path }, true);
    return undefined;
  }

  private chokidarOptions(root: WatchedRoot): ChokidarOptions {
    return {
      ignored: new LibraryFilter(root.path).ignores,
      ignoreInitial: false,
      alwaysStat: true,
      followSymlinks: true,
      // Atomic saves (write a temp file, rename it over the photo) report a change, not unlink + add.
      atomic: true,
      awaitWriteFinish: { stabilityThreshold: this.stabilityMs, pollInterval: Math.min(100, this.stabilityMs) },
      usePolling: root.options.networkDrive,
      interval: this.pollIntervalMs,
      // chokidar polls "binary" extensions (jpg, png, gif, tif…) at binaryInterval: keep both equal.
      binaryInterval: this.pollIntervalMs,
    };
  }

  private async stop(current: RootWatch): Promise<void> {
    current.stopped = true;
    if (this.watched.get(current.root.path) === current) this.watched.delete(current.root.path);
    // Whoever stopped the root no longer wants its events, even those already pending.
    this.batches.filter((event: FileEvent) => eventRoot(event) !== current.root.path);
    await current.fsw.close(); // removes chokidar's listeners, so "ready" may never come
    current.markReady();
  }

  private push(event: FileEvent, flushNow = false): void {
    this.batches.push(event, flushNow);
  }
}

/**
 * chokidar's `ignored`: hidden and junk folders, hidden files, non-images, and symlinked
 * folders that would list the same photos twice. It is called with and without stats.
 */
class LibraryFilter {
  /** Real folder → the symlink it is watched through: each is followed once, so loops end. */
  private readonly followed = new Map<string, string>();

  constructor(private readonly root: string) {}

  readonly ignores = (path: string, stats?: Stats): boolean => {
    const absolute = resolve(path);
    // chokidar also asks about the root and, when the root vanishes, its parent: leave those alone.
    if (absolute === this.root || !isLexicallyInside(absolute, this.root)) return false;
    if (relative(this.root, absolute).split(sep).some(isSkippedFolder)) return true;
    if (stats?.isFile()) return !hasImageExtension(basename(absolute));
    return stats?.isSymbolicLink() === true && this.isRepeatedFolderLink(absolute);
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

async function resolveRoot(path: string): Promise<string> {
  if (path === '') throw new Error('Cannot watch an empty path');
  const absolute = resolve(path);
  let real: string;
  try {
    real = await realpath(absolute);
    if (!(await stat(real)).isDirectory()) throw new Error('it is not a folder');
    await access(real, constants.R_OK | constants.X_OK);
  } catch (error) {
    throw new Error(`Cannot watch ${absolute}: ${describeRootError(error)}`, { cause: error });
  }
  return real;
}

function describeRootError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT' || code === 'ENOTDIR') return 'no such folder';
  if (code === 'EACCES' || code === 'EPERM') return 'permission denied';
  return errorMessage(error);
}

async function seenEvent(type: 'add' | 'change', root: string, path: string, stats?: Stats): Promise<FileEvent | undefined> {
  const info = stats ?? (await stat(path).catch(() => undefined));
  if (!info?.isFile()) return undefined; // gone before we could look at it
  // Number(): on Windows chokidar passes on readdirp's bigint stats.
  return { type, file: { root, path: resolve(path), size: Number(info.size), mtimeMs: Number(info.mtimeMs) } };
}

function eventRoot(event: FileEvent): string {
  return 'file' in event ? event.file.root : event.root;
}

function copyRoot(root: WatchedRoot): WatchedRoot {
  return { path: root.path, options: { ...root.options } };
}

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** A throwing onEvents listener is the caller's bug: surface it, but keep the queue going. */
function rethrowOutsideQueue(error: unknown): void {
  setImmediate(() => {
    throw error;
  });
}

async function isReachable(root: string): Promise<boolean> {
  return stat(root).then(
    (info) => info.isDirectory(),
    () => false,
  );
}

// Watches the photo folders (roots) and reports their image files as batched FileEvents: the
// initial scan, then add/change/unlink. One RootWatch (a chokidar instance on its folders) per
// root, so each root has its own options (polling), its own "ready" and can be stopped alone.
// Renames arrive as unlink + add, and nested roots are both reported: the renderer pairs and
// dedupes them.
import { constants } from 'node:fs';
import { access, realpath, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import type { FileEvent, RootOptions, WatchedRoot } from '../../src-core/api';
import { Batcher } from '../../src-core/batcher';
import { errorMessage, RootWatch } from './root-watch';
import { requireRoot } from './validate';

export interface WatcherOptions {
  /** Deliver a batch as soon as this many events are pending (default 500)… */
  batchSize?: number;
  /** …or this long after the first pending event (default 200 ms). */
  batchMs?: number;
  /** A new or changed file is reported once its size has stayed the same this long (default 1000 ms). */
  stabilityMs?: number;
  /** How often networkDrive roots' folders are polled (default 2000 ms). */
  pollIntervalMs?: number;
  /** How often every folder of a networkDrive root is listed again, for photos edited in
   *  place (default 10 minutes). */
  rescanIntervalMs?: number;
}

export class FolderWatcher {
  private readonly stabilityMs: number;
  private readonly pollIntervalMs: number;
  private readonly rescanIntervalMs: number;
  private readonly watched = new Map<string, RootWatch>();
  private readonly batches: Batcher<FileEvent>;

  constructor(
    onEvents: (events: FileEvent[]) => void,
    options: WatcherOptions = {},
  ) {
    this.batches = new Batcher(onEvents, Math.max(1, options.batchSize ?? 500), options.batchMs ?? 200);
    this.stabilityMs = options.stabilityMs ?? 1000;
    this.pollIntervalMs = options.pollIntervalMs ?? 2000;
    this.rescanIntervalMs = options.rescanIntervalMs ?? 10 * 60_000;
  }

  /** Starts watching; resolves after the initial scan (a {type:'ready', root} event is emitted after all of its files). Re-watching the same root with other options restarts it. */
  async watch(path: string, options: Partial<RootOptions> = {}): Promise<WatchedRoot> {
    const root = requireRoot(await resolveRoot(path), resolve(path));
    const rootOptions: RootOptions = { networkDrive: options.networkDrive ?? false };
    let current = this.watched.get(root);
    if (!current || current.root.options.networkDrive !== rootOptions.networkDrive) {
      // No await between the lookup and the new entry, so concurrent calls cannot both start one.
      const stopping = current && this.stop(current);
      current = this.start({ path: root, options: rootOptions });
      await stopping;
    }
    await current.ready;
    const skipped = current.skippedPaths();
    return { ...copyRoot(current.root), ...(skipped.length > 0 ? { skipped } : {}) };
  }

  /** Stops a root, given as passed to watch() or as the real path it returned. */
  async unwatch(path: string): Promise<void> {
    const current = await this.find(path);
    if (current) await this.stop(current);
  }

  /** Reports every photo of a watched root again, then `ready` (RootWatch.relistAll). */
  async relist(path: string): Promise<void> {
    const current = await this.find(path);
    if (!current) throw new Error(`${path} is not watched`);
    await current.relistAll();
  }

  private async find(path: string): Promise<RootWatch | undefined> {
    return this.watched.get(resolve(path)) ?? this.watched.get(await realpath(path).catch(() => ''));
  }

  roots(): WatchedRoot[] {
    return [...this.watched.values()].map((current) => copyRoot(current.root));
  }

  async close(): Promise<void> {
    await Promise.all([...this.watched.values()].map((current) => this.stop(current)));
    this.batches.cancel();
  }

  private start(root: WatchedRoot): RootWatch {
    const current: RootWatch = new RootWatch(root, {
      stabilityMs: this.stabilityMs,
      pollIntervalMs: this.pollIntervalMs,
      rescanIntervalMs: this.rescanIntervalMs,
      emit: (event, flushNow) => this.batches.push(event, flushNow),
      onGone: () => void this.goOffline(current),
    });
    this.watched.set(root.path, current);
    return current;
  }

  /** Stops watching a root that went away (dropping its undelivered events) and says so. */
  private async goOffline(current: RootWatch): Promise<void> {
    if (this.watched.get(current.root.path) !== current) return;
    await this.stop(current);
    this.batches.push({ type: 'offline', root: current.root.path }, true);
  }

  private async stop(current: RootWatch): Promise<void> {
    if (this.watched.get(current.root.path) === current) this.watched.delete(current.root.path);
    // Whoever stopped the root no longer wants its events, even those already pending.
    this.batches.filter((event: FileEvent) => eventRoot(event) !== current.root.path);
    await current.stop();
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

function eventRoot(event: FileEvent): string {
  return 'file' in event ? event.file.root : event.root;
}

function copyRoot(root: WatchedRoot): WatchedRoot {
  return { path: root.path, options: { ...root.options } };
}

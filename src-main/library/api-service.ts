// The main-side half of DoppelApi in plain Node: watched roots, hashing with back-pressure,
// progress. Electron's IPC glue and the headless host's WebSocket both call it.
import type { ApiEvent, ApiMethod, AppInfo, HashOptions, HashProgress, PairToVerify } from '../../src-core/api';
import type { PairCheck } from '../../src-core/verify/verified-pairs';
import type { HashOutcome } from '../../src-core/fingerprint';
import { WorkerPool, type WorkerFactory } from '../hash/pool';
import { Batcher } from '../../src-core/batcher';
import { isInsideRoot, isLexicallyInside, outsideRoots } from './path-guard';
import { ProgressMeter } from './progress-meter';
import { MoveJournal } from './move-journal';
import { moveToFolder, restoreMoves } from './move-to-folder';
import { trashSafely, type MoveToTrash } from './safe-delete';
import { SerialQueue } from '../../src-core/serial-queue';
import { HashQueue } from './hash-queue';
import { EMBEDDINGS_BY_DEFAULT } from '../../src-core/verify/candidates';
import { ApiArgumentError, requireAbsolutePath, requireAbsolutePathList, requireHashOptions, requireMoveIds, requirePairsToVerify, requirePath, requirePathList, requireRootOptions, requireTrashedFiles, requireTrashItems } from './validate';
import { IN_SYSTEM_TRASH, restoreFromTrash } from './trash-restore';
import { FolderWatcher } from './watcher';

export type EmitEvent = (event: ApiEvent, payload: unknown) => void;

export interface ApiServiceOptions {
  createWorker: WorkerFactory;
  appInfo: AppInfo;
  emit: EmitEvent;
  /** How a file reaches the OS trash: Electron's shell.trashItem in the app; the freedesktop
   *  implementation of the `trash` package in the host. */
  moveToTrash?: MoveToTrash;
  /** Main's journal of move-to-folder moves (JSON lines, in its data folder): restore performs
   *  only the moves recorded there. Without one, moving to a folder is refused. */
  journalPath?: string;
  /** Results are sent in batches: at most this many, or this often. */
  resultBatchSize?: number;
  resultBatchMs?: number;
}

const PROGRESS_MS = 500;
/** Files of one network-drive root read at a time. */
export const NETWORK_READS_PER_ROOT = 1;

/** The freedesktop.org trash ($XDG_DATA_HOME/Trash, or .Trash-UID on other drives). */
export async function freedesktopTrash(path: string): Promise<void> {
  const { default: trash } = await import('trash');
  await trash([path], { glob: false });
}

export class ApiService {
  readonly watcher: FolderWatcher;
  private readonly pool: WorkerPool;
  private readonly meter = new ProgressMeter();
  private readonly waiting = new HashQueue((root) => (this.watcher.roots().find((r) => r.path === root)?.options.networkDrive ? NETWORK_READS_PER_ROOT : Infinity));
  /** Wakes the pump when a job finishes (it may be waiting for a root's turn). */
  private jobFinished: () => void = () => undefined;
  private pumping = false;
  private readonly results: Batcher<HashOutcome>;
  private progressTimer?: NodeJS.Timeout;
  private paused = false;
  /** Until the page sends its setting: the product's default. */
  private hashOptions: HashOptions = { embedding: EMBEDDINGS_BY_DEFAULT };
  private readonly fileActions = new SerialQueue();
  private readonly journal?: MoveJournal;
  /** Paths waiting for or in the pool. */
  private readonly requested = new Set<string>();
  /** verifyPairs calls waiting for hashing to finish. */
  private readonly idleWaiters: Array<() => void> = [];

  constructor(private readonly options: ApiServiceOptions) {
    if (options.journalPath) this.journal = new MoveJournal(options.journalPath);
    this.watcher = new FolderWatcher((events) => options.emit('fileEvents', events));
    this.pool = new WorkerPool({ createWorker: options.createWorker });
    this.results = new Batcher((batch) => options.emit('hashResults', batch), options.resultBatchSize ?? 200, options.resultBatchMs ?? 200);
  }

  /** Runs one API method with untrusted arguments. */
  async call(method: ApiMethod, args: unknown[]): Promise<unknown> {
    switch (method) {
      case 'getAppInfo':
        return { ...this.options.appInfo, watchedRoots: this.watcher.roots() };
      case 'watchRoot':
        return this.watcher.watch(requirePath(args[0], 'root'), requireRootOptions(args[1]));
      case 'unwatchRoot': {
        const root = requirePath(args[0], 'root');
        // A folder named on the command line, once removed, is not added back by the next page load.
        this.options.appInfo.initialRoots = this.options.appInfo.initialRoots.filter((path) => path !== root);
        return this.watcher.unwatch(root);
      }
      case 'relistRoot':
        return this.watcher.relist(requirePath(args[0], 'root'));
      case 'hash':
        return this.enqueue(requirePathList(args[0]));
      case 'pauseHashing':
        this.paused = true;
        this.pool.pause();
        return this.sendProgress();
      case 'resumeHashing':
        this.paused = false;
        this.pool.resume();
        return this.sendProgress();
      // File actions run one at a time (across every window): two windows each trashing one of
      // a pair, keeping the other, must not both pass the surviving-copy check.
      case 'trash': {
        const [items, protectedFolders] = [requireTrashItems(args[0]), requireAbsolutePathList(args[1] ?? [])];
        return this.fileActions.run(() => trashSafely(items, this.rootPaths(), protectedFolders, this.options.moveToTrash ?? freedesktopTrash));
      }
      case 'moveToFolder': {
        const [items, destination, protectedFolders] = [requireTrashItems(args[0]), requireAbsolutePath(args[1], 'destination'), requireAbsolutePathList(args[2] ?? [])];
        const journal = this.moveJournal();
        return this.fileActions.run(() => moveToFolder(items, destination, this.rootPaths(), protectedFolders, journal));
      }
      case 'restore': {
        const [moveIds, journal] = [requireMoveIds(args[0]), this.moveJournal()];
        return this.fileActions.run(() => restoreMoves(moveIds, this.rootPaths(), journal));
      }
      case 'restoreFromTrash': {
        const files = requireTrashedFiles(args[0]);
        // Only Linux's trash (freedesktop, both the `trash` package and shell.trashItem) can be read back.
        if (process.platform !== 'linux') return files.map((file) => ({ path: file.path, status: 'skipped', reason: IN_SYSTEM_TRASH }));
        return this.fileActions.run(() => restoreFromTrash(files, this.rootPaths()));
      }
      case 'setHashOptions':
        this.hashOptions = requireHashOptions(args[0]);
        return;
      case 'verifyPairs':
        return this.verifyPairs(requirePairsToVerify(args[0]));
      case 'cancelHashing':
        for (const path of this.waiting.clear()) this.requested.delete(path);
        this.pool.cancel();
        this.wakeIfIdle();
        return this.sendProgress();
      default:
        throw new ApiArgumentError(`unknown method ${String(method)}`);
    }
  }

  /** Verifies pairs of files inside the watched roots; a pair outside them is refused. The
   *  pairs wait until no file is left to hash: finding the duplicates comes first, refining
   *  them after (verifying a big library's candidates takes longer than hashing it). */
  private async verifyPairs(pairs: PairToVerify[]): Promise<Array<PairCheck | { error: string }>> {
    await this.hashingIdle();
    const roots = this.rootPaths();
    const inside = await Promise.all(pairs.map(async ({ a, b }) => (await Promise.all([isInsideRoot(a.path, roots), isInsideRoot(b.path, roots)])).every(Boolean)));
    const checks = await this.pool.verifyPairs(pairs.filter((_, i) => inside[i]), roots);
    return inside.map((ok) => (ok ? checks.shift()! : { error: 'only files inside a watched folder are compared' }));
  }

  private moveJournal(): MoveJournal {
    if (!this.journal) throw new Error('moving to a folder is off: this Doppel has no move journal');
    return this.journal;
  }

  /** The watched roots, as real paths. */
  rootPaths(): string[] {
    return this.watcher.roots().map((r) => r.path);
  }

  /** True when `path` is inside a watched root (files and images are served only then). */
  isServable(path: string): Promise<boolean> {
    return isInsideRoot(path, this.rootPaths());
  }

  async close(): Promise<void> {
    clearInterval(this.progressTimer);
    this.waiting.clear();
    this.requested.clear();
    this.wakeIfIdle();
    await Promise.all([this.pool.close(), this.watcher.close()]);
    this.results.flush();
  }

  private async enqueue(paths: string[]): Promise<void> {
    const roots = this.rootPaths();
    // Each path gets its own answer: one outside the roots fails alone, not its whole batch.
    const outside = new Set(await outsideRoots(paths, roots));
    for (const path of outside) this.results.push({ ok: false, path, error: { kind: 'outside', message: 'not inside a watched folder (once links are resolved): not hashed' } });
    // A path already waiting or being hashed is not queued twice (a reloaded window asks again
    // for everything its database still lacks).
    const fresh = paths.filter((path) => !outside.has(path) && !this.requested.has(path));
    for (const path of fresh) this.requested.add(path);
    const deepestFirst = [...roots].sort((a, b) => b.length - a.length);
    const byRoot = new Map<string, string[]>();
    for (const path of fresh) {
      const root = deepestFirst.find((r) => isLexicallyInside(path, r)) ?? '';
      const list = byRoot.get(root);
      if (list) list.push(path);
      else byRoot.set(root, [path]);
    }
    for (const [root, list] of byRoot) this.waiting.push(root, list);
    this.startProgress();
    void this.pump();
  }

  /** Feeds the pool as it makes room, so a million queued paths never sit in the pool; roots
   *  take turns, a network drive one file at a time (HashQueue). */
  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.waiting.size > 0) {
        await this.pool.whenRoom();
        const next = this.waiting.take();
        if (!next) {
          // Every waiting root is at its limit: wait for one of their files to finish.
          await new Promise<void>((wake) => (this.jobFinished = wake));
          continue;
        }
        // Outcomes a worker posted to the windows itself need no relay (desktop app).
        void this.pool.hashJob(next.path, 'product', { ...this.hashOptions, within: this.rootPaths() }).then(({ outcome, delivered }) => {
          this.waiting.done(next.root);
          this.collect(next.root, next.path, outcome, delivered);
          this.jobFinished();
        });
      }
    } finally {
      this.pumping = false;
    }
  }

  /** Files handed to the pool per root, not yet finished (network drives: at most
   *  NETWORK_READS_PER_ROOT). */
  hashingByRoot(): Map<string, number> {
    return this.waiting.inFlightByRoot();
  }

  private collect(root: string, path: string, outcome: HashOutcome, delivered: boolean): void {
    this.requested.delete(path);
    this.meter.record(root);
    if (!delivered) this.results.push(outcome);
    this.wakeIfIdle();
  }

  /** Resolves once no file waits to be hashed or is being hashed. */
  private hashingIdle(): Promise<void> {
    return new Promise((resolve) => {
      this.idleWaiters.push(resolve);
      this.wakeIfIdle();
    });
  }

  private wakeIfIdle(): void {
    if (this.requested.size > 0) return;
    for (const wake of this.idleWaiters.splice(0)) wake();
  }

  progress(): HashProgress {
    const stats = this.pool.stats();
    const queued = stats.queued + this.waiting.size;
    return {
      done: stats.done,
      failed: stats.failed,
      queued,
      running: stats.running,
      paused: this.paused,
      filesPerSecond: this.meter.filesPerSecond(),
      etaSeconds: this.meter.etaSeconds(this.waiting.remainingByRoot()),
    };
  }

  private sendProgress(): void {
    this.options.emit('progress', this.progress());
  }

  private startProgress(): void {
    if (this.progressTimer) return;
    this.progressTimer = setInterval(() => {
      this.sendProgress();
      const p = this.progress();
      if (p.queued === 0 && p.running === 0) {
        clearInterval(this.progressTimer);
        this.progressTimer = undefined;
      }
    }, PROGRESS_MS);
  }
}

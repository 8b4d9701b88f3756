// The sync rules: what the watcher's events and the hash pool's results do to the database,
// and which files need hashing.
//
// - A file needs hashing when its path is unknown or its size or mtime changed, unless it
//   matches a hashed file unlinked within `moveWindowMs` (a rename or move): then it takes that
//   file's digest. Same size and mtime: a hashed or failed file is left alone (failures are not
//   retried until the file changes); a pending one is queued again (main's queue does not
//   survive a restart, and the scan after it reports the file unchanged).
// - A row records which physical file its path leads to (`fileId`, and whether the path is a
//   symlink), as the watcher reports it: rows sharing a fileId are one photo under several
//   names (src-core/physical-files.ts). A new or different identity at the same size and mtime
//   (a database from before identities, a file replaced by a link) rewrites the row without
//   hashing it again (deletion re-verifies the digest anyway) and can change groups. Its
//   companions (sidecars, Takeout JSON, a Live Photo video: FileSeen.companions) are stored
//   the same way: one edited beside an unchanged photo rewrites the row, no hashing.
// - `unlink` deletes the file row; fingerprints stay (keyed by content, for moves and copies).
// - `ready` ends a root's initial scan (started with `beginScan`): the root's files the scan
//   did not report are gone. The reported paths are kept in memory, so an unchanged library
//   costs no writes at start-up.
// - A row is `hashed` only by a fingerprint taken at its own size and mtime, so its digest
//   always describes the file state the row records (deletion re-checks rely on that). A result
//   for a file that changed after it was read still stores the fingerprint, but the row stays
//   pending: the event that recorded the new size and mtime queued it again.
// Every batch of events or results is one transaction with bulk reads and writes. Calls run one
// at a time, in call order, so batches apply in the order the watcher sent them.
import type { FileEvent, FileSeen, RootOptions } from '../../../src-core/api';
import type { DihedralHashes, HashErrorInfo, HashOutcome } from '../../../src-core/fingerprint';
import { SerialQueue } from '../../../src-core/serial-queue';
import { appendToBlocks } from './blocks';
import type { Table } from 'dexie';
import { stampLibraryChanged, type DoppelDb, type FileRow, type FileStatus, type FingerprintRow } from './db';
import { FileCounter, type FileCounts, type RowChange } from './file-counts';
import { RecentUnlinks } from './recent-unlinks';

export interface SyncSummary {
  hashRequested: number;
  moved: number;
  unchanged: number;
  removed: number;
  /** Some group can differ: files moved, removed, changed after hashing, or back online. */
  changesGroups: boolean;
}

/** Paths per `hash()` call. */
export const HASH_BATCH = 1000;
/** A move's `add` comes after the watcher sees the file stable (awaitWriteFinish), and a moved
 *  folder reports all its files: allow a generous minute. */
export const DEFAULT_MOVE_WINDOW_MS = 60_000;

export class LibrarySync {
  private readonly unlinked: RecentUnlinks;
  /** Paths reported by each root's running initial scan (beginScan → ready). */
  private readonly scans = new Map<string, Set<string>>();
  /** Roots the person removed: events main sent before it stopped watching them are dropped. */
  private readonly forgotten = new Set<string>();
  /** Files refreshFingerprints asked for this session. */
  private readonly refreshed = new Set<string>();
  private readonly queue = new SerialQueue();
  /** The stored counts as of this page's last write or read of them. */
  private counter: FileCounter | undefined;
  private failedVersion = 0;

  constructor(
    private readonly db: DoppelDb,
    private readonly hash: (paths: string[]) => Promise<void>,
    options: { moveWindowMs?: number } = {},
  ) {
    this.unlinked = new RecentUnlinks(options.moveWindowMs ?? DEFAULT_MOVE_WINDOW_MS);
  }

  /** Records a root and starts its scan: call before `watchRoot(root)`, so the `ready` that
   *  ends the scan knows which files were reported. A `ready` without it removes nothing. */
  beginScan(root: string, options?: RootOptions): Promise<void> {
    return this.serial(async () => {
      this.scans.set(root, new Set());
      this.forgotten.delete(root);
      const { roots } = this.db;
      await this.db.transaction('rw', roots, async () => {
        const known = await roots.get(root);
        await roots.put({
          ...known,
          path: root,
          options: options ?? known?.options ?? { networkDrive: false },
          addedAt: known?.addedAt ?? Date.now(),
        });
      });
    });
  }

  /** True when this database has never seen a scan of `root` end and none ended since
   *  beginScan: main was already watching it (another browser opened the host first), so its
   *  photos were reported to nobody here. */
  missedScan(root: string): Promise<boolean> {
    return this.serial(async () => this.scans.has(root) && (await this.db.roots.get(root))?.lastScanAt === undefined);
  }

  /** Resolves once every batch handed over before this call has been applied. */
  settled(): Promise<void> {
    return this.serial(async () => undefined);
  }

  /** Asks main to hash what needs it without waiting for its answer; if `hash()` rejects, the
   *  files stay pending and the next scan queues them again. */
  applyFileEvents(events: FileEvent[]): Promise<SyncSummary> {
    return this.serial(async () => {
      const now = Date.now();
      this.unlinked.prune(now);
      const batch = new EventBatch(this.db, events, now);
      // The in-memory scans and unlinks change even if the transaction fails: that costs at
      // worst a skipped removal or a needless hash, never a wrong row.
      await this.writeCounted([this.db.files, this.db.roots], async () => {
        await batch.load();
        for (const event of events) {
          if (event.type === 'add' || event.type === 'change') {
            if (this.forgotten.has(event.file.root)) continue;
            this.scans.get(event.file.root)?.add(event.file.path);
            batch.seen(event.file, this.unlinked);
          } else if (event.type === 'unlink') {
            batch.unlink(event.path, this.unlinked);
          } else if (event.type === 'ready') {
            const reported = this.scans.get(event.root);
            this.scans.delete(event.root);
            if (reported) await batch.finishScan(event.root, reported);
          }
        }
        await batch.save();
        if (batch.changesGroups) await stampLibraryChanged(this.db, now);
        return { result: undefined, changes: batch.changes() };
      });
      const paths = [...batch.toHash];
      // Not awaited: main's answer would hold up the next batch (a big first scan queues
      // hundreds). A request that fails leaves its files pending for the next scan.
      for (let i = 0; i < paths.length; i += HASH_BATCH) void this.hash(paths.slice(i, i + HASH_BATCH)).catch(() => undefined);
      return { ...batch.summary, changesGroups: batch.changesGroups, hashRequested: paths.length };
    });
  }

  applyHashResults(outcomes: HashOutcome[]): Promise<void> {
    return this.serial(async () => {
      const { files, fingerprints, fingerprintBlocks } = this.db;
      await this.writeCounted([files, fingerprints, fingerprintBlocks], async () => {
        const paths = outcomes.map((o) => (o.ok ? o.fingerprint.path : o.path));
        const stored = await files.bulkGet(paths);
        const before = new Map(paths.map((path, i) => [path, stored[i]]));
        const rows = new Map(before);
        const changed = new Map<string, FileRow>();
        const found = new Map<string, FingerprintRow>();
        for (const outcome of outcomes) {
          const path = outcome.ok ? outcome.fingerprint.path : outcome.path;
          const row = rows.get(path);
          // No row: the file was removed while it was being hashed.
          if (!row) continue;
          let next: FileRow | undefined;
          if (outcome.ok) {
            const { path: _path, mtimeMs, ...fingerprint } = outcome.fingerprint;
            found.set(fingerprint.digest, fingerprint);
            if (fingerprint.size === row.size && mtimeMs === row.mtimeMs) next = withStatus(row, 'hashed', { digest: fingerprint.digest });
          } else if (outcome.error.kind !== 'cancelled' && row.status !== 'hashed') {
            // A cancelled job says nothing about the file: it stays pending for the next scan.
            // A hashed row was hashed at its current size and mtime, after this older request.
            next = withStatus(row, 'failed', { error: outcome.error });
          }
          if (next) {
            rows.set(path, next);
            changed.set(path, next);
          }
        }
        const known = await fingerprints.bulkGet([...found.keys()]);
        // Only new content (or re-hashed content whose hashes differ) grows the packed blocks;
        // exact copies of a known file add nothing.
        const toPack = [...found.values()].filter((f, i) => !known[i] || !samePacked(known[i], f));
        await fingerprints.bulkPut([...found.values()]);
        await appendToBlocks(this.db, toPack);
        await files.bulkPut([...changed.values()]);
        if (changed.size > 0 || toPack.length > 0) await stampLibraryChanged(this.db);
        return { result: undefined, changes: [...changed].map(([path, after]): RowChange => ({ before: before.get(path), after })) };
      });
    });
  }

  /** Asks main to hash these hashed files again, each once per session (one whose
   *  fingerprint predates keeper evidence); the results replace their fingerprints. */
  refreshFingerprints(paths: readonly string[]): number {
    const fresh = paths.filter((path) => !this.refreshed.has(path));
    for (const path of fresh) this.refreshed.add(path);
    // Not awaited, as in applyFileEvents: main answers once they are hashed.
    for (let i = 0; i < fresh.length; i += HASH_BATCH) void this.hash(fresh.slice(i, i + HASH_BATCH)).catch(() => undefined);
    return fresh.length;
  }

  /** Asks main to hash every file still pending: a window that opens while main keeps watching
   *  (a reload, or a new window on macOS) gets no rescan, and results sent while no window was
   *  listening are gone. Main ignores paths it is already hashing. Returns how many. */
  requeuePending(): Promise<number> {
    return this.serial(async () => {
      const paths = (await this.db.files.where('status').equals('pending').primaryKeys()) as string[];
      for (let i = 0; i < paths.length; i += HASH_BATCH) await this.hash(paths.slice(i, i + HASH_BATCH));
      return paths.length;
    });
  }

  /** The root cannot be reached (an unmounted drive): its hashed and pending files go offline,
   *  out of every group, keeping their fingerprints, digests and decisions; a later scan of the
   *  root that finds them unchanged brings them back without hashing. */
  markRootOffline(root: string): Promise<number> {
    return this.serial(() =>
      this.writeCounted([this.db.files], async () => {
        const rows = await this.db.files.where('root').equals(root).toArray();
        // Failed files keep their error: they are in no group, and come back as they were.
        const going = rows.filter((row) => row.status === 'hashed' || row.status === 'pending');
        const offline = going.map((row): FileRow => {
          const { path, root: r, size, mtimeMs, seenAt, digest, status } = row;
          return { path, root: r, size, mtimeMs, seenAt, ...identityOf(row), status: 'missing', ...(status === 'hashed' && digest ? { missingDigest: digest } : {}) };
        });
        await this.db.files.bulkPut(offline);
        if (offline.length > 0) await stampLibraryChanged(this.db);
        return { result: offline.length, changes: going.map((before, k): RowChange => ({ before, after: offline[k] })) };
      }),
    );
  }

  /** The person removed `root`: its file rows and its root row leave the database, so its
   *  photos leave every group (the files stay on disk; fingerprints and decisions, keyed by
   *  content, stay for copies elsewhere). Returns how many rows went. */
  forgetRoot(root: string): Promise<number> {
    return this.serial(async () => {
      this.scans.delete(root);
      this.forgotten.add(root);
      return this.writeCounted([this.db.files, this.db.roots], async () => {
        const rows = await this.db.files.where('root').equals(root).toArray();
        await this.db.files.bulkDelete(rows.map((row) => row.path));
        await this.db.roots.delete(root);
        if (rows.length > 0) await stampLibraryChanged(this.db);
        return { result: rows.length, changes: rows.map((before): RowChange => ({ before, after: undefined })) };
      });
    });
  }

  /** Grows whenever the list of unreadable files may have changed (see `unreadable`). */
  get unreadableVersion(): number {
    return this.failedVersion;
  }

  /** Runs a write to `files` (and `tables`) that moves the stored counts by its changes, in
   *  one transaction with `meta`. */
  private async writeCounted<T>(tables: Table[], work: () => Promise<{ result: T; changes: RowChange[] }>): Promise<T> {
    const { result, counter, failedMoved } = await this.db.transaction('rw', [...tables, this.db.meta], async () => {
      const counter = await FileCounter.read(this.db);
      const { result, changes } = await work();
      const failedMoved = counter.apply(changes);
      await counter.write(this.db);
      return { result, counter, failedMoved };
    });
    this.counter = counter;
    if (failedMoved) this.failedVersion++;
    return result;
  }

  /** Reads the stored counts again: another tab (of `doppel serve` in the same browser) may
   *  have moved them. */
  rereadCounts(): Promise<void> {
    return this.serial(async () => {
      this.counter = await this.db.transaction('r', this.db.files, this.db.meta, () => FileCounter.read(this.db));
      this.failedVersion++;
    });
  }

  /** The files of every root (or of `root`) by status, as of this page's last write. */
  async counts(root?: string): Promise<FileCounts> {
    if (!this.counter) await this.rereadCounts();
    return this.counter!.counts(root);
  }

  /** Files that could not be hashed, by path. */
  async unreadable(): Promise<Array<{ path: string; error: HashErrorInfo }>> {
    const failed = await this.db.files.where('status').equals('failed').toArray();
    return failed.flatMap((row) => (row.error ? [{ path: row.path, error: row.error }] : []));
  }

  private serial<T>(work: () => Promise<T>): Promise<T> {
    return this.queue.run(work);
  }
}

/** One batch of events applied to the file rows it touches, written at the end in bulk. */
class EventBatch {
  readonly summary = { moved: 0, unchanged: 0, removed: 0 };
  /** Hashed files whose size or mtime changed: they leave their groups until hashed again. */
  private changedHashed = 0;
  /** Offline files found unchanged: they rejoin their groups. */
  private cameBack = 0;
  /** Hashed files whose identity is new or different: one photo's names may now be one member. */
  private identityChanged = 0;
  readonly toHash = new Set<string>();
  /** Each touched path's row as stored before the batch. */
  private readonly stored = new Map<string, FileRow | undefined>();
  /** The batch's view of each touched path: undefined once deleted. */
  private readonly rows = new Map<string, FileRow | undefined>();
  private readonly dirty = new Set<string>();

  /** Moves, removals and changes to hashed files change groups; new files once hashed. */
  get changesGroups(): boolean {
    return this.summary.moved + this.summary.removed + this.changedHashed + this.cameBack + this.identityChanged > 0;
  }

  constructor(
    private readonly db: DoppelDb,
    private readonly events: FileEvent[],
    private readonly now: number,
  ) {}

  async load(): Promise<void> {
    const paths = [...new Set(this.events.flatMap((e) => (e.type === 'add' || e.type === 'change' ? [e.file.path] : e.type === 'unlink' ? [e.path] : [])))];
    await this.read(paths);
  }

  private async read(paths: string[]): Promise<void> {
    const stored = await this.db.files.bulkGet(paths);
    paths.forEach((path, i) => {
      this.stored.set(path, stored[i]);
      this.rows.set(path, stored[i]);
    });
  }

  seen(file: FileSeen, unlinked: RecentUnlinks): void {
    const row = this.rows.get(file.path);
    if (row && row.size === file.size && row.mtimeMs === file.mtimeMs) {
      if (row.status === 'missing') return this.backOnline(row, file);
      if (!sameIdentity(row, file)) {
        const { fileId: _fileId, symlink: _symlink, companions: _companions, ...rest } = row;
        this.set(file.path, { ...rest, ...identityOf(file) });
        if (row.status === 'hashed') this.identityChanged++;
      }
      if (row.status === 'pending') this.toHash.add(file.path);
      else this.summary.unchanged++;
      return;
    }
    if (row?.status === 'hashed') this.changedHashed++;
    const base = { path: file.path, root: file.root, size: file.size, mtimeMs: file.mtimeMs, seenAt: this.now, ...identityOf(file) };
    const movedFrom = unlinked.take(file.size, file.mtimeMs);
    if (movedFrom) {
      this.set(file.path, { ...base, status: 'hashed', digest: movedFrom });
      this.toHash.delete(file.path);
      this.summary.moved++;
    } else {
      this.set(file.path, { ...base, status: 'pending' });
      this.toHash.add(file.path);
    }
  }

  /** A file of a root that was offline, found unchanged: hashed again as it was, or queued. */
  private backOnline(row: FileRow, file: FileSeen): void {
    const { path, root, size, mtimeMs } = row;
    const identity = identityOf(file);
    if (row.missingDigest) {
      this.set(path, { path, root, size, mtimeMs, seenAt: this.now, ...identity, status: 'hashed', digest: row.missingDigest });
      this.cameBack++;
    } else {
      this.set(path, { path, root, size, mtimeMs, seenAt: this.now, ...identity, status: 'pending' });
      this.toHash.add(path);
    }
  }

  unlink(path: string, unlinked: RecentUnlinks): void {
    const row = this.rows.get(path);
    if (!row) return;
    if (row.status === 'hashed' && row.digest) unlinked.add(row.size, row.mtimeMs, row.digest, this.now);
    this.remove(path);
  }

  /** Removes the root's files its scan did not report. */
  async finishScan(root: string, reported: ReadonlySet<string>): Promise<void> {
    const stored = (await this.db.files.where('root').equals(root).primaryKeys()) as string[];
    // Rows about to go are read first: the counts need their status.
    await this.read(stored.filter((path) => !this.rows.has(path) && !reported.has(path)));
    for (const [path, row] of this.rows) if (row?.root === root && !reported.has(path)) this.remove(path);
    await this.db.roots.update(root, { lastScanAt: this.now });
  }

  async save(): Promise<void> {
    const puts: FileRow[] = [];
    const deletes: string[] = [];
    for (const path of this.dirty) {
      const row = this.rows.get(path);
      if (row) puts.push(row);
      else deletes.push(path);
    }
    await this.db.files.bulkPut(puts);
    await this.db.files.bulkDelete(deletes);
  }

  /** What `save` wrote, for the counts. */
  changes(): RowChange[] {
    return [...this.dirty].map((path) => ({ before: this.stored.get(path), after: this.rows.get(path) }));
  }

  private set(path: string, row: FileRow): void {
    this.rows.set(path, row);
    this.dirty.add(path);
  }

  private remove(path: string): void {
    this.rows.set(path, undefined);
    this.dirty.add(path);
    this.toHash.delete(path);
    this.summary.removed++;
  }
}

/** The row with a new status, dropping the digest and error of the old one. */
function withStatus(row: FileRow, status: FileStatus, extra: { digest?: string; error?: HashErrorInfo }): FileRow {
  const { path, root, size, mtimeMs, seenAt } = row;
  return { path, root, size, mtimeMs, seenAt, ...identityOf(row), status, ...extra };
}

/** The physical file a path leads to and its companions, as a row stores them (no keys for
 *  what is unknown). */
function identityOf(from: Pick<FileRow, 'fileId' | 'symlink' | 'companions'>): Pick<FileRow, 'fileId' | 'symlink' | 'companions'> {
  return { ...(from.fileId !== undefined ? { fileId: from.fileId } : {}), ...(from.symlink ? { symlink: true } : {}), ...(from.companions?.length ? { companions: from.companions } : {}) };
}

function sameIdentity(row: FileRow, file: FileSeen): boolean {
  return row.fileId === file.fileId && Boolean(row.symlink) === Boolean(file.symlink) && JSON.stringify(row.companions ?? []) === JSON.stringify(file.companions ?? []);
}

function samePacked(a: FingerprintRow, b: FingerprintRow): boolean {
  const names = Object.keys(a.pdqDihedral) as Array<keyof DihedralHashes>;
  const windows = (f: FingerprintRow) => (f.pdqWindows ?? []).join();
  return a.pdq === b.pdq && a.pdqQuality === b.pdqQuality && names.every((n) => a.pdqDihedral[n] === b.pdqDihedral[n]) && windows(a) === windows(b);
}

// File counts by root and status, stored in one `meta` row that every write to `files` moves
// in the same transaction: counting an IndexedDB index walks every entry in Chromium (200,000
// rows cost seconds of the database's time, and the UI asks after every stored batch).
// LibrarySync is the only writer of `files` rows; several tabs stay right because each
// transaction reads the row, moves it and writes it back. A database from before the row is
// counted from the `[root+status]` index once.
import type { DoppelDb, FileCountsRow, FileRow, FileStatus } from './db';

export interface FileCounts {
  files: number;
  hashed: number;
  pending: number;
  failed: number;
  /** In a folder that is offline. */
  missing: number;
}

/** A row written: its state before (undefined: new) and after (undefined: deleted). */
export interface RowChange {
  before: Pick<FileRow, 'root' | 'status'> | undefined;
  after: Pick<FileRow, 'root' | 'status'> | undefined;
}

/** Counts of a folder with no files. */
export const noFiles = (): FileCounts => ({ files: 0, hashed: 0, pending: 0, failed: 0, missing: 0 });

export class FileCounter {
  private readonly byRoot = new Map<string, FileCounts>();
  private readonly total = noFiles();

  private constructor(byRoot: Record<string, FileCounts>) {
    for (const [root, counts] of Object.entries(byRoot)) for (const status of ['hashed', 'pending', 'failed', 'missing'] as const) this.add(root, status, counts[status]);
  }

  /** The stored counts, or a count of the index if there are none yet. Inside a transaction
   *  that writes `files`, call it before the writes. */
  static async read(db: DoppelDb): Promise<FileCounter> {
    const row = await db.meta.get('file-counts');
    return row?.id === 'file-counts' ? new FileCounter(row.byRoot) : FileCounter.count(db);
  }

  /** Counts every root's files by status: one index count per (root, status) present. */
  static async count(db: DoppelDb): Promise<FileCounter> {
    const present = (await db.files.orderBy('[root+status]').uniqueKeys()) as unknown as Array<[string, FileStatus]>;
    const counts = await Promise.all(present.map((key) => db.files.where('[root+status]').equals(key).count()));
    const counter = new FileCounter({});
    present.forEach(([root, status], k) => counter.add(root, status, counts[k]!));
    return counter;
  }

  /** Stores the counts; inside the transaction whose writes they include. */
  write(db: DoppelDb): Promise<unknown> {
    const row: FileCountsRow = { id: 'file-counts', byRoot: Object.fromEntries([...this.byRoot].filter(([, c]) => c.files > 0)) };
    return db.meta.put(row);
  }

  /** The totals, or one root's (zeros for a root with no files). */
  counts(root?: string): FileCounts {
    return { ...(root === undefined ? this.total : (this.byRoot.get(root) ?? noFiles())) };
  }

  /** Moves the counts by `changes`; whether a file became or stopped being unreadable. */
  apply(changes: Iterable<RowChange>): boolean {
    let failedMoved = false;
    for (const { before, after } of changes) {
      if (before) this.add(before.root, before.status, -1);
      if (after) this.add(after.root, after.status, 1);
      failedMoved ||= before?.status === 'failed' || after?.status === 'failed';
    }
    return failedMoved;
  }

  private add(root: string, status: FileStatus, n: number): void {
    let counts = this.byRoot.get(root);
    if (!counts) this.byRoot.set(root, (counts = noFiles()));
    for (const c of [counts, this.total]) {
      c.files += n;
      c[status] += n;
    }
  }
}

// File counts by root and status, kept in memory: counting an IndexedDB index walks every
// entry in Chromium (a count of 200,000 rows costs tens of milliseconds of the database's
// time, and the UI asks after every stored batch). They are counted from the database once,
// then moved by each committed write; LibrarySync is the only writer of `files` rows (another
// tab of the same browser has its own: the app counts again when a tab comes to the front).
import type { DoppelDb, FileRow, FileStatus } from './db';

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

const none = (): FileCounts => ({ files: 0, hashed: 0, pending: 0, failed: 0, missing: 0 });

export class FileCounter {
  private readonly byRoot = new Map<string, FileCounts>();
  private readonly total = none();

  /** Counts every root's files by status: one index count per (root, status) present. */
  static async load(db: DoppelDb): Promise<FileCounter> {
    const counter = new FileCounter();
    await db.transaction('r', db.files, async () => {
      const present = (await db.files.orderBy('[root+status]').uniqueKeys()) as unknown as Array<[string, FileStatus]>;
      const counts = await Promise.all(present.map((key) => db.files.where('[root+status]').equals(key).count()));
      present.forEach(([root, status], k) => counter.add(root, status, counts[k]!));
    });
    return counter;
  }

  /** The totals, or one root's (zeros for a root with no files). */
  counts(root?: string): FileCounts {
    return { ...(root === undefined ? this.total : (this.byRoot.get(root) ?? none())) };
  }

  /** Applies writes that have committed; whether a file became or stopped being unreadable. */
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
    if (!counts) this.byRoot.set(root, (counts = none()));
    for (const c of [counts, this.total]) {
      c.files += n;
      c[status] += n;
    }
  }
}

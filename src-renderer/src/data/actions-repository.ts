// The journal of file actions (to the Trash, to a folder) and what they act on: each action is
// recorded before main acts and updated with the outcome, so History shows what happened even
// after a crash in between.
import type { ActionFile, ActionRow, DoppelDb, FileRow } from './db';

/** How many actions History shows. */
const HISTORY_LENGTH = 50;

export class ActionsRepository {
  constructor(private readonly db: DoppelDb) {}

  /** The newest actions first. */
  recent(): Promise<ActionRow[]> {
    return this.db.actions.orderBy('id').reverse().limit(HISTORY_LENGTH).toArray();
  }

  /** Records an action about to start; its id. */
  start(kind: ActionRow['kind'], files: ActionFile[]): Promise<number> {
    return this.db.actions.add({ kind, at: Date.now(), state: 'started', files }) as Promise<number>;
  }

  async finish(id: number, state: 'done' | 'failed', files: ActionFile[]): Promise<void> {
    await this.db.actions.update(id, { state, files });
  }

  async markRestored(id: number): Promise<void> {
    await this.db.actions.update(id, { restoredAt: Date.now() });
  }

  /** The stored rows of these paths (as hashed and reviewed), by path; unknown paths left out. */
  async files(paths: readonly string[]): Promise<Map<string, FileRow>> {
    const rows = await this.db.files.bulkGet([...paths]);
    return new Map(rows.flatMap((row) => (row ? [[row.path, row] as const] : [])));
  }
}

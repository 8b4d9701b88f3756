// The folders the person asked Doppel to watch, remembered across restarts (LibrarySync adds
// them when their scan begins).
import type { DoppelDb, RootRow } from './db';

export class RootsRepository {
  constructor(private readonly db: DoppelDb) {}

  all(): Promise<RootRow[]> {
    return this.db.roots.toArray();
  }

  async forget(path: string): Promise<void> {
    await this.db.roots.delete(path);
  }
}

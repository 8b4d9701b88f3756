// How groups choose keepers, treat RAW/HEIC/JPEG pairs and protect folders: one stored row.
import { loadSettings, type DoppelDb, type SettingsRow } from './db';

export class SettingsRepository {
  constructor(private readonly db: DoppelDb) {}

  load(): Promise<SettingsRow> {
    return loadSettings(this.db);
  }

  /** `row` must be a plain object: IndexedDB cannot store a reactive proxy. */
  async save(row: SettingsRow): Promise<void> {
    await this.db.meta.put(row);
  }
}

// How groups choose keepers, treat RAW/HEIC/JPEG pairs and protect folders: one stored row.
import { loadSettings, type DoppelDb, type SettingsRow } from './db';

export class SettingsRepository {
  constructor(private readonly db: DoppelDb) {}

  load(): Promise<SettingsRow> {
    return loadSettings(this.db);
  }

  /** Stores a plain copy: the row the screens hold is spread from Vue's reactive settings, whose
   *  nested arrays (protected folders, keeper rules) are proxies IndexedDB cannot clone. */
  async save(row: SettingsRow): Promise<void> {
    await this.db.meta.put(JSON.parse(JSON.stringify(row)) as SettingsRow);
  }
}

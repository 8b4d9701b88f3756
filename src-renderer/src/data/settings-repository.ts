// How groups choose keepers, treat RAW/HEIC/JPEG pairs and protect folders: one stored row.
import { loadSettings, type DoppelDb, type SettingsRow } from './db';

export class SettingsRepository {
  constructor(private readonly db: DoppelDb) {}

  load(): Promise<SettingsRow> {
    return loadSettings(this.db);
  }

  /** Stores a plain copy: IndexedDB cannot store a reactive proxy. */
  async save(settings: Omit<SettingsRow, 'id'>): Promise<SettingsRow> {
    const row: SettingsRow = { ...settings, id: 'settings' };
    await this.db.meta.put(row);
    return row;
  }
}

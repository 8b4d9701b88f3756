// The settings and roots repositories over a real (in-memory) IndexedDB.
import { describe, expect, it, onTestFinished } from 'vitest';
import { reactive } from 'vue';
import { RootsRepository } from './roots-repository';
import { SettingsRepository } from './settings-repository';
import { openTestDb } from './test-support';

function testDb() {
  const db = openTestDb();
  onTestFinished(() => db.delete());
  return db;
}

describe('SettingsRepository', () => {
  it('reads defaults from a new database and what was saved after', async () => {
    const settings = new SettingsRepository(testDb());
    expect(await settings.load()).toEqual({ id: 'settings' });
    const shown = reactive({ id: 'settings' as const, preferFormat: 'raw' as const });
    await settings.save({ ...shown, pairsAreDuplicates: true });
    expect(await settings.load()).toEqual({ id: 'settings', preferFormat: 'raw', pairsAreDuplicates: true });
  });
});

describe('RootsRepository', () => {
  it('lists remembered folders and forgets one', async () => {
    const db = testDb();
    await db.roots.bulkPut([
      { path: '/a', options: { networkDrive: false }, addedAt: 1 },
      { path: '/b', options: { networkDrive: true }, addedAt: 2 },
    ]);
    const roots = new RootsRepository(db);
    await roots.forget('/a');
    expect((await roots.all()).map((r) => r.path)).toEqual(['/b']);
  });
});

// Restoring a trash action from History: main is asked with what was trashed (path, size,
// digest, as checked then), and the action counts as restored only once every file is back.
import { describe, expect, it } from 'vitest';
import type { ActionResult, Survivor } from '../../../src-core/api';
import type { FileRow } from '../data/db';
import { trashedFiles } from './deletion-store';
import { group, member, movingApi, reviewStores } from './review-test-support';

const row = (path: string, digest: string): FileRow => ({ path, root: '/p', size: 1_000, mtimeMs: 5, status: 'hashed', seenAt: 1, digest });

async function trashedAction(answer: (files: Survivor[]) => ActionResult[], platform = 'linux') {
  const asked: Survivor[][] = [];
  const api = { ...movingApi(), restoreFromTrash: async (files: Survivor[]) => (asked.push(files), answer(files)), getAppInfo: async () => ({ version: 't', host: 'browser' as const, platform, initialRoots: [] }) };
  const stores = reviewStores([group([member('/p/a.jpg', 'a'.repeat(64)), member('/p/b.jpg', 'b'.repeat(64)), member('/p/c.jpg', 'c'.repeat(64))])], api);
  await stores.db.files.bulkPut([row('/p/a.jpg', 'a'.repeat(64)), row('/p/b.jpg', 'b'.repeat(64)), row('/p/c.jpg', 'c'.repeat(64))]);
  await stores.toggleMark(stores.groups.value[0]!.members[1]!);
  await stores.toggleMark(stores.groups.value[0]!.members[2]!);
  await stores.trashMarked();
  return { stores, asked, action: stores.deletion.history[0]! };
}

describe('restoring a trash action', () => {
  it('asks main for the trashed files as they were checked, and marks the action restored when all are back', async () => {
    const { stores, asked, action } = await trashedAction((files) => files.map((f) => ({ path: f.path, status: 'moved' })));
    expect(stores.deletion.trashReadable).toBe(true);
    expect(trashedFiles(action)).toEqual([
      { path: '/p/b.jpg', size: 1_000, mtimeMs: 5, digest: 'b'.repeat(64) },
      { path: '/p/c.jpg', size: 1_000, mtimeMs: 5, digest: 'c'.repeat(64) },
    ]);
    await stores.restoreAction(action);
    expect(asked).toEqual([trashedFiles(action)]);
    expect(stores.deletion.lastAction).toBe('restore');
    expect(stores.deletion.history[0]!.restoredAt).toBeGreaterThan(0);
  });

  it('keeps the action restorable while a file was refused', async () => {
    const { stores, action } = await trashedAction((files) => files.map((f, k) => (k === 0 ? { path: f.path, status: 'moved' } : { path: f.path, status: 'skipped', reason: 'changed' })));
    const results = await stores.restoreAction(action);
    expect(results.map((r) => r.status)).toEqual(['moved', 'skipped']);
    expect(stores.deletion.history[0]!.restoredAt).toBeUndefined();
  });

  it('knows the trash cannot be read back off Linux', async () => {
    const { stores } = await trashedAction(() => [], 'darwin');
    expect(stores.deletion.trashReadable).toBe(false);
  });
});

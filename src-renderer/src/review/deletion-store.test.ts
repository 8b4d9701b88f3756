// Acting on marked files: the journal written before and after main acts, what main is asked
// (with the survivors as reviewed), the marks of moved files cleared, and restoring a move.
import { describe, expect, it } from 'vitest';
import type { TrashItem } from '../../../src-core/api';
import type { FileRow } from '../data/db';
import { movesWithoutId, restorableMoves } from './deletion-store';
import { group, member, movingApi, reviewStores } from './review-test-support';

const row = (path: string, facts: Partial<FileRow> = {}): FileRow => ({ path, root: '/p', size: 1_000, mtimeMs: 5, status: 'hashed', seenAt: 1, ...facts });

describe('deletion store', () => {
  it('journals a trash action, sends each marked file with its survivors, and unmarks what moved', async () => {
    const asked: TrashItem[][] = [];
    const api = movingApi();
    const stores = reviewStores([group([member('/p/a.jpg', 'A'), member('/p/b.jpg', 'B', { otherNames: ['/p/hard.jpg', '/p/sym.jpg'] })])], {
      ...api,
      trash: (items, folders) => (asked.push(items), api.trash(items, folders)),
    });
    await stores.db.files.bulkPut([row('/p/a.jpg', { digest: 'A' }), row('/p/b.jpg', { digest: 'B' }), row('/p/hard.jpg', { digest: 'B' }), row('/p/sym.jpg', { digest: 'B', symlink: true })]);
    await stores.toggleMark(stores.groups.value[0]!.members[1]!);
    expect(stores.pendingDeletion.value.map((i) => [i.member.path, i.keep.map((m) => m.path)])).toEqual([['/p/b.jpg', ['/p/a.jpg']]]);

    stores.deletion.confirming = true;
    const results = await stores.trashMarked();
    // The hard link goes along; the symlink is left to lead nowhere.
    expect(asked[0]!.map((i) => i.file.path)).toEqual(['/p/b.jpg', '/p/hard.jpg']);
    expect(asked[0]![0]!.keep).toEqual([{ path: '/p/a.jpg', size: 1_000, mtimeMs: 5, digest: 'A' }]);
    expect(results.map((r) => r.status)).toEqual(['moved', 'moved']);
    expect(stores.decisions.marked.size).toBe(0);
    expect(stores.deletion).toMatchObject({ confirming: false, lastAction: 'trash', lastResults: results });
    expect(stores.deletion.history).toHaveLength(1);
    expect(stores.deletion.history[0]).toMatchObject({ kind: 'trash', state: 'done', files: [{ path: '/p/b.jpg', state: 'done' }, { path: '/p/hard.jpg', state: 'done' }] });
  });

  it('offers every file "mark all" marks, even when asked while the marks are being stored', async () => {
    const many = Array.from({ length: 60 }, (_, k) => group([member(`/g${k}/a.jpg`, `A${k}`), member(`/g${k}/b.jpg`, `B${k}`), member(`/g${k}/c.jpg`, `C${k}`)]));
    const stores = reviewStores(many);
    void stores.acceptSuggestions(stores.groups.value);
    await stores.confirmMarked();
    expect(stores.deletion.confirming).toBe(true);
    expect(stores.pendingDeletion.value).toHaveLength(120);
  });

  it('restores a move by the ids main gave it, and records when', async () => {
    const api = movingApi();
    const stores = reviewStores([group([member('/p/a.jpg', 'A'), member('/p/b.jpg', 'B')])], api);
    await stores.db.files.bulkPut([row('/p/a.jpg'), row('/p/b.jpg')]);
    await stores.toggleMark(stores.groups.value[0]!.members[1]!);
    await stores.moveMarked('/review-later');
    const [action] = stores.deletion.history;
    expect(action).toMatchObject({ kind: 'move', state: 'done', files: [{ path: '/p/b.jpg', to: '/moved/p/b.jpg', moveId: 'id-/p/b.jpg' }] });
    expect(restorableMoves(action!)).toEqual(['id-/p/b.jpg']);
    expect(movesWithoutId(action!)).toEqual([]);

    await stores.restoreAction(action!);
    expect(api.calls).toEqual(['move', 'restore']);
    expect(stores.deletion.lastAction).toBe('restore');
    expect(stores.deletion.history[0]!.restoredAt).toBeGreaterThan(0);
  });

  it('keeps the journal of an action main failed, newest first', async () => {
    const stores = reviewStores([group([member('/p/a.jpg', 'A'), member('/p/b.jpg', 'B')])], {
      ...movingApi(),
      trash: async (items) => items.map((i) => ({ path: i.file.path, status: 'failed' as const, reason: 'changed since it was fingerprinted' })),
    });
    await stores.db.actions.add({ kind: 'move', at: 1, state: 'done', files: [{ path: '/old.jpg', size: 1, mtimeMs: 1, digest: 'O', state: 'done' }] });
    await stores.db.files.bulkPut([row('/p/a.jpg'), row('/p/b.jpg')]);
    await stores.toggleMark(stores.groups.value[0]!.members[1]!);
    await stores.trashMarked();
    expect(stores.decisions.marked).toEqual(new Set(['/p/b.jpg']));
    expect(stores.deletion.history.map((a) => [a.kind, a.state])).toEqual([
      ['trash', 'failed'],
      ['move', 'done'],
    ]);
    expect(stores.deletion.history[0]!.files[0]).toMatchObject({ state: 'failed', error: 'changed since it was fingerprinted' });
    // A move recorded before main journaled moves is put back by hand.
    expect(movesWithoutId(stores.deletion.history[1]!)).toHaveLength(1);
  });
});

// A photo's companions land on its row and follow what the watcher reports, without hashing
// the photo again (a real in-memory IndexedDB).
import { describe, expect, it, onTestFinished } from 'vitest';
import type { FileEvent, FileSeen } from '../../../src-core/api';
import type { Companion } from '../../../src-core/companions/discover';
import { LibrarySync } from './sync';
import { openTestDb, random, randomFingerprint, seenOf } from './test-support';

const next = random(21);
const xmp = (rating: number): Companion => ({ path: '/photos/IMG_1.xmp', kind: 'xmp', size: 900 + rating, mtimeMs: 1000 + rating, adds: { rating } });

describe('LibrarySync: companions', () => {
  it('stores a photo’s companions, rewrites them when a sidecar changes, keeps them through hashing, and drops them when it goes', async () => {
    const db = openTestDb();
    onTestFinished(() => db.delete());
    const asked: string[] = [];
    const sync = new LibrarySync(db, async (paths) => void asked.push(...paths));
    const photo = randomFingerprint(next, { path: '/photos/IMG_1.jpg' });
    const seen = (companions?: Companion[]): FileEvent => ({ type: 'change', file: { ...seenOf(photo), ...(companions ? { companions } : {}) } as FileSeen });

    await sync.applyFileEvents([{ type: 'add', file: { ...seenOf(photo), companions: [xmp(1)] } }]);
    await sync.applyHashResults([{ ok: true, fingerprint: photo }]);
    expect(await db.files.get(photo.path)).toMatchObject({ status: 'hashed', digest: photo.digest, companions: [xmp(1)] });
    asked.length = 0;

    const summary = await sync.applyFileEvents([seen([xmp(4)])]);
    expect(summary.changesGroups).toBe(true);
    expect(asked).toEqual([]);
    expect(await db.files.get(photo.path)).toMatchObject({ status: 'hashed', digest: photo.digest, companions: [xmp(4)] });

    expect((await sync.applyFileEvents([seen([xmp(4)])])).changesGroups).toBe(false);
    await sync.applyFileEvents([seen()]);
    expect((await db.files.get(photo.path))!.companions).toBeUndefined();
  });
});

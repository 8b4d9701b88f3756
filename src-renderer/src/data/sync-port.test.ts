// The page and the sync worker over a real MessageChannel (structured clone, as between a page
// and its worker), the worker's LibrarySync on an in-memory IndexedDB.
import { describe, expect, it, onTestFinished } from 'vitest';
import type { FileEvent } from '../../../src-core/api';
import type { Fingerprint } from '../../../src-core/fingerprint';
import { LibrarySync } from './sync';
import { HashRequests, serveSync, SyncClient, type FromSyncWorker, type SyncPort, type ToSyncWorker } from './sync-port';
import { openTestDb, random, randomFingerprint, seenOf } from './test-support';

const next = random(21);
const photo = (file: Partial<Fingerprint> = {}) => randomFingerprint(next, file);
const add = (f: Fingerprint): FileEvent => ({ type: 'add', file: seenOf(f) });

/** A worker-side sync and its page-side client; `hash` is what the page does with the
 *  worker's hash requests (main's `hash`). */
function connect(hash: (paths: string[]) => Promise<void>) {
  const db = openTestDb();
  const channel = new MessageChannel();
  onTestFinished(async () => {
    channel.port1.close();
    channel.port2.close();
    await db.delete();
  });
  const workerSide = channel.port1 as unknown as SyncPort<ToSyncWorker, FromSyncWorker>;
  const hashRequests = new HashRequests(workerSide);
  serveSync(workerSide, new LibrarySync(db, hashRequests.hash), hashRequests);
  const client = new SyncClient(channel.port2 as unknown as SyncPort<FromSyncWorker, ToSyncWorker>, hash);
  return { db, client };
}

describe('the sync worker behind its port', () => {
  it('stores the batches the page hands over, in order, and asks the page to have them hashed', async () => {
    const asked: string[] = [];
    const { db, client } = connect(async (paths) => void asked.push(...paths));
    const [a, b] = [photo(), photo()];
    // Handed over without waiting, as the page does: the unlink must apply after the add.
    void client.beginScan('/photos');
    void client.applyFileEvents([add(a), add(b)]);
    void client.applyFileEvents([{ type: 'unlink', root: '/photos', path: b.path }]);
    const summary = await client.applyHashResults([{ ok: true, fingerprint: a }]);
    expect(summary).toBeUndefined();
    expect(await db.files.get(a.path)).toMatchObject({ status: 'hashed', digest: a.digest });
    expect(await db.files.get(b.path)).toBeUndefined();
    expect(await client.counts('/photos')).toEqual({ files: 1, hashed: 1, pending: 0, failed: 0, missing: 0 });
    expect(asked.sort()).toEqual([a.path, b.path].sort());
  });

  it('answers with what the sync returned, and says when the unreadable list moved', async () => {
    const { client } = connect(async () => undefined);
    const a = photo();
    expect(await client.applyFileEvents([add(a)])).toEqual({ hashRequested: 1, moved: 0, unchanged: 0, removed: 0, changesGroups: false });
    const before = client.unreadableVersion;
    await client.applyHashResults([{ ok: false, path: a.path, error: { kind: 'corrupt', message: 'not a JPEG' } }]);
    expect(client.unreadableVersion).toBeGreaterThan(before);
    expect(await client.unreadable()).toEqual([{ path: a.path, error: { kind: 'corrupt', message: 'not a JPEG' } }]);
  });

  it("passes main's refusal of a hash request back to the caller that waits for it", async () => {
    const { client } = connect(async () => {
      throw new Error('connection lost');
    });
    await client.applyFileEvents([add(photo())]);
    await expect(client.requeuePending()).rejects.toThrow('connection lost');
    // The queue goes on after a failed call.
    expect((await client.counts()).pending).toBe(1);
  });
});

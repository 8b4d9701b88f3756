// Watching folders over a real (in-memory) IndexedDB with main faked: a folder that cannot be
// watched, and a remembered one that is offline until a retry can watch it.
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import type { DoppelApi, RootOptions, WatchedRoot } from '../../../src-core/api';
import { RootsRepository } from '../data/roots-repository';
import { LibrarySync } from '../data/sync';
import { openTestDb, random, randomFingerprint, seenOf } from '../data/test-support';
import { createLibraryState } from '../library-state';
import { createFolders } from './folders';

function setup(watchRoot: DoppelApi['watchRoot']) {
  const db = openTestDb();
  onTestFinished(() => db.delete());
  const sync = new LibrarySync(db, async () => undefined);
  const library = createLibraryState();
  const events = { groupsChanged: 0, countsRead: 0 };
  const folders = createFolders(library, {
    api: { watchRoot, relistRoot: async () => undefined },
    sync,
    roots: new RootsRepository(db),
    groupsChanged: () => events.groupsChanged++,
    countsRead: () => events.countsRead++,
    retryMs: 1,
  });
  return { db, sync, library, folders, events };
}

const watched = (path: string, options: Partial<RootOptions> = {}, skipped: WatchedRoot['skipped'] = []): WatchedRoot => ({ path, options: { networkDrive: false, ...options }, skipped });

describe('folders', () => {
  it('watches a folder under the path given, trimmed, once', async () => {
    const { db, library, folders } = setup(async (path) => watched(`/real${path}`, {}, [{ path: `${path}/out`, reason: 'leads out of the folder' }]));
    await folders.addRoot('  /photos ');
    await folders.addRoot('/photos');
    expect(library.roots).toMatchObject([{ path: '/photos', watchedAs: '/real/photos', scanning: false, skipped: [{ path: '/photos/out' }] }]);
    expect(await db.roots.get('/photos')).toMatchObject({ options: { networkDrive: false } });
  });

  it('drops a new folder that cannot be watched, with a message, and forgets it', async () => {
    const { db, library, folders } = setup(async () => {
      throw new Error('no such folder');
    });
    await folders.addRoot('/nowhere');
    expect(library.roots).toEqual([]);
    expect(library.message).toBe('Could not watch /nowhere: no such folder');
    expect(await db.roots.count()).toBe(0);
  });

  it('takes a remembered folder offline, out of the groups, and watches it again once it can', async () => {
    let reachable = false;
    const calls: Array<Partial<RootOptions> | undefined> = [];
    const { sync, library, folders, events } = setup(async (path, options) => {
      calls.push(options);
      if (!reachable) throw new Error('drive not mounted');
      return watched(path, options);
    });
    const photo = randomFingerprint(random(3), { path: '/drive/a.jpg' });
    await sync.applyFileEvents([{ type: 'add', file: seenOf(photo, '/drive') }]);
    await sync.applyHashResults([{ ok: true, fingerprint: photo }]);

    await folders.addRoot('/drive', { networkDrive: true }, true);
    expect(library.roots[0]).toMatchObject({ path: '/drive', offline: 'drive not mounted', counts: { files: 1, missing: 1 } });
    expect(events).toEqual({ groupsChanged: 1, countsRead: 1 });

    await vi.waitFor(() => expect(calls.length).toBeGreaterThan(2));
    reachable = true;
    await vi.waitFor(() => expect(library.roots[0]!.offline).toBeUndefined());
    expect(calls.every((options) => options?.networkDrive)).toBe(true);
  });
});

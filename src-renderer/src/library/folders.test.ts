// Watching folders over a real (in-memory) IndexedDB with main faked: a folder that cannot be
// watched, a remembered one that is offline until a retry can watch it, removing one, and
// watching them all again after main restarted.
import { describe, expect, it, onTestFinished, vi } from 'vitest';
import type { DoppelApi, RootOptions, WatchedRoot } from '../../../src-core/api';
import { RootsRepository } from '../data/roots-repository';
import { LibrarySync } from '../data/sync';
import { openTestDb, random, randomFingerprint, seenOf } from '../data/test-support';
import { createLibraryState } from '../library-state';
import { CONNECTION_LOST } from '../api/connection';
import { createFolders } from './folders';

function setup(watchRoot: DoppelApi['watchRoot'], unwatched: string[] = []) {
  const db = openTestDb();
  onTestFinished(() => db.delete());
  const sync = new LibrarySync(db, async () => undefined);
  const library = createLibraryState();
  const events = { groupsChanged: 0, countsRead: 0 };
  const folders = createFolders(library, {
    api: { watchRoot, unwatchRoot: async (path) => void unwatched.push(path), relistRoot: async () => undefined },
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

  it('removes a folder: main stops watching it, its rows and root row leave, other folders stay', async () => {
    const unwatched: string[] = [];
    const { db, sync, library, folders, events } = setup(async (path) => watched(`/real${path}`), unwatched);
    await folders.addRoot('/a');
    await folders.addRoot('/b');
    const inA = randomFingerprint(random(4), { path: '/a/x.jpg' });
    const inB = randomFingerprint(random(5), { path: '/b/y.jpg' });
    await sync.applyFileEvents([{ type: 'add', file: seenOf(inA, '/a') }, { type: 'add', file: seenOf(inB, '/b') }]);
    await sync.applyHashResults([{ ok: true, fingerprint: inA }, { ok: true, fingerprint: inB }]);

    await folders.removeRoot('/a');
    expect(unwatched).toEqual(['/a']);
    expect(library.roots.map((r) => r.path)).toEqual(['/b']);
    expect((await db.files.toArray()).map((f) => f.path)).toEqual(['/b/y.jpg']);
    expect((await db.roots.toArray()).map((r) => r.path)).toEqual(['/b']);
    expect(library.totals.files).toBe(1);
    expect(events.groupsChanged).toBe(1);
    // The fingerprint stays, keyed by content, for a copy elsewhere.
    expect(await db.fingerprints.get(inA.digest)).toBeDefined();

    // Events main sent before it stopped watching do not bring the folder's files back.
    await sync.applyFileEvents([{ type: 'add', file: seenOf(randomFingerprint(random(6), { path: '/a/late.jpg' }), '/a') }]);
    expect(await db.files.count()).toBe(1);
  });

  it('watches every folder again after main restarted, except offline ones', async () => {
    const calls: string[] = [];
    let mounted = true;
    const { library, folders } = setup(async (path) => {
      calls.push(path);
      if (path === '/drive' && !mounted) throw new Error('drive not mounted');
      return watched(path);
    });
    await folders.addRoot('/photos');
    await folders.addRoot('/drive');
    mounted = false;
    calls.length = 0;
    await folders.rewatchAll();
    expect(calls).toEqual(['/photos', '/drive']);
    expect(library.roots.map((r) => [r.path, r.offline, r.scanning])).toEqual([
      ['/photos', undefined, false],
      ['/drive', 'drive not mounted', false],
    ]);
    mounted = true; // its retries end once it can be watched
    await vi.waitFor(() => expect(library.roots[1]!.offline).toBeUndefined());
  });

  it('leaves a remembered folder as it was when main does not answer, and watches it once main is back', async () => {
    let answering = false;
    const { library, folders, events } = setup(async (path) => {
      if (!answering) throw new Error(CONNECTION_LOST);
      return watched(path);
    });
    await folders.addRoot('/photos', { networkDrive: false }, true);
    expect(library.roots).toMatchObject([{ path: '/photos', scanning: false }]);
    expect(library.roots[0]!.offline).toBeUndefined();
    expect(events.groupsChanged).toBe(0);
    answering = true;
    await folders.rewatchAll();
    expect(library.roots).toMatchObject([{ path: '/photos', watchedAs: '/photos' }]);
    expect(library.roots[0]!.offline).toBeUndefined();
  });
});

// The sync rules, end to end over a real (in-memory) IndexedDB: watcher events in, hash
// requests and stored rows out.
import { describe, expect, it, onTestFinished } from 'vitest';
import type { FileEvent } from '../../../src-core/api';
import type { Fingerprint, HashErrorInfo } from '../../../src-core/fingerprint';
import { FileCounter } from './file-counts';
import { HASH_BATCH, LibrarySync } from './sync';
import { openTestDb, random, randomFingerprint, seenOf } from './test-support';

function setup(options?: { moveWindowMs?: number }) {
  const db = openTestDb();
  onTestFinished(() => db.delete());
  const calls: string[][] = [];
  const sync = new LibrarySync(db, async (paths) => void calls.push(paths), options);
  /** Paths sent to hash() since the last call of `requested`. */
  const requested = () => calls.splice(0).flat();
  return { db, sync, calls, requested };
}

const next = random(7);
const photo = (file: Partial<Fingerprint> = {}) => randomFingerprint(next, file);
const add = (f: Fingerprint): FileEvent => ({ type: 'add', file: seenOf(f) });
const change = (f: Fingerprint): FileEvent => ({ type: 'change', file: seenOf(f) });
const unlink = (f: Pick<Fingerprint, 'path'>): FileEvent => ({ type: 'unlink', root: '/photos', path: f.path });
const ok = (fingerprint: Fingerprint) => ({ ok: true as const, fingerprint });
const failed = (path: string, error: HashErrorInfo) => ({ ok: false as const, path, error });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Adds files and stores their fingerprints, as a first scan and its hashing would. */
async function hashedLibrary(sync: LibrarySync, requested: () => string[], files: Fingerprint[]) {
  await sync.applyFileEvents(files.map(add));
  requested();
  await sync.applyHashResults(files.map(ok));
}

describe('LibrarySync: watcher events', () => {
  it('says when every batch handed over so far is applied', async () => {
    const { sync } = setup();
    const files = Array.from({ length: 50 }, () => photo());
    for (const f of files) void sync.applyFileEvents([add(f)]);
    await sync.settled();
    expect((await sync.counts()).files).toBe(50);
  });

  it('requests hashing of new files and records them as pending', async () => {
    const { db, sync, requested } = setup();
    const a = photo();
    const b = photo();
    expect(await sync.applyFileEvents([add(a), add(b)])).toEqual({ hashRequested: 2, moved: 0, unchanged: 0, removed: 0, changesGroups: false });
    expect(requested()).toEqual([a.path, b.path]);
    expect(await db.files.get(a.path)).toMatchObject({ root: '/photos', size: a.size, mtimeMs: a.mtimeMs, status: 'pending' });
    expect(await sync.counts()).toEqual({ files: 2, hashed: 0, pending: 2, failed: 0, missing: 0 });
  });

  it('stores fingerprints and marks files hashed; an unchanged file is left alone', async () => {
    const { db, sync, requested } = setup();
    const a = photo();
    await hashedLibrary(sync, requested, [a]);
    expect(await db.files.get(a.path)).toMatchObject({ status: 'hashed', digest: a.digest });
    const { path: _path, mtimeMs: _mtime, ...content } = a;
    expect(await db.fingerprints.get(a.digest)).toEqual(content);

    expect(await sync.applyFileEvents([add(a), change(a)])).toEqual({ hashRequested: 0, moved: 0, unchanged: 2, removed: 0, changesGroups: false });
    expect(requested()).toEqual([]);
  });

  it.each([
    ['size', (f: Fingerprint) => ({ ...f, size: f.size + 1 })],
    ['mtime', (f: Fingerprint) => ({ ...f, mtimeMs: f.mtimeMs + 1000 })],
  ])('re-hashes a file whose %s changed', async (_what, edit) => {
    const { db, sync, requested } = setup();
    const a = photo();
    await hashedLibrary(sync, requested, [a]);
    const edited = edit(a);
    expect((await sync.applyFileEvents([change(edited)])).hashRequested).toBe(1);
    expect(requested()).toEqual([a.path]);
    const row = await db.files.get(a.path);
    expect(row).toMatchObject({ size: edited.size, mtimeMs: edited.mtimeMs, status: 'pending' });
    expect(row?.digest).toBeUndefined();
  });

  it('hashes a file again to refresh its fingerprint once per session, and keeps the new one', async () => {
    const { db, sync, requested } = setup();
    const old = photo();
    await hashedLibrary(sync, requested, [old]);
    expect(sync.refreshFingerprints([old.path])).toBe(1);
    expect(sync.refreshFingerprints([old.path])).toBe(0);
    expect(requested()).toEqual([old.path]);
    const evidence = { jpegQuality: 90, content: [0, 0, 1, 1] as [number, number, number, number], grey: false, clipped: 0, noise: 1, sharpness: 50 };
    await sync.applyHashResults([ok({ ...old, evidence })]);
    expect(await db.fingerprints.get(old.digest)).toMatchObject({ evidence });
    expect(await db.files.get(old.path)).toMatchObject({ status: 'hashed', digest: old.digest });
  });

  it('treats unlink + add with the same size and mtime as a move: no hashing, fingerprint reused', async () => {
    const { db, sync, requested } = setup();
    const a = photo();
    const b = photo();
    await hashedLibrary(sync, requested, [a, b]);
    const aMoved = { ...a, path: '/photos/2024/renamed.jpg' };
    const bMoved = { ...b, path: '/photos/elsewhere.jpg' };
    // In one batch, and across batches (the add comes once the watcher sees the file stable).
    expect(await sync.applyFileEvents([unlink(a), add(aMoved), unlink(b)])).toEqual({ hashRequested: 0, moved: 1, unchanged: 0, removed: 2, changesGroups: true });
    expect(await sync.applyFileEvents([add(bMoved)])).toEqual({ hashRequested: 0, moved: 1, unchanged: 0, removed: 0, changesGroups: true });
    expect(requested()).toEqual([]);
    expect(await db.files.get(a.path)).toBeUndefined();
    expect(await db.files.get(aMoved.path)).toMatchObject({ status: 'hashed', digest: a.digest, size: a.size, mtimeMs: a.mtimeMs });
    expect(await db.files.get(bMoved.path)).toMatchObject({ status: 'hashed', digest: b.digest });
    expect(await sync.counts()).toEqual({ files: 2, hashed: 2, pending: 0, failed: 0, missing: 0 });
  });

  it('hashes a file whose size and mtime match two recently unlinked files of different content', async () => {
    const { sync, requested } = setup();
    const a = photo();
    const twin = photo({ size: a.size, mtimeMs: a.mtimeMs }); // other bytes, same size and mtime
    await hashedLibrary(sync, requested, [a, twin]);
    await sync.applyFileEvents([unlink(a), unlink(twin)]);
    expect(await sync.applyFileEvents([add({ ...a, path: '/photos/which-one.jpg' })])).toMatchObject({ hashRequested: 1, moved: 0 });
    expect(requested()).toEqual(['/photos/which-one.jpg']);
  });

  it('hashes a file whose matching unlink is older than the move window', async () => {
    const { sync, requested } = setup({ moveWindowMs: 1 });
    const b = photo();
    await hashedLibrary(sync, requested, [b]);
    await sync.applyFileEvents([unlink(b)]);
    await sleep(5);
    expect(await sync.applyFileEvents([add({ ...b, path: '/photos/much-later.jpg' })])).toMatchObject({ hashRequested: 1, moved: 0 });
    expect(requested()).toEqual(['/photos/much-later.jpg']);
  });

  it('removes deleted files and keeps their fingerprints', async () => {
    const { db, sync, requested } = setup();
    const a = photo();
    const b = photo();
    await hashedLibrary(sync, requested, [a, b]);
    expect(await sync.applyFileEvents([unlink(a), unlink({ path: '/photos/never-seen.jpg' })])).toMatchObject({ removed: 1 });
    expect(await db.files.get(a.path)).toBeUndefined();
    expect(await db.fingerprints.get(a.digest)).toBeDefined();
    expect(await sync.counts()).toEqual({ files: 1, hashed: 1, pending: 0, failed: 0, missing: 0 });
  });

  it('does not hash a file added then deleted in the same batch', async () => {
    const { db, sync, requested } = setup();
    const a = photo();
    expect(await sync.applyFileEvents([add(a), unlink(a)])).toMatchObject({ hashRequested: 0 });
    expect(requested()).toEqual([]);
    expect(await db.files.count()).toBe(0);
  });

  it('queues a pending file again after a restart (main keeps no queue)', async () => {
    const { db, sync, requested } = setup();
    const a = photo();
    await sync.applyFileEvents([add(a)]);
    requested();
    const calls: string[][] = [];
    const restarted = new LibrarySync(db, async (paths) => void calls.push(paths));
    expect(await restarted.applyFileEvents([add(a)])).toMatchObject({ hashRequested: 1, unchanged: 0 });
    expect(calls).toEqual([[a.path]]);
  });

  it('queues every pending file again for a window that opens without a rescan (reload)', async () => {
    const { db, sync, requested } = setup();
    const [a, b, c] = [photo(), photo(), photo()];
    await sync.applyFileEvents([add(a), add(b), add(c)]);
    requested();
    await sync.applyHashResults([ok(b)]);
    const calls: string[][] = [];
    const reloaded = new LibrarySync(db, async (paths) => void calls.push(paths));
    expect(await reloaded.requeuePending()).toBe(2);
    expect(calls.flat().sort()).toEqual([a.path, c.path].sort());
  });

  it('takes an unreachable root offline and back without hashing what did not change', async () => {
    const { db, sync, requested } = setup();
    const [same, edited, gone, unhashed, broken] = [photo(), photo(), photo(), photo(), photo()];
    await hashedLibrary(sync, requested, [same, edited, gone]);
    await sync.applyFileEvents([add(unhashed), add(broken)]);
    requested();
    await sync.applyHashResults([failed(broken.path, { kind: 'corrupt', message: 'bad huffman code' })]);
    const decisions = await db.decisions.count();

    expect(await sync.markRootOffline('/photos')).toBe(4);
    const offline = (await db.files.toArray()).filter((row) => row.path !== broken.path);
    expect(offline.every((row) => row.status === 'missing' && row.digest === undefined)).toBe(true);
    expect(await db.files.get(broken.path)).toMatchObject({ status: 'failed' }); // keeps its error
    expect(await sync.counts('/photos')).toEqual({ files: 5, hashed: 0, pending: 0, failed: 1, missing: 4 });
    expect(await db.files.get(same.path)).toMatchObject({ missingDigest: same.digest });
    // Out of the digest index (so out of every group); fingerprints and decisions stay.
    expect(await db.files.orderBy('digest').keys()).toEqual([]);
    expect(await db.fingerprints.count()).toBe(3);
    expect(await db.decisions.count()).toBe(decisions);

    // The drive is back: its scan reports `same` unchanged, `edited` changed, `unhashed`, and not `gone`.
    await sync.beginScan('/photos');
    const summary = await sync.applyFileEvents([add(same), add({ ...edited, mtimeMs: edited.mtimeMs + 1 }), add(unhashed), add(broken), { type: 'ready', root: '/photos' }]);
    expect(summary.changesGroups).toBe(true);
    expect(requested().sort()).toEqual([edited.path, unhashed.path].sort());
    expect(await db.files.get(same.path)).toMatchObject({ status: 'hashed', digest: same.digest });
    expect(await db.files.get(gone.path)).toBeUndefined();
  });

  it('records which physical file a path is, also for rows stored before that was known, and keeps it', async () => {
    const { db, sync, requested } = setup();
    const [a, b, c] = [photo(), photo(), photo()];
    // Rows as a database from before identities holds them: no fileId.
    await hashedLibrary(sync, requested, [a, b, c]);
    expect(await db.files.get(a.path)).not.toHaveProperty('fileId');
    // `b` is a symlink to `a`; `c` is another file. Same size and mtime: no hashing, but the
    // rows learn their identity, and groups may change (a and b are now one photo).
    const seen = (f: Fingerprint, fileId: string, symlink?: true): FileEvent => ({ type: 'add', file: { ...seenOf(f), fileId, ...(symlink ? { symlink } : {}) } });
    const rescan = [seen(a, '7:100'), seen(b, '7:100', true), seen(c, '7:200')];
    expect(await sync.applyFileEvents(rescan)).toEqual({ hashRequested: 0, moved: 0, unchanged: 3, removed: 0, changesGroups: true });
    expect(requested()).toEqual([]);
    expect(await db.files.get(a.path)).toMatchObject({ status: 'hashed', digest: a.digest, fileId: '7:100' });
    expect(await db.files.get(a.path)).not.toHaveProperty('symlink');
    expect(await db.files.get(b.path)).toMatchObject({ status: 'hashed', digest: b.digest, fileId: '7:100', symlink: true });
    // The same identities again: nothing changes.
    expect((await sync.applyFileEvents(rescan)).changesGroups).toBe(false);

    // Kept through a change and its hashing, and through going offline and back.
    const edited = { ...c, mtimeMs: c.mtimeMs + 1000 };
    await sync.applyFileEvents([seen(edited, '7:300')]);
    await sync.applyHashResults([ok(edited)]);
    expect(await db.files.get(c.path)).toMatchObject({ status: 'hashed', fileId: '7:300' });
    await sync.markRootOffline('/photos');
    expect(await db.files.get(b.path)).toMatchObject({ status: 'missing', fileId: '7:100', symlink: true });
    await sync.applyFileEvents([seen(b, '7:100', true)]);
    expect(await db.files.get(b.path)).toMatchObject({ status: 'hashed', fileId: '7:100', symlink: true });
  });

  it(`sends hash requests in batches of at most ${HASH_BATCH} paths`, async () => {
    const { sync, calls } = setup();
    const files = Array.from({ length: 2 * HASH_BATCH + 5 }, (_, i) => photo({ path: `/photos/${i}.jpg` }));
    expect((await sync.applyFileEvents(files.map(add))).hashRequested).toBe(files.length);
    expect(calls.map((c) => c.length)).toEqual([HASH_BATCH, HASH_BATCH, 5]);
    expect(calls.flat()).toEqual(files.map((f) => f.path));
  });
});

describe('LibrarySync: failures', () => {
  const truncated: HashErrorInfo = { kind: 'truncated', message: 'VipsJpeg: premature end of JPEG image' };

  it('stores the error, lists the file as unreadable, and retries only when the file changes', async () => {
    const { db, sync, requested } = setup();
    const a = photo();
    const b = photo();
    await sync.applyFileEvents([add(a), add(b)]);
    requested();
    await sync.applyHashResults([failed(a.path, truncated), ok(b)]);
    expect(await db.files.get(a.path)).toMatchObject({ status: 'failed', error: truncated });
    expect(await sync.unreadable()).toEqual([{ path: a.path, error: truncated }]);
    expect(await sync.counts()).toEqual({ files: 2, hashed: 1, pending: 0, failed: 1, missing: 0 });

    expect(await sync.applyFileEvents([add(a)])).toMatchObject({ hashRequested: 0, unchanged: 1 });
    expect(requested()).toEqual([]);

    const repaired = { ...a, size: a.size + 1000 };
    expect(await sync.applyFileEvents([change(repaired)])).toMatchObject({ hashRequested: 1 });
    expect(requested()).toEqual([a.path]);
    expect(await sync.unreadable()).toEqual([]);
    await sync.applyHashResults([ok(repaired)]);
    expect(await db.files.get(a.path)).toEqual(expect.objectContaining({ status: 'hashed', digest: a.digest }));
    expect((await db.files.get(a.path))?.error).toBeUndefined();
  });

  it('says when the list of unreadable files may have changed, and not after every batch', async () => {
    const { sync, requested } = setup();
    const [a, b, c] = [photo(), photo(), photo()];
    await sync.applyFileEvents([add(a), add(b), add(c)]);
    requested();
    const start = sync.unreadableVersion;
    await sync.applyHashResults([ok(a)]);
    expect(sync.unreadableVersion).toBe(start);
    await sync.applyHashResults([failed(b.path, truncated)]);
    const afterFailure = sync.unreadableVersion;
    expect(afterFailure).toBeGreaterThan(start);
    await sync.applyHashResults([ok(c)]);
    expect(sync.unreadableVersion).toBe(afterFailure);
    await sync.applyFileEvents([unlink(b)]); // the unreadable file is deleted
    expect(sync.unreadableVersion).toBeGreaterThan(afterFailure);
  });

  it('keeps a cancelled file pending and ignores a stale failure for a hashed file', async () => {
    const { db, sync, requested } = setup();
    const a = photo();
    const b = photo();
    await sync.applyFileEvents([add(a), add(b)]);
    requested();
    await sync.applyHashResults([failed(a.path, { kind: 'cancelled', message: 'cancelled' }), ok(b)]);
    await sync.applyHashResults([failed(b.path, { kind: 'timeout', message: 'took over 60 s' })]);
    expect(await db.files.get(a.path)).toMatchObject({ status: 'pending' });
    expect(await db.files.get(b.path)).toMatchObject({ status: 'hashed', digest: b.digest });
    expect(await sync.unreadable()).toEqual([]);
  });

  it('stores the fingerprint of a file that changed while hashing but keeps the file pending', async () => {
    const { db, sync, requested } = setup();
    const a = photo();
    await sync.applyFileEvents([add(a)]);
    const edited = { ...a, mtimeMs: a.mtimeMs + 5000, digest: photo().digest };
    await sync.applyFileEvents([change(edited)]);
    expect(requested()).toEqual([a.path, a.path]);

    await sync.applyHashResults([ok(a)]); // the result of the first request, for the old content
    expect(await db.fingerprints.get(a.digest)).toBeDefined();
    expect(await db.files.get(a.path)).toMatchObject({ status: 'pending', mtimeMs: edited.mtimeMs });
    await sync.applyHashResults([ok(edited)]);
    expect(await db.files.get(a.path)).toMatchObject({ status: 'hashed', digest: edited.digest });
  });

  it('ignores results for files removed while they were hashed', async () => {
    const { db, sync } = setup();
    const a = photo();
    await sync.applyFileEvents([add(a)]);
    await sync.applyFileEvents([unlink(a)]);
    await sync.applyHashResults([ok(a)]);
    expect(await db.files.count()).toBe(0);
    expect(await db.fingerprints.count()).toBe(0);
  });
});

describe('LibrarySync: initial scan', () => {
  it('on ready, removes the files of the root its scan did not report', async () => {
    const { db, sync, requested } = setup();
    const kept = photo();
    const vanished = photo();
    const edited = photo();
    const other = photo({ path: '/other/x.jpg' });
    await hashedLibrary(sync, requested, [kept, vanished, edited]);
    await sync.applyFileEvents([{ type: 'add', file: seenOf(other, '/other') }]);

    // The next start: a new scan of /photos reports two of its three files, and a new one.
    const fresh = photo();
    await sync.beginScan('/photos', { networkDrive: false });
    await sync.applyFileEvents([add(kept), add(fresh)]);
    const summary = await sync.applyFileEvents([change({ ...edited, size: 1 }), { type: 'ready', root: '/photos' }]);
    expect(summary).toEqual({ hashRequested: 1, moved: 0, unchanged: 0, removed: 1, changesGroups: true });
    expect((await db.files.toCollection().primaryKeys()).sort()).toEqual([kept.path, fresh.path, edited.path, other.path].sort());
    expect(await db.fingerprints.get(vanished.digest)).toBeDefined();
    expect(await db.roots.get('/photos')).toMatchObject({ options: { networkDrive: false }, lastScanAt: expect.any(Number) });
    expect(await sync.counts('/photos')).toEqual({ files: 3, hashed: 1, pending: 2, failed: 0, missing: 0 });
    expect(await sync.counts('/other')).toEqual({ files: 1, hashed: 0, pending: 1, failed: 0, missing: 0 });

    // Later events (after ready) are live changes: a second ready without a new scan removes nothing.
    expect(await sync.applyFileEvents([{ type: 'ready', root: '/photos' }])).toMatchObject({ removed: 0 });
  });

  it('removes every file of a root whose scan reported none', async () => {
    const { db, sync, requested } = setup();
    await hashedLibrary(sync, requested, [photo(), photo()]);
    await sync.beginScan('/photos');
    expect(await sync.applyFileEvents([{ type: 'ready', root: '/photos' }])).toMatchObject({ removed: 2 });
    expect(await db.files.count()).toBe(0);
  });
});

describe('LibrarySync: counts', () => {
  it('keeps the stored counts equal to a count of the database through every kind of write', async () => {
    const { db, sync: earlier, requested } = setup();
    const files = Array.from({ length: 12 }, () => photo());
    const other = photo({ path: '/other/a.jpg' });
    // A database from before the stored counts: the first write counts it once.
    await hashedLibrary(earlier, requested, files.slice(0, 4));
    await db.meta.delete('file-counts');
    const sync = new LibrarySync(db, async () => {});
    const matchesDatabase = async () => {
      const counted = await db.transaction('r', db.files, () => FileCounter.count(db));
      // A new page reads the stored row (no count of the index).
      expect(await db.meta.get('file-counts')).toMatchObject({ id: 'file-counts' });
      const stored = new LibrarySync(db, async () => {});
      for (const root of [undefined, '/photos', '/other', '/nowhere']) {
        expect(await sync.counts(root)).toEqual(counted.counts(root));
        expect(await stored.counts(root)).toEqual(counted.counts(root));
      }
    };
    await sync.applyFileEvents([...files.slice(4).map(add), { type: 'add', file: seenOf(other, '/other') }]);
    await matchesDatabase();
    await sync.applyHashResults([ok(files[4]!), failed(files[5]!.path, { kind: 'corrupt', message: 'bad' }), failed(files[6]!.path, { kind: 'cancelled', message: 'cancelled' })]);
    await matchesDatabase();
    // A move (unlink + add of the same size and mtime), an edit of a hashed file, a removal.
    const moved = { ...files[0]!, path: '/photos/moved/a.jpg' };
    await sync.applyFileEvents([unlink(files[0]!), add(moved), change({ ...files[1]!, mtimeMs: files[1]!.mtimeMs + 1 }), unlink(files[2]!)]);
    await matchesDatabase();
    await sync.markRootOffline('/photos');
    await matchesDatabase();
    // The drive comes back and its scan misses two files: they are removed on ready.
    await sync.beginScan('/photos');
    await sync.applyFileEvents([...[moved, files[1]!, ...files.slice(3, 10)].map(add), { type: 'ready', root: '/photos' }]);
    await matchesDatabase();
    expect(await sync.counts('/photos')).toMatchObject({ files: 9, missing: 0 });
  });

  it('reads the stored counts again on request, to catch up with another page', async () => {
    const { db, sync, requested } = setup();
    await hashedLibrary(sync, requested, [photo(), photo()]);
    const otherTab = new LibrarySync(db, async () => {});
    await otherTab.applyFileEvents([add(photo()), add(photo()), add(photo())]);
    expect(await sync.counts()).toMatchObject({ files: 2, pending: 0 });
    await sync.rereadCounts();
    expect(await sync.counts()).toEqual({ files: 5, hashed: 2, pending: 3, failed: 0, missing: 0 });
  });
});

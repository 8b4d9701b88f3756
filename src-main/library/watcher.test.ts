import {
  appendFileSync,
  chmodSync,
  copyFileSync,
  linkSync,
  mkdirSync,
  mkdtempSync,
  realpathSync,
  renameSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { afterAll, afterEach, describe, expect, it, vi } from 'vitest';
import type { FileEvent, FileSeen } from '../../src-core/api';
import { FolderWatcher, type WatcherOptions } from './watcher';

// Real chokidar, with a spy on how it is configured.
const chokidarWatch = vi.hoisted(() => ({ calls: [] as unknown[][] }));
vi.mock('chokidar', async (importOriginal) => {
  const real = await importOriginal<typeof import('chokidar')>();
  return {
    ...real,
    watch: (...args: Parameters<typeof real.watch>) => {
      chokidarWatch.calls.push(args);
      return real.watch(...args);
    },
  };
});

const base = realpathSync(mkdtempSync(join(tmpdir(), 'doppel-watcher-')));
afterAll(() => rmSync(base, { recursive: true, force: true }));

let rootCount = 0;
/** A fresh folder holding `files` (relative path → content). */
function makeRoot(files: Record<string, string> = {}): string {
  const root = join(base, `root-${++rootCount}`);
  mkdirSync(root);
  for (const [name, content] of Object.entries(files)) write(join(root, name), content);
  return root;
}

function write(path: string, content: string): void {
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, content);
}

/** Run after any watcher delivers a batch: pending waitFor checks. */
const onAnyBatch = new Set<() => void>();

/** Records every batch a watcher delivers. */
class Recorder {
  readonly batches: FileEvent[][] = [];
  readonly onEvents = (events: FileEvent[]): void => {
    this.batches.push(events);
    for (const listener of [...onAnyBatch]) listener();
  };

  get events(): FileEvent[] {
    return this.batches.flat();
  }

  seen(type: 'add' | 'change', path: string): FileSeen[] {
    return this.events.flatMap((e) => (e.type === type && e.file.path === path ? [e.file] : []));
  }

  unlinked(path: string): boolean {
    return this.events.some((e) => e.type === 'unlink' && e.path === path);
  }

  readies(root: string): number {
    return this.events.filter((e) => e.type === 'ready' && e.root === root).length;
  }
}

const openWatchers: FolderWatcher[] = [];
afterEach(async () => {
  await Promise.all(openWatchers.splice(0).map((w) => w.close()));
});

const STABILITY_MS = 150;
const FAST: WatcherOptions = { batchMs: 30, stabilityMs: STABILITY_MS };

function startWatcher(options: WatcherOptions = FAST): { watcher: FolderWatcher; recorder: Recorder } {
  const recorder = new Recorder();
  const watcher = new FolderWatcher(recorder.onEvents, options);
  openWatchers.push(watcher);
  return { watcher, recorder };
}

/** The physical file a path leads to (its target, for a symlink), as the watcher reports it. */
function fileIdOf(path: string): string {
  const info = statSync(path);
  return `${info.dev}:${info.ino}`;
}

/** check()'s value once it is truthy, checked now and again after each batch a watcher delivers. */
function waitFor<T>(what: string, check: () => T | undefined | false, timeoutMs = 5000): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const stop = () => {
      clearTimeout(timer);
      onAnyBatch.delete(attempt);
    };
    const attempt = () => {
      const value = check();
      if (value) {
        stop();
        resolve(value);
      }
    };
    const timer = setTimeout(() => {
      stop();
      reject(new Error(`timed out waiting for ${what}`));
    }, timeoutMs);
    onAnyBatch.add(attempt);
    attempt();
  });
}

describe('FolderWatcher: initial scan', () => {
  it('reports existing images with size and mtime, then ready; skips non-images, hidden and junk folders', async () => {
    const root = makeRoot({
      'a.jpg': 'abc',
      'sub/b.PNG': 'hello',
      'sub/deep/c.heic': 'x',
      'notes.txt': 'not a photo',
      'sub/._a.jpg': 'macOS resource fork',
      '.hidden/h.jpg': 'x',
      '@eaDir/a.jpg/SYNOPHOTO_THUMB_XL.jpg': 'x',
      '.Trash-1000/files/t.jpg': 'x',
      '$RECYCLE.BIN/r.jpg': 'x',
      'sub/.thumbnails/x.png': 'x',
    });
    utimesSync(join(root, 'a.jpg'), new Date('2020-05-01T10:00:00Z'), new Date('2020-05-01T10:00:00Z'));
    symlinkSync(root, join(base, 'alias-of-initial'));
    const { watcher, recorder } = startWatcher();

    const watched = await watcher.watch(join(base, 'alias-of-initial'));

    expect(watched).toEqual({ path: root, options: { networkDrive: false } });
    // Delivered before watch() resolves, ready last.
    const events = recorder.events;
    expect(events.at(-1)).toEqual({ type: 'ready', root });
    const added = events.flatMap((e) => (e.type === 'add' ? [e.file] : []));
    expect(added.map((f) => f.path).sort()).toEqual([join(root, 'a.jpg'), join(root, 'sub/b.PNG'), join(root, 'sub/deep/c.heic')]);
    expect(events).toHaveLength(4);
    const a = added.find((f) => f.path === join(root, 'a.jpg'));
    expect(a).toEqual({ root, path: join(root, 'a.jpg'), size: 3, mtimeMs: Date.parse('2020-05-01T10:00:00Z'), fileId: fileIdOf(join(root, 'a.jpg')) });
    expect(added.find((f) => f.path.endsWith('b.PNG'))?.size).toBe(5);
    expect(watcher.roots()).toEqual([watched]);
  });
});

describe('FolderWatcher: live changes', () => {
  it('reports a new file once it is stable, and a slowly written file once, with its final size', async () => {
    const root = makeRoot();
    const { watcher, recorder } = startWatcher({ batchMs: 30, stabilityMs: 600 });
    await watcher.watch(root);
    const slow = join(root, 'slow.jpg');
    const quick = join(root, 'quick.png');

    writeFileSync(quick, 'q'.repeat(10));
    const chunk = 'x'.repeat(1000);
    writeFileSync(slow, chunk);
    for (let k = 1; k < 4; k++) {
      await sleep(300);
      appendFileSync(slow, chunk);
    }
    const finishedAt = Date.now();

    const [first] = await waitFor('slow.jpg', () => recorder.seen('add', slow).length > 0 && recorder.seen('add', slow));
    expect(first?.size).toBe(4000);
    expect(Date.now() - finishedAt).toBeGreaterThanOrEqual(400); // waited for the size to settle
    expect(recorder.seen('add', quick)).toEqual([expect.objectContaining({ size: 10 })]);
    expect(recorder.seen('add', slow)).toHaveLength(1);
    expect(recorder.seen('change', slow)).toHaveLength(0);
  });

  it('reports a change of content, a delete and a rename (as unlink + add)', async () => {
    const root = makeRoot({ 'keep.jpg': 'short', 'gone.jpg': 'x', 'old.jpg': 'renamed' });
    const { watcher, recorder } = startWatcher();
    await watcher.watch(root);
    const keep = join(root, 'keep.jpg');

    writeFileSync(keep, 'much longer content');
    const [changed] = await waitFor('change', () => recorder.seen('change', keep).length > 0 && recorder.seen('change', keep));
    expect(changed).toEqual({ root, path: keep, size: 19, mtimeMs: statSync(keep).mtimeMs, fileId: fileIdOf(keep) });

    rmSync(join(root, 'gone.jpg'));
    await waitFor('unlink', () => recorder.unlinked(join(root, 'gone.jpg')));

    renameSync(join(root, 'old.jpg'), join(root, 'new.jpg'));
    await waitFor('rename', () => recorder.unlinked(join(root, 'old.jpg')) && recorder.seen('add', join(root, 'new.jpg')).length > 0);
    expect(recorder.seen('add', join(root, 'new.jpg'))).toEqual([expect.objectContaining({ size: 7 })]);
    expect(recorder.seen('add', keep)).toHaveLength(1); // the initial scan only: a change is no add
  });

  it('takes a root that goes away offline instead of reporting its files deleted', async () => {
    for (const networkDrive of [false, true]) {
      const root = makeRoot({ 'a.jpg': 'a', 'sub/b.jpg': 'bb' });
      const { watcher, recorder } = startWatcher({ ...FAST, pollIntervalMs: 100 });
      await watcher.watch(root, { networkDrive });
      const away = `${root}-unmounted`;
      renameSync(root, away); // what an unmount looks like from here
      await waitFor('offline', () => recorder.events.some((e) => e.type === 'offline' && e.root === root));
      expect(watcher.roots()).toEqual([]);
      // Back again: watching it anew rescans it.
      renameSync(away, root);
      await watcher.watch(root, { networkDrive });
      expect(recorder.seen('add', join(root, 'sub/b.jpg'))).toHaveLength(2);
      // Not while it was away, nor since.
      expect(recorder.events.filter((e) => e.type === 'unlink'), `networkDrive ${networkDrive}`).toEqual([]);
    }
  });

  it('delivers many events in batches of at most batchSize', async () => {
    const root = makeRoot();
    // A long batchMs, so only the size limit can flush before all 1,200 are in.
    const { watcher, recorder } = startWatcher({ batchSize: 500, batchMs: 1000, stabilityMs: STABILITY_MS });
    await watcher.watch(root);
    const before = recorder.batches.length;

    for (let k = 0; k < 1200; k++) writeFileSync(join(root, `p${k}.jpg`), String(k));

    await waitFor('1,200 adds', () => recorder.events.filter((e) => e.type === 'add').length >= 1200, 15_000);
    const sizes = recorder.batches.slice(before).map((batch) => batch.length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(500);
    expect(sizes).toContain(500);
    expect(new Set(recorder.events.flatMap((e) => (e.type === 'add' ? [e.file.path] : []))).size).toBe(1200);
  }, 20_000);
});

describe('FolderWatcher: symlinks and errors', () => {
  it('survives symlink loops and never follows a linked folder', async () => {
    const root = makeRoot({ 'a/photo.jpg': 'p' });
    const elsewhere = join(base, 'elsewhere');
    write(join(elsewhere, 'x.jpg'), 'x');
    symlinkSync(join(root, 'a'), join(root, 'a', 'loop')); // points at its own folder
    symlinkSync(join(root, 'a'), join(root, 'b')); // a second way into a/
    symlinkSync(elsewhere, join(root, 'out')); // a folder outside the root…
    symlinkSync(elsewhere, join(elsewhere, 'back')); // …with its own loop
    const { watcher, recorder } = startWatcher();

    const watched = await watcher.watch(root);
    // Anything chokidar finds late comes before a photo written after the scan is reported.
    const later = join(root, 'later.jpg');
    write(later, 'l');
    await waitFor('a photo written after the scan', () => recorder.seen('add', later).length > 0);

    const added = recorder.events.flatMap((e) => (e.type === 'add' ? [e.file.path] : []));
    expect(added).toEqual([join(root, 'a/photo.jpg'), later]);
    // Only the link leading out is worth telling: a/ is scanned at its real place.
    const skipped = recorder.events.filter((e) => e.type === 'skipped');
    expect(skipped).toEqual([{ type: 'skipped', root, path: join(root, 'out'), reason: expect.stringContaining(`outside this watched folder (${elsewhere})`) }]);
    expect(watched.skipped).toEqual([{ path: join(root, 'out'), reason: expect.stringContaining('not scanned') }]);
  }, 10_000);

  it('lists a linked photo that stays inside, and names once a linked photo or folder leading out, then and when made later', async () => {
    const root = makeRoot({ 'Originals/IMG_1.jpg': 'one' });
    const elsewhere = join(base, 'elsewhere-2');
    write(join(elsewhere, 'secret.jpg'), 'secret');
    symlinkSync(join(root, 'Originals/IMG_1.jpg'), join(root, 'IMG_1.jpg'));
    symlinkSync(join(elsewhere, 'secret.jpg'), join(root, 'secret.jpg'));
    const { watcher, recorder } = startWatcher();
    await watcher.watch(root);
    const added = () => recorder.events.flatMap((e) => (e.type === 'add' ? [e.file.path] : [])).sort();
    expect(added()).toEqual([join(root, 'IMG_1.jpg'), join(root, 'Originals/IMG_1.jpg')]);
    expect(recorder.events.filter((e) => e.type === 'skipped').map((e) => (e.type === 'skipped' ? e.path : ''))).toEqual([join(root, 'secret.jpg')]);

    // Made while watched: a folder link and a photo link leading out are named, never added.
    await sleep(300); // chokidar watches the subfolders a little after the scan
    symlinkSync(elsewhere, join(root, 'Linked'));
    symlinkSync(join(elsewhere, 'secret.jpg'), join(root, 'Originals', 'later.jpg'));
    await waitFor('the later links named', () => recorder.events.filter((e) => e.type === 'skipped').length === 3);
    write(join(root, 'Originals', 'real.jpg'), 'real');
    await waitFor('a real photo after them', () => recorder.seen('add', join(root, 'Originals', 'real.jpg')).length > 0);
    expect(added()).toEqual([join(root, 'IMG_1.jpg'), join(root, 'Originals/IMG_1.jpg'), join(root, 'Originals/real.jpg')]);
    expect(recorder.events.filter((e) => e.type === 'skipped').length).toBe(3);
  });

  it('reports a linked photo gone (or changed) when the photo it leads to is, though its own folder says nothing', async () => {
    const root = makeRoot({ 'Originals/2019/IMG_1.jpg': 'one', 'Originals/2019/IMG_2.jpg': 'two' });
    symlinkSync(join(root, 'Originals/2019/IMG_1.jpg'), join(root, 'IMG_1.jpg'));
    symlinkSync(join(root, 'Originals/2019/IMG_2.jpg'), join(root, 'IMG_2.jpg'));
    const { watcher, recorder } = startWatcher();
    await watcher.watch(root);
    await sleep(300); // chokidar watches the subfolders a little after the scan
    rmSync(join(root, 'Originals/2019/IMG_1.jpg'));
    await waitFor('the link reported gone', () => recorder.unlinked(join(root, 'IMG_1.jpg')));
    write(join(root, 'Originals/2019/IMG_2.jpg'), 'two, edited');
    await waitFor('the link reported changed', () => recorder.seen('change', join(root, 'IMG_2.jpg')).some((f) => f.size === 11));
  });

  it('lists a watched root again on request: every photo as found, then ready', async () => {
    const root = makeRoot({ 'a.jpg': 'a', 'sub/b.jpg': 'b' });
    const { watcher, recorder } = startWatcher();
    await watcher.watch(root);
    const before = recorder.events.length;
    await watcher.relist(root);
    const again = recorder.events.slice(before);
    expect(again.flatMap((e) => (e.type === 'add' ? [e.file.path] : [])).sort()).toEqual([join(root, 'a.jpg'), join(root, 'sub/b.jpg')]);
    expect(again.at(-1)).toEqual({ type: 'ready', root });
    await expect(watcher.relist(join(base, 'not-watched'))).rejects.toThrow(/is not watched/);
  });

  it('turns errors of a root into error events and keeps watching', async () => {
    const root = makeRoot({ 'a.jpg': 'a' });
    symlinkSync(join(root, 'self.jpg'), join(root, 'self.jpg')); // ELOOP when stat'ed
    const { watcher, recorder } = startWatcher();
    await watcher.watch(root);
    expect(recorder.events).toContainEqual({ type: 'error', root, message: expect.stringMatching(/ELOOP/) });

    write(join(root, 'later.jpg'), 'later');
    await waitFor('add after the error', () => recorder.seen('add', join(root, 'later.jpg')).length > 0);
  });

  it.skipIf(process.getuid?.() === 0)('reports an unreadable subfolder as an error event', async () => {
    const root = makeRoot({ 'a.jpg': 'a', 'locked/b.jpg': 'b' });
    chmodSync(join(root, 'locked'), 0o000);
    try {
      const { watcher, recorder } = startWatcher();
      await watcher.watch(root);
      expect(recorder.events).toContainEqual({ type: 'error', root, message: expect.stringMatching(/EACCES/) });
      expect(recorder.seen('add', join(root, 'a.jpg'))).toHaveLength(1);
    } finally {
      chmodSync(join(root, 'locked'), 0o755);
    }
  });
});

describe('FolderWatcher: physical files', () => {
  /** A photo, a symlink to it, a hard link to it and a byte copy of it, all with one mtime. */
  function photoWithLinks(): { root: string; photo: string; link: string; hard: string; copy: string } {
    const root = makeRoot({ 'Originals/2019/IMG_1.jpg': 'the photo bytes' });
    const photo = join(root, 'Originals/2019/IMG_1.jpg');
    const link = join(root, 'IMG_1.jpg');
    const hard = join(root, 'Originals/IMG_1 hard link.jpg');
    const copy = join(root, 'Backup/IMG_1.jpg');
    symlinkSync('Originals/2019/IMG_1.jpg', link);
    linkSync(photo, hard);
    mkdirSync(dirname(copy));
    copyFileSync(photo, copy);
    const when = new Date('2019-06-01T12:00:00Z');
    utimesSync(photo, when, when);
    utimesSync(copy, when, when);
    return { root, photo, link, hard, copy };
  }

  it('reports one fileId for a symlink and its target and for hard links, another for a copy, and which names are links', async () => {
    const { root, photo, link, hard, copy } = photoWithLinks();
    const { watcher, recorder } = startWatcher();
    await watcher.watch(root);

    const [seenPhoto, seenLink, seenHard, seenCopy] = [photo, link, hard, copy].map((path) => recorder.seen('add', path));
    expect(seenPhoto).toEqual([{ root, path: photo, size: 15, mtimeMs: Date.parse('2019-06-01T12:00:00Z'), fileId: fileIdOf(photo) }]);
    // The link reports its target's size, mtime and identity, and that it is a link.
    expect(seenLink).toEqual([{ root, path: link, size: 15, mtimeMs: Date.parse('2019-06-01T12:00:00Z'), fileId: fileIdOf(photo), symlink: true }]);
    expect(seenHard).toEqual([{ root, path: hard, size: 15, mtimeMs: Date.parse('2019-06-01T12:00:00Z'), fileId: fileIdOf(photo) }]);
    expect(seenCopy).toEqual([{ root, path: copy, size: 15, mtimeMs: Date.parse('2019-06-01T12:00:00Z'), fileId: fileIdOf(copy) }]);
    expect(fileIdOf(copy)).not.toBe(fileIdOf(photo));
  });

  it.each([false, true])('reports a file replaced by a hard link to another, with the same size and mtime, as a change (networkDrive %s)', async (networkDrive) => {
    const { root, photo, copy } = photoWithLinks();
    const { watcher, recorder } = startWatcher({ ...FAST, pollIntervalMs: 100, rescanIntervalMs: 400 });
    await watcher.watch(root, { networkDrive });
    const before = recorder.seen('add', copy)[0]!;

    // Replaced in one step (a rename over it), so the name never disappears.
    const staged = join(root, 'Backup/staged.tmp');
    linkSync(photo, staged);
    renameSync(staged, copy);
    const [changed] = await waitFor('change', () => recorder.seen('change', copy).length > 0 && recorder.seen('change', copy));
    expect(changed).toEqual({ ...before, fileId: fileIdOf(photo) });
    expect(recorder.unlinked(copy)).toBe(false);
  });
});

describe('FolderWatcher: roots', () => {
  it('polls network drives, and restarts a root only when its options change', async () => {
    const root = makeRoot({ 'a.jpg': 'a' });
    const { watcher, recorder } = startWatcher({ ...FAST, pollIntervalMs: 100 });
    const callsBefore = chokidarWatch.calls.length;

    expect(await watcher.watch(root, { networkDrive: true })).toEqual({ path: root, options: { networkDrive: true } });
    expect(chokidarWatch.calls.slice(callsBefore)).toEqual([
      [root, expect.objectContaining({ usePolling: true, interval: 100, binaryInterval: 100 })],
    ]);
    // fs.watchFile takes its baseline stat of each folder asynchronously, possibly after
    // watch() resolved; a file created before that baseline is never seen. Let it settle.
    await sleep(300);
    write(join(root, 'new.jpg'), 'new');
    await waitFor('add while polling', () => recorder.seen('add', join(root, 'new.jpg')).length > 0);

    await watcher.watch(root, { networkDrive: true });
    expect(chokidarWatch.calls.length).toBe(callsBefore + 1); // same options: kept as is
    expect(recorder.readies(root)).toBe(1);

    await watcher.watch(root, { networkDrive: false });
    expect(chokidarWatch.calls.at(-1)).toEqual([root, expect.objectContaining({ usePolling: false })]);
    expect(recorder.readies(root)).toBe(2);
    expect(watcher.roots()).toEqual([{ path: root, options: { networkDrive: false } }]);
  });

  it('watches a root nested in another on its own, and starts a root once for concurrent calls', async () => {
    const outer = makeRoot({ 'inner/a.jpg': 'a' });
    const inner = join(outer, 'inner');
    const { watcher, recorder } = startWatcher();
    const callsBefore = chokidarWatch.calls.length;

    await Promise.all([watcher.watch(outer), watcher.watch(outer), watcher.watch(inner)]);
    expect(chokidarWatch.calls.length).toBe(callsBefore + 2);
    expect(recorder.events.flatMap((e) => (e.type === 'add' ? [e.file.root] : [])).sort()).toEqual([outer, inner].sort());

    await watcher.unwatch(inner);
    write(join(inner, 'b.jpg'), 'b');
    await waitFor('add in the outer root', () => recorder.seen('add', join(inner, 'b.jpg')).length > 0);
    expect(recorder.seen('add', join(inner, 'b.jpg'))).toEqual([expect.objectContaining({ root: outer })]);
  });

  it('stops reporting a root once unwatched, and everything once closed', async () => {
    const first = makeRoot();
    const second = makeRoot();
    const { watcher, recorder } = startWatcher();
    await watcher.watch(first);
    await watcher.watch(second);
    // A second watcher of both roots: once it reports a file, the first would have too.
    const witness = startWatcher();
    await witness.watcher.watch(first);
    await witness.watcher.watch(second);

    await watcher.unwatch(first);
    expect(watcher.roots().map((r) => r.path)).toEqual([second]);
    const seenBefore = recorder.events.length;
    write(join(first, 'ignored.jpg'), 'x');
    write(join(second, 'seen.jpg'), 'x');
    await waitFor('add in the root still watched', () => recorder.seen('add', join(second, 'seen.jpg')).length > 0);
    await waitFor('the witness seeing the unwatched root', () => witness.recorder.seen('add', join(first, 'ignored.jpg')).length > 0);
    expect(recorder.events.slice(seenBefore).filter((e) => ('file' in e ? e.file.root : e.root) === first)).toEqual([]);
    expect(recorder.seen('add', join(first, 'ignored.jpg'))).toEqual([]);

    await watcher.close();
    expect(watcher.roots()).toEqual([]);
    const afterClose = recorder.events.length;
    write(join(second, 'after-close.jpg'), 'x');
    await waitFor('the witness seeing the file', () => witness.recorder.seen('add', join(second, 'after-close.jpg')).length > 0);
    expect(recorder.events.length).toBe(afterClose);
  });

  it('rejects a missing path, a file and an empty path with a clear message', async () => {
    const root = makeRoot({ 'a.jpg': 'a' });
    const { watcher } = startWatcher();
    await expect(watcher.watch(join(root, 'missing'))).rejects.toThrow(`Cannot watch ${join(root, 'missing')}: no such folder`);
    await expect(watcher.watch(join(root, 'a.jpg'))).rejects.toThrow(`Cannot watch ${join(root, 'a.jpg')}: it is not a folder`);
    await expect(watcher.watch('')).rejects.toThrow('Cannot watch an empty path');
    expect(watcher.roots()).toEqual([]);
  });
});

describe('FolderWatcher: folders', () => {
  it('reports a folder copied in once its files are stable, and a deleted folder as its files unlinked', async () => {
    const root = makeRoot({ 'a.jpg': 'a', 'old/deep/b.jpg': 'bb', 'old/c.png': 'ccc' });
    const { watcher, recorder } = startWatcher();
    await watcher.watch(root);

    const incoming = join(base, `incoming-${rootCount}`);
    write(join(incoming, 'x.jpg'), 'xx');
    write(join(incoming, 'sub/y.webp'), 'yyy');
    renameSync(incoming, join(root, 'new'));
    await waitFor('the moved-in folder', () => recorder.seen('add', join(root, 'new/sub/y.webp')).length > 0 && recorder.seen('add', join(root, 'new/x.jpg')).length > 0);
    expect(recorder.seen('add', join(root, 'new/sub/y.webp'))).toEqual([{ root, path: join(root, 'new/sub/y.webp'), size: 3, mtimeMs: statSync(join(root, 'new/sub/y.webp')).mtimeMs, fileId: fileIdOf(join(root, 'new/sub/y.webp')) }]);

    rmSync(join(root, 'old'), { recursive: true });
    await waitFor('the deleted folder', () => recorder.unlinked(join(root, 'old/deep/b.jpg')) && recorder.unlinked(join(root, 'old/c.png')));
    expect(recorder.unlinked(join(root, 'a.jpg'))).toBe(false);
  });

  it('finds photos edited in place on a network drive when it lists every folder again', async () => {
    const root = makeRoot({ 'a.jpg': 'a', 'sub/b.jpg': 'b' });
    const { watcher, recorder } = startWatcher({ ...FAST, pollIntervalMs: 100, rescanIntervalMs: 400 });
    await watcher.watch(root, { networkDrive: true });
    await sleep(300);

    // Same name, so the folder's own stats do not change: only the periodic listing sees it.
    writeFileSync(join(root, 'sub/b.jpg'), 'edited in place');
    const [changed] = await waitFor('change', () => recorder.seen('change', join(root, 'sub/b.jpg')).length > 0 && recorder.seen('change', join(root, 'sub/b.jpg')));
    expect(changed?.size).toBe(15);
    expect(recorder.seen('change', join(root, 'a.jpg'))).toEqual([]); // unchanged photos are not reported again
    expect(recorder.readies(root)).toBe(1);
  });
});

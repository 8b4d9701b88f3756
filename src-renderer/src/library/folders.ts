// The watched folders: adding one (the database learns of it before main watches it), removing
// one, the counts shown for each, a remembered folder that cannot be reached (offline, and
// tried again until it can), and watching them all again once a restarted main is back.
import type { DoppelApi, RootOptions } from '../../../src-core/api';
import { CONNECTION_LOST } from '../api/connection';
import { coalesced } from '../coalesced';
import { noFiles } from '../data/file-counts';
import type { RootsRepository } from '../data/roots-repository';
import type { SyncCalls } from '../data/sync-port';
import type { LibraryState, RootView } from '../library-state';

/** How often an offline folder is tried again. */
const OFFLINE_RETRY_MS = 5_000;

export interface FolderServices {
  api: Pick<DoppelApi, 'watchRoot' | 'unwatchRoot' | 'relistRoot'>;
  sync: Pick<SyncCalls, 'beginScan' | 'settled' | 'missedScan' | 'markRootOffline' | 'forgetRoot' | 'counts' | 'unreadable'> & { readonly unreadableVersion: number };
  roots: Pick<RootsRepository, 'forget'>;
  /** Files left the groups: cluster again. */
  groupsChanged: () => void;
  /** New counts were read (the verifier waits for hashing to end). */
  countsRead: () => void;
  retryMs?: number;
}

export function createFolders(library: LibraryState, { api, sync, roots, groupsChanged, countsRead, retryMs = OFFLINE_RETRY_MS }: FolderServices) {
  /** The sync's unreadable-list version the screen shows (-1: never read). */
  let unreadableShown = -1;

  /** Reads the counts (and the unreadable list when it changed) into the library state. */
  const refreshCounts = coalesced(async () => {
    library.totals = await sync.counts();
    for (const root of library.roots) root.counts = await sync.counts(root.path);
    // Read only when it may have changed: a read transaction waits behind a scan's writes.
    const version = sync.unreadableVersion;
    if (version !== unreadableShown) {
      library.unreadable = await sync.unreadable();
      unreadableShown = version;
    }
    countsRead();
  });

  /** Watches a folder: the database learns of it first, so the end of its scan can tell which
   *  remembered files are gone. A new folder that cannot be watched is dropped with a message;
   *  a remembered one (`remembered`) goes offline instead: its files leave the groups but keep
   *  their fingerprints and decisions, and it is tried again every `retryMs`. */
  async function addRoot(path: string, options: RootOptions = { networkDrive: false }, remembered = false): Promise<void> {
    const trimmed = path.trim();
    if (!trimmed || library.roots.some((r) => r.path === trimmed)) return;
    library.roots.push({ path: trimmed, networkDrive: options.networkDrive, counts: noFiles(), scanning: true, skipped: [] });
    // The reactive view (not the object pushed): later changes to it must reach the screen.
    const view = library.roots.at(-1)!;
    const error = await watch(view, options);
    // Main did not answer: the folder is as it was, and is watched once main is back.
    if (!error || error === CONNECTION_LOST) return;
    if (remembered) await takeOffline(view, error);
    else {
      library.roots.splice(library.roots.indexOf(view), 1);
      library.message = `Could not watch ${trimmed}: ${error}`;
      await roots.forget(trimmed);
    }
  }

  /** Stops watching a folder and forgets it: its rows leave the database and its photos the
   *  groups; the files stay on disk. Main is told even when it does not watch the folder now
   *  (offline): it must not add it back either, as one named on its command line. */
  async function removeRoot(path: string): Promise<void> {
    const view = library.roots.find((r) => r.path === path);
    if (!view) return;
    library.roots.splice(library.roots.indexOf(view), 1);
    await api.unwatchRoot(view.path);
    if ((await sync.forgetRoot(view.path)) > 0) groupsChanged();
    await refreshCounts();
  }

  /** A restarted main watches nothing: watch every folder again (each scan finds the unchanged
   *  files and hashes only what changed meanwhile). Offline folders keep their own retries. */
  async function rewatchAll(): Promise<void> {
    for (const view of [...library.roots]) {
      // A watch under way (a page that loaded while main was down) must not start its scan again.
      if (view.offline || view.scanning || !library.roots.includes(view)) continue;
      const error = await watch(view, { networkDrive: view.networkDrive });
      // Lost again: the next reconnection tries again.
      if (error === CONNECTION_LOST) return;
      if (error) await takeOffline(view, error);
    }
    await refreshCounts();
  }

  /** Starts watching; the error message if that failed. */
  async function watch(view: RootView, options: RootOptions): Promise<string | undefined> {
    view.scanning = true;
    try {
      await sync.beginScan(view.path, options);
      // Resolves once the initial scan is done (or at once when main already watches it, e.g.
      // after a page reload: then no new "ready" comes). The folder counts as scanned once the
      // page has applied what main reported, too (a big first scan's events queue up here).
      const watched = await api.watchRoot(view.path, options);
      view.skipped = watched.skipped ?? [];
      view.watchedAs = watched.path;
      await sync.settled();
      if (await sync.missedScan(view.path)) {
        await api.relistRoot(view.path);
        await sync.settled();
      }
      return undefined;
    } catch (error) {
      return (error as Error).message;
    } finally {
      view.scanning = false;
    }
  }

  /** The folder cannot be reached: its files leave the groups (keeping everything known about
   *  them) until a retry can watch it again, whose scan brings the unchanged ones back. */
  async function takeOffline(view: RootView, reason: string): Promise<void> {
    if (view.offline) return;
    view.offline = reason;
    if ((await sync.markRootOffline(view.path)) > 0) groupsChanged();
    await refreshCounts();
    const retry = (): void => {
      setTimeout(async () => {
        if (!library.roots.includes(view)) return; // removed meanwhile
        const error = await watch(view, { networkDrive: view.networkDrive });
        if (error) retry();
        else view.offline = undefined;
      }, retryMs);
    };
    retry();
  }

  return { addRoot, removeRoot, rewatchAll, takeOffline, refreshCounts };
}

// The renderer's library state: wires DoppelApi events into the database (sync), keeps the
// counters the UI shows, and re-clusters in a Web Worker after changes (debounced).
import { markRaw, reactive } from 'vue';
import type { HashProgress, RootOptions, SkippedPath } from '../../src-core/api';
import type { DuplicateGroup } from '../../src-core/cluster/groups';
import type { HashErrorInfo } from '../../src-core/fingerprint';
import { DEFAULT_SIMILARITY } from '../../src-core/similarity/methods';
import { connectApi } from './api/connect';
import { DoppelDb, EMBEDDINGS_BY_DEFAULT, loadSettings, type SettingsRow } from './data/db';
import { LibrarySync } from './data/sync';
import type { FileCounts } from './data/file-counts';
import type { SliderStop } from './workers/cluster-library';
import type { ClusterRequest } from './workers/cluster-jobs';
import type { ClusterWorkerMessage } from './workers/cluster.worker';
import { coalesced } from './coalesced';
import { PairVerifier } from './data/pair-verifier';
import type { SimilarShot } from '../../src-core/verify/similar-shots';

/** Delay from a change to its re-cluster; it grows to twice the last full clustering's cost, so
 *  during a big scan clustering takes at most about a third of the worker's time. */
const RECLUSTER_DELAY_MS = 400;

export interface RootView {
  path: string;
  networkDrive: boolean;
  counts: FileCounts;
  scanning: boolean;
  /** A remembered folder that cannot be reached now (an unmounted drive): why, while it lasts. */
  offline?: string;
  /** Links in it that lead out of it: not scanned, with the reason. */
  skipped: SkippedPath[];
  /** Its real path, as main watches it (the path shown is the one the person gave). */
  watchedAs?: string;
}

/** How often an offline folder is tried again. */
const OFFLINE_RETRY_MS = 5_000;

export const api = connectApi();
export const db = new DoppelDb();
const sync = new LibrarySync(db, (paths) => api.hash(paths));
/** Candidate pairs after the verifier's current slice (the next search hands them over). */
let unverifiedAfterSlice = 0;
// Verification waits until every file is hashed; a batch re-clusters when it confirmed a
// match (rejections matter only for similar shots: the last batch picks those up).
const verifier = new PairVerifier(
  db,
  api,
  (remaining, recorded, matched) => {
    library.verifying = remaining + unverifiedAfterSlice;
    // The last batch's re-cluster searches again: the next slice, or the similar shots.
    if (matched > 0 || (remaining === 0 && recorded > 0)) scheduleRecluster();
  },
  () => library.totals.pending === 0,
);
const worker = new Worker(new URL('./workers/cluster.worker.ts', import.meta.url), { type: 'module' });

export const library = reactive({
  roots: [] as RootView[],
  totals: { files: 0, hashed: 0, pending: 0, failed: 0, missing: 0 } as FileCounts,
  progress: null as HashProgress | null,
  groups: [] as DuplicateGroup[],
  photos: 0,
  similarity: DEFAULT_SIMILARITY,
  histogram: [] as SliderStop[],
  clustering: false,
  unreadable: [] as Array<{ path: string; error: HashErrorInfo }>,
  message: '',
  settings: { id: 'settings' } as SettingsRow,
  /** Candidate pairs main is still comparing (the verification stage). */
  verifying: 0,
  similarShots: [] as SimilarShot[],
});

let requested = 0;
let lastFullMs = 0;
function requestClustering(type: ClusterRequest['type']): void {
  // The candidate search reads the whole library: not while a scan is storing results (its
  // pairs would wait anyway) nor while the verifier works through earlier ones (it asks again
  // after its last batch).
  const verify = library.totals.pending === 0 && verifier.remaining === 0;
  const request: ClusterRequest = { type, similarity: library.similarity, id: ++requested, verify };
  if (type !== 'cut') library.clustering = true;
  worker.postMessage(request);
}

/** A change re-clusters after a short delay; changes arriving meanwhile ride along (no restart
 *  of the delay, so a steady stream of results still shows groups as it goes). */
let reclusterTimer: ReturnType<typeof setTimeout> | undefined;
function scheduleRecluster(): void {
  if (reclusterTimer !== undefined) return;
  reclusterTimer = setTimeout(() => {
    reclusterTimer = undefined;
    requestClustering('recluster');
  }, Math.max(RECLUSTER_DELAY_MS, 2 * lastFullMs));
}
/** Every group the worker sent for the current clustering, by key (see ClusterReply). */
const groupsByKey = new Map<string, DuplicateGroup>();
worker.onmessage = (message: MessageEvent<ClusterWorkerMessage>) => {
  if (message.data.type === 'candidates') {
    const { toVerify, unverified, similarShots } = message.data;
    library.similarShots = markRaw(similarShots);
    verifier.request(toVerify);
    unverifiedAfterSlice = Math.max(0, unverified - toVerify.length);
    library.verifying = verifier.remaining + unverifiedAfterSlice;
    return;
  }
  const reply = message.data;
  if (reply.reset) groupsByKey.clear();
  for (const [key, group] of reply.added) groupsByKey.set(key, group);
  // Not deeply reactive: tens of thousands of groups are replaced whole, never edited in place.
  library.groups = markRaw(reply.order.map((key) => groupsByKey.get(key)!));
  library.photos = reply.photos;
  if (reply.histogram) library.histogram = reply.histogram;
  if (reply.source === 'full') lastFullMs = reply.ms;
  library.clustering = reply.more || reply.id < requested;
};

/** Saves how keepers and RAW/HEIC/JPEG pairs are treated, and re-cuts with it. */
export async function saveSettings(settings: Omit<SettingsRow, 'id'>): Promise<void> {
  // A plain object: IndexedDB cannot store Vue's reactive proxy of it.
  const row: SettingsRow = { id: 'settings', ...settings };
  library.settings = row;
  await db.meta.put(row);
  await applyHashOptions();
  requestClustering('cut');
}

function applyHashOptions(): Promise<void> {
  return api.setHashOptions({ embedding: library.settings.compareContent ?? EMBEDDINGS_BY_DEFAULT });
}

export function setSimilarity(similarity: number): void {
  library.similarity = similarity;
  requestClustering('cut');
}

/** The sync's unreadable-list version the screen shows (-1: never read). */
let unreadableShown = -1;
const refreshCounts = coalesced(async () => {
  library.totals = await sync.counts();
  for (const root of library.roots) root.counts = await sync.counts(root.path);
  // Read only when it may have changed: a read transaction waits behind a scan's writes.
  const version = sync.unreadableVersion;
  if (version !== unreadableShown) {
    library.unreadable = await sync.unreadable();
    unreadableShown = version;
  }
  verifier.resume();
});

/** Watches a folder: the database learns of it first, so the end of its scan can tell which
 *  remembered files are gone. A new folder that cannot be watched is dropped with a message; a
 *  remembered one (`remembered`) goes offline instead: its files leave the groups but keep
 *  their fingerprints and decisions, and it is tried again every OFFLINE_RETRY_MS. */
export async function addRoot(path: string, options: RootOptions = { networkDrive: false }, remembered = false): Promise<void> {
  const trimmed = path.trim();
  if (!trimmed || library.roots.some((r) => r.path === trimmed)) return;
  library.roots.push({ path: trimmed, networkDrive: options.networkDrive, counts: { files: 0, hashed: 0, pending: 0, failed: 0, missing: 0 }, scanning: true, skipped: [] });
  // The reactive view (not the object pushed): later changes to it must reach the screen.
  const view = library.roots.at(-1)!;
  const error = await watch(view, options);
  if (!error) return;
  if (remembered) await takeOffline(view, error);
  else {
    library.roots.splice(library.roots.indexOf(view), 1);
    library.message = `Could not watch ${trimmed}: ${error}`;
    await db.roots.delete(trimmed);
  }
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
  if ((await sync.markRootOffline(view.path)) > 0) scheduleRecluster();
  await refreshCounts();
  const retry = (): void => {
    setTimeout(async () => {
      const error = await watch(view, { networkDrive: view.networkDrive });
      if (error) retry();
      else view.offline = undefined;
    }, OFFLINE_RETRY_MS);
  };
  retry();
}

export async function startLibrary(): Promise<void> {
  // Another tab of the same browser may have moved the stored counts meanwhile.
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') void sync.rereadCounts().then(refreshCounts);
  });
  api.onFileEvents((events) => {
    void sync.applyFileEvents(events).then(async (summary) => {
      for (const e of events) {
        const view = 'root' in e ? library.roots.find((r) => r.path === e.root) : undefined;
        if (!view) continue;
        if (e.type === 'ready') view.scanning = false;
        if (e.type === 'skipped' && !view.skipped.some((s) => s.path === e.path)) view.skipped.push({ path: e.path, reason: e.reason });
        if (e.type === 'offline') await takeOffline(view, 'the folder went away (drive unmounted or folder moved)');
      }
      await refreshCounts();
      // A rescan of unchanged files changes no group: re-clustering then is wasted work.
      if (summary.changesGroups) scheduleRecluster();
    });
  });
  api.onHashResults((outcomes) => {
    void sync.applyHashResults(outcomes).then(async () => {
      await refreshCounts();
      scheduleRecluster();
    });
  });
  api.onProgress((progress) => (library.progress = progress));
  // Groups first, from the last clustering's snapshot, while the roots are rescanned.
  requestClustering('open');
  library.settings = await loadSettings(db);
  await applyHashOptions();
  const info = await api.getAppInfo();
  const known = await db.roots.toArray();
  for (const root of known) await addRoot(root.path, root.options, true);
  for (const path of info.initialRoots) await addRoot(path);
  // Folders another window or browser of the same main added (a database is per browser).
  for (const root of info.watchedRoots ?? []) {
    if (!library.roots.some((r) => r.watchedAs === root.path)) await addRoot(root.path, root.options);
  }
  await sync.requeuePending();
  await refreshCounts();
}

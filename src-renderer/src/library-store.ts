// The library screens' actions: starting up (main's events into the database, the folders
// remembered and given), the similarity cut and the keeping settings. The state is in
// library-state.ts, the services in services.ts.
import { EMBEDDINGS_BY_DEFAULT, type SettingsRow } from './data/db';
import { library } from './library-state';
import { api, clustering, folders, repositories, sync } from './services';

const { addRoot, refreshCounts, takeOffline } = folders;

/** Saves how keepers and RAW/HEIC/JPEG pairs are treated, and re-cuts with it. */
export async function saveSettings(settings: Omit<SettingsRow, 'id'>): Promise<void> {
  // A plain object: IndexedDB cannot store Vue's reactive proxy of it.
  const row: SettingsRow = { id: 'settings', ...settings };
  library.settings = row;
  await repositories.settings.save(row);
  await applyHashOptions();
  clustering.request('cut');
}

function applyHashOptions(): Promise<void> {
  return api.setHashOptions({ embedding: library.settings.compareContent ?? EMBEDDINGS_BY_DEFAULT });
}

export function setSimilarity(similarity: number): void {
  library.similarity = similarity;
  clustering.request('cut');
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
      if (summary.changesGroups) clustering.scheduleRecluster();
    });
  });
  api.onHashResults((outcomes) => {
    void sync.applyHashResults(outcomes).then(async () => {
      await refreshCounts();
      clustering.scheduleRecluster();
    });
  });
  api.onProgress((progress) => (library.progress = progress));
  // Groups first, from the last clustering's snapshot, while the roots are rescanned.
  clustering.request('open');
  library.settings = await repositories.settings.load();
  await applyHashOptions();
  const info = await api.getAppInfo();
  for (const root of await repositories.roots.all()) await addRoot(root.path, root.options, true);
  for (const path of info.initialRoots) await addRoot(path);
  // Folders another window or browser of the same main added (a database is per browser).
  for (const root of info.watchedRoots ?? []) {
    if (!library.roots.some((r) => r.watchedAs === root.path)) await addRoot(root.path, root.options);
  }
  await sync.requeuePending();
  await refreshCounts();
}

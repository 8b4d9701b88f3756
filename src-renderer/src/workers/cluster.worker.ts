// Web Worker: clusters the library from IndexedDB off the UI thread, and re-cuts it on demand.
import { DoppelDb } from '../data/db';
import { cut, loadAndCluster, type LoadedLibrary } from './cluster-library';

export type ClusterRequest = { type: 'recluster'; similarity: number } | { type: 'cut'; similarity: number };

const db = new DoppelDb();
let loaded: LoadedLibrary | undefined;

self.onmessage = async (message: MessageEvent<ClusterRequest>) => {
  const started = performance.now();
  if (message.data.type === 'recluster' || !loaded) loaded = await loadAndCluster(db);
  const groups = cut(loaded, message.data.similarity);
  self.postMessage({ groups, photos: loaded.photos, notes: loaded.library.notes, ms: performance.now() - started });
};

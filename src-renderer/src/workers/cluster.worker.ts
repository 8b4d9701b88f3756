// Web Worker: clusters the library from IndexedDB off the UI thread, and re-cuts it on demand.
import { DoppelDb } from '../data/db';
import { cut, loadAndCluster, sliderHistogram, type LoadedLibrary, type SliderStop } from './cluster-library';

export type ClusterRequest = { type: 'recluster'; similarity: number } | { type: 'cut'; similarity: number };

const db = new DoppelDb();
let loaded: LoadedLibrary | undefined;

export interface ClusterReply {
  groups: ReturnType<typeof cut>;
  photos: number;
  /** Sent after a re-cluster only: the slider positions do not change on a cut. */
  histogram?: SliderStop[];
  ms: number;
}

self.onmessage = async (message: MessageEvent<ClusterRequest>) => {
  const started = performance.now();
  const fresh = message.data.type === 'recluster' || !loaded;
  if (fresh) loaded = await loadAndCluster(db);
  // Decisions are few: a scan is cheaper than another index.
  const splits = (await db.decisions.filter((d) => d.kind === 'split').toArray()).map((d) => d.digests);
  const reply: ClusterReply = { groups: cut(loaded!, message.data.similarity, splits), photos: loaded!.photos, ms: performance.now() - started };
  if (fresh) reply.histogram = sliderHistogram(loaded!);
  self.postMessage(reply);
};

// Web Worker: clusters the library from IndexedDB off the UI thread, and re-cuts it on demand.
import { DoppelDb } from '../data/db';
import { cut, loadAndCluster, openSnapshot, sliderHistogram, type LoadedLibrary, type SliderStop } from './cluster-library';
import { ClusterJobs, type ClusterJob, type ClusterRequest } from './cluster-jobs';

export type { ClusterRequest };

export interface ClusterReply {
  id: number;
  /** `snapshot`: the saved clustering (a full one may follow); `full`: the whole library was
   *  clustered; `cut`: re-cut only. */
  source: 'snapshot' | 'full' | 'cut';
  groups: ReturnType<typeof cut>;
  photos: number;
  /** Sent after a clustering only: the slider positions do not change on a cut. */
  histogram?: SliderStop[];
  ms: number;
  /** More work is queued (e.g. the full re-cluster after a stale snapshot). */
  more: boolean;
}

const db = new DoppelDb();
let loaded: LoadedLibrary | undefined;
const jobs = new ClusterJobs(run);

self.onmessage = (message: MessageEvent<ClusterRequest>) => jobs.add(message.data);

async function run(job: ClusterJob): Promise<void> {
  const started = performance.now();
  let source: ClusterReply['source'] = 'cut';
  if (job.recluster) {
    loaded = await loadAndCluster(db);
    source = 'full';
  } else if (job.open || !loaded) {
    const snapshot = await openSnapshot(db);
    if (snapshot) {
      loaded = snapshot.loaded;
      source = 'snapshot';
      // Runs after this reply, merged with anything that arrived meanwhile.
      if (snapshot.stale) jobs.add({ type: 'recluster', similarity: job.similarity, id: job.id });
    } else {
      loaded = await loadAndCluster(db);
      source = 'full';
    }
  }
  // Decisions are few: a scan is cheaper than another index.
  const splits = (await db.decisions.filter((d) => d.kind === 'split').toArray()).map((d) => d.digests);
  const groups = cut(loaded, job.similarity, splits);
  const reply: ClusterReply = { id: job.id, source, groups, photos: loaded.photos, ms: performance.now() - started, more: jobs.hasMore };
  if (source !== 'cut') reply.histogram = sliderHistogram(loaded);
  self.postMessage(reply);
}

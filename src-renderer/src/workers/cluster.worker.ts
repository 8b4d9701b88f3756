// Web Worker: clusters the library from IndexedDB off the UI thread, and re-cuts it on demand.
import type { DuplicateGroup } from '../../../src-core/cluster/groups';
import { isStaleFingerprint } from '../../../src-core/fingerprint';
import { DoppelDb, loadSettings } from '../data/db';
import type { SimilarShot } from '../../../src-core/verify/similar-shots';
import { cut, findCandidates, loadAndCluster, phaseTimer, type ClusterPhases, openSnapshot, savedSimilarShots, sliderHistogram, type LoadedLibrary, type PairToCheck, type SliderStop } from './cluster-library';
import { ClusterJobs, type ClusterJob, type ClusterRequest } from './cluster-jobs';

export type { ClusterRequest };

export interface ClusterReply {
  id: number;
  /** `snapshot`: the saved clustering (a full one may follow); `full`: the whole library was
   *  clustered; `cut`: re-cut only. */
  source: 'snapshot' | 'full' | 'cut';
  /** The groups in display order, by key. Groups are sent once per clustering: `added` holds
   *  those the main thread does not have yet (a slider move mostly re-uses groups already
   *  sent), and `reset` says the keys of earlier replies no longer apply. */
  order: string[];
  added: Array<[key: string, group: DuplicateGroup]>;
  reset: boolean;
  photos: number;
  /** Sent after a clustering only: the slider positions do not change on a cut. */
  histogram?: SliderStop[];
  ms: number;
  /** More work is queued (e.g. the full re-cluster after a stale snapshot). */
  more: boolean;
  /** Where the time went, ms by step (a full clustering's steps, then the cut). */
  phases: ClusterPhases;
  /** After a clustering: files that may join a group but were fingerprinted before keeper
   *  evidence or the current product hashes existed (isStaleFingerprint: hashing them again
   *  lets the keeper rules see evidence, and their PDQ match files hashed since). */
  lackingEvidence?: string[];
}

/** Files asked for again per clustering: a library from before keeper evidence catches up in
 *  batches, its groups' members only, never the whole library at once. */
const EVIDENCE_REFRESH_BATCH = 2000;

/** The candidate search's result, posted after the groups it follows. */
export interface CandidatesReply {
  type: 'candidates';
  toVerify: PairToCheck[];
  /** Pairs not verified yet, toVerify included (see VERIFY_SLICE). */
  unverified: number;
  similarShots: SimilarShot[];
}

export type ClusterWorkerMessage = ({ type: 'groups' } & ClusterReply) | CandidatesReply;

const db = new DoppelDb();
let loaded: LoadedLibrary | undefined;
/** Keys of the groups the main thread holds for `loaded`. */
let sent = new Set<string>();
let splitKeys = 0;
let lastPrefs = '';
const jobs = new ClusterJobs(run);

self.onmessage = (message: MessageEvent<ClusterRequest>) => jobs.add(message.data);

async function run(job: ClusterJob): Promise<void> {
  const started = performance.now();
  const phases: ClusterPhases = {};
  let source: ClusterReply['source'] = 'cut';
  if (job.recluster) {
    loaded = await loadAndCluster(db, phases);
    source = 'full';
  } else if (job.open || !loaded) {
    const snapshot = await openSnapshot(db);
    if (snapshot) {
      loaded = snapshot.loaded;
      source = 'snapshot';
      // Runs after this reply, merged with anything that arrived meanwhile; an up-to-date
      // snapshot still needs its pending candidates found again (nothing kept them).
      if (snapshot.stale || job.verify) jobs.add({ type: snapshot.stale ? 'recluster' : 'candidates', similarity: job.similarity, id: job.id, verify: job.verify });
    } else {
      loaded = await loadAndCluster(db, phases);
      source = 'full';
    }
  }
  const lap = phaseTimer(phases);
  // Decisions are few: a scan is cheaper than another index.
  const stored = await db.decisions.filter((d) => d.kind === 'split' || d.kind === 'keeper').toArray();
  const splits = stored.filter((d) => d.kind === 'split').map((d) => d.digests);
  // Members are described against the keeper the person chose (see groupsAt).
  const keepers = new Set(stored.flatMap((d) => (d.kind === 'keeper' && typeof d.value === 'string' ? [d.value] : [])));
  const { preferFormat, pairsAreDuplicates, protectedFolders, keeperRules } = await loadSettings(db);
  const prefs = { preferFormat, pairsAreDuplicates, protectedFolders, keeperRules };
  // Other preferences make other groups (keepers, suggestions): none built before is valid.
  const prefsChanged = JSON.stringify(prefs) !== lastPrefs;
  lastPrefs = JSON.stringify(prefs);
  if (prefsChanged) loaded.groupCache.clear();
  const groups = cut(loaded, job.similarity, splits, prefs, keepers);
  lap('groups at the cut');
  const reset = source !== 'cut' || prefsChanged;
  if (reset) sent = new Set();
  const keyOf = new Map<DuplicateGroup, string>();
  for (const [key, group] of loaded.groupCache) keyOf.set(group, key);
  const order: string[] = [];
  const added: ClusterReply['added'] = [];
  for (const group of groups) {
    // Groups re-clustered by a split are not cached: always new.
    const key = keyOf.get(group) ?? `split-${++splitKeys}`;
    order.push(key);
    if (!sent.has(key)) {
      sent.add(key);
      added.push([key, group]);
    }
  }
  const reply: ClusterReply = { id: job.id, source, order, added, reset, photos: loaded.photos, ms: 0, more: jobs.hasMore, phases };
  if (source !== 'cut') {
    reply.histogram = sliderHistogram(loaded);
    lap('slider histogram');
    const lacking = loaded.files.filter(isStaleFingerprint).slice(0, EVIDENCE_REFRESH_BATCH);
    if (lacking.length > 0) reply.lackingEvidence = lacking.map((f) => f.path);
  }
  reply.ms = performance.now() - started;
  post({ type: 'groups', ...reply });
  if (source === 'snapshot') post({ type: 'candidates', toVerify: [], unverified: 0, similarShots: await savedSimilarShots(db) });
  // After the groups are out: the candidate search takes seconds on a big library.
  if (source === 'full' && job.verify) jobs.add({ type: 'candidates', similarity: job.similarity, id: job.id, verify: true });
  if (job.candidates && source !== 'full') post({ type: 'candidates', ...(await findCandidates(db)) });
}

function post(message: ClusterWorkerMessage): void {
  self.postMessage(message);
}

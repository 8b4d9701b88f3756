// The main thread's side of the cluster worker: asks it to cluster (at once for a new cut, after
// a short delay for changes), takes its groups into the library state, and hands the candidate
// pairs it finds to the verifier.
import { markRaw } from 'vue';
import type { DuplicateGroup } from '../../../src-core/cluster/groups';
import type { PairVerifier } from '../data/pair-verifier';
import type { LibraryState } from '../library-state';
import type { ClusterRequest } from '../workers/cluster-jobs';
import type { ClusterWorkerMessage } from '../workers/cluster.worker';

/** Delay from a change to its re-cluster; it grows to twice the last full clustering's cost, so
 *  during a big scan clustering takes at most about a third of the worker's time. */
const RECLUSTER_DELAY_MS = 400;

export type ClusterWorkerPort = Pick<Worker, 'postMessage'> & { onmessage: ((message: MessageEvent<ClusterWorkerMessage>) => void) | null };

export class ClusteringClient {
  private requested = 0;
  private lastFullMs = 0;
  private reclusterTimer: ReturnType<typeof setTimeout> | undefined;
  /** Every group the worker sent for the current clustering, by key (see ClusterReply). */
  private readonly groupsByKey = new Map<string, DuplicateGroup>();
  /** Candidate pairs after the verifier's current slice (the next search hands them over). */
  private unverifiedAfterSlice = 0;

  constructor(
    private readonly worker: ClusterWorkerPort,
    private readonly verifier: Pick<PairVerifier, 'request' | 'remaining' | 'readyForCandidates'>,
    private readonly library: LibraryState,
    /** Hashes these files again (fingerprints from before keeper evidence). */
    private readonly refreshFingerprints: (paths: string[]) => void = () => undefined,
  ) {
    worker.onmessage = (message) => this.receive(message.data);
  }

  request(type: ClusterRequest['type']): void {
    // The candidate search reads the whole library: only when the verifier can take its pairs
    // (it asks again after its last batch).
    const request: ClusterRequest = { type, similarity: this.library.similarity, id: ++this.requested, verify: this.verifier.readyForCandidates };
    if (type !== 'cut') this.library.clustering = true;
    this.worker.postMessage(request);
  }

  /** A change re-clusters after a short delay; changes arriving meanwhile ride along (no
   *  restart of the delay, so a steady stream of results still shows groups as it goes). */
  scheduleRecluster(): void {
    if (this.reclusterTimer !== undefined) return;
    this.reclusterTimer = setTimeout(
      () => {
        this.reclusterTimer = undefined;
        this.request('recluster');
      },
      Math.max(RECLUSTER_DELAY_MS, 2 * this.lastFullMs),
    );
  }

  /** A verifier batch re-clusters when it confirmed a match (rejections matter only for similar
   *  shots: the last batch's re-cluster searches again, for the next slice or those). */
  afterVerifiedBatch(remaining: number, recorded: number, matched: number): void {
    this.library.pairsToVerify = remaining + this.unverifiedAfterSlice;
    if (matched > 0 || (remaining === 0 && recorded > 0)) this.scheduleRecluster();
  }

  private receive(message: ClusterWorkerMessage): void {
    const library = this.library;
    if (message.type === 'candidates') {
      const { toVerify, unverified, similarShots } = message;
      library.similarShots = markRaw(similarShots);
      this.verifier.request(toVerify);
      this.unverifiedAfterSlice = Math.max(0, unverified - toVerify.length);
      library.pairsToVerify = this.verifier.remaining + this.unverifiedAfterSlice;
      return;
    }
    if (message.reset) this.groupsByKey.clear();
    for (const [key, group] of message.added) this.groupsByKey.set(key, group);
    // Not deeply reactive: tens of thousands of groups are replaced whole, never edited in place.
    library.groups = markRaw(message.order.map((key) => this.groupsByKey.get(key)!));
    library.photos = message.photos;
    if (message.histogram) library.histogram = message.histogram;
    if (message.source === 'full') this.lastFullMs = message.ms;
    if (message.lackingEvidence) this.refreshFingerprints(message.lackingEvidence);
    library.clustering = message.more || message.id < this.requested;
  }
}

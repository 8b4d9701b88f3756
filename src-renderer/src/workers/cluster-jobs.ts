// The cluster worker's queue. One job runs at a time; requests that arrive meanwhile merge
// into one next job (a re-cluster or an open if any asked for one, at the latest similarity),
// so a burst of changes never queues a backlog of stale work.

/**
 * - `open`: show groups as fast as possible: the saved snapshot of the last clustering (followed
 *   by a full re-cluster when the library changed since), or a full clustering when none exists.
 * - `recluster`: cluster the whole library again (after changes).
 * - `cut`: the current clustering at another similarity (or with new splits).
 * - `candidates`: find the verification stage's candidate pairs.
 * `verify`: the candidate search may follow a full clustering (the worker asks for it itself,
 * so groups show first). The app says no while files wait to be hashed or pairs to be
 * verified: the search reads the whole library, and its pairs could not be checked before then.
 * `id` grows with every request; a reply answers every request up to its `id`.
 */
export type ClusterRequest = { type: 'open' | 'recluster' | 'cut' | 'candidates'; similarity: number; id: number; verify: boolean };

export interface ClusterJob {
  open: boolean;
  recluster: boolean;
  candidates: boolean;
  similarity: number;
  /** The newest request's `verify`. */
  verify: boolean;
  id: number;
}

export class ClusterJobs {
  private next: ClusterJob | undefined;
  private running = false;

  constructor(private readonly run: (job: ClusterJob) => Promise<void>) {}

  /** Whether work is waiting behind the running job. */
  get hasMore(): boolean {
    return this.next !== undefined;
  }

  add({ type, similarity, id, verify }: ClusterRequest): void {
    const next = this.next;
    const newer = next && next.id > id ? next : { similarity, verify };
    this.next = {
      open: (next?.open ?? false) || type === 'open',
      recluster: (next?.recluster ?? false) || type === 'recluster',
      candidates: (next?.candidates ?? false) || type === 'candidates',
      similarity: newer.similarity,
      verify: newer.verify,
      id: Math.max(next?.id ?? id, id),
    };
    if (!this.running) void this.drain();
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.next) {
        const job = this.next;
        this.next = undefined;
        await this.run(job).catch((error: unknown) => console.error('clustering failed', error));
      }
    } finally {
      this.running = false;
    }
  }
}

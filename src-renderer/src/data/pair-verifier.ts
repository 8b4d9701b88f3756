// Sends the candidate pairs a clustering found to main's verifier, a batch at a time, and
// records each decision by content pair, stamping the library so the next clustering uses it.
// A pair is asked once while in flight; one that could not be checked (a file gone) is not
// recorded, so a later clustering asks again. Batches go out only while `mayRun` says so (the
// app: once every file is hashed, so a first scan's results are not held up behind the
// verifier's database writes and the re-clusters they cause); `resume()` says to look again.
import type { DoppelApi } from '../../../src-core/api';
import { invertPairTransform } from '../../../src-core/verify/pair-transform';
import { orderedPair, pairKey } from '../../../src-core/verify/verified-pairs';
import type { PairToCheck } from '../workers/cluster-library';
import { stampLibraryChanged, type DoppelDb, type VerdictRow } from './db';

/** Pairs per call: a batch's decisions land together, and main is never asked for more than
 *  its pool can start on soon. */
const BATCH = 64;

export class PairVerifier {
  private readonly queued = new Map<string, PairToCheck>();
  private running = false;

  constructor(
    private readonly db: DoppelDb,
    private readonly api: Pick<DoppelApi, 'verifyPairs'>,
    /** After each batch: how many pairs remain, how many decisions it recorded, and how many
     *  of those confirmed a match (only those change groups). */
    private readonly onBatch: (remaining: number, recorded: number, matched: number) => void,
    private readonly mayRun: () => boolean = () => true,
  ) {}

  get remaining(): number {
    return this.queued.size;
  }

  /** Whether a candidate search may hand over pairs: none queued, and `mayRun` allows (the
   *  search reads the whole library; its pairs could not be checked before then). */
  get readyForCandidates(): boolean {
    return this.queued.size === 0 && this.mayRun();
  }

  request(pairs: readonly PairToCheck[]): void {
    for (const pair of pairs) {
      const key = pairKey(pair.a.digest, pair.b.digest);
      if (!this.queued.has(key)) this.queued.set(key, pair);
    }
    this.resume();
  }

  /** Sends the next batches if there are any and `mayRun` allows. */
  resume(): void {
    if (!this.running && this.queued.size > 0 && this.mayRun()) void this.drain();
  }

  private async drain(): Promise<void> {
    this.running = true;
    try {
      while (this.queued.size > 0 && this.mayRun()) {
        const batch = [...this.queued.values()].slice(0, BATCH);
        const checks = await this.api.verifyPairs(batch.map(({ a, b }) => ({ a, b }))).catch(() => batch.map(() => ({ error: 'main did not answer' })));
        const rows: VerdictRow[] = [];
        batch.forEach((pair, k) => {
          const check = checks[k];
          const key = pairKey(pair.a.digest, pair.b.digest);
          this.queued.delete(key);
          if (!check || 'error' in check) return;
          const [a, b] = orderedPair(pair.a.digest, pair.b.digest);
          // The check placed the asked b in the asked a's frame; the row keeps b in a's.
          const transform = check.transform && (a === pair.a.digest ? check.transform : invertPairTransform(check.transform));
          rows.push({ key, a, b, match: check.match, matched: check.match ? 1 : 0, score: check.score, edits: check.edits, signals: pair.signals, ...(transform ? { transform } : {}), at: Date.now() });
        });
        // A confirmed pair joins groups, a rejected one can be a similar shot: both re-cluster.
        if (rows.length > 0) {
          await this.db.transaction('rw', this.db.verdicts, this.db.meta, async () => {
            await this.db.verdicts.bulkPut(rows);
            await stampLibraryChanged(this.db);
          });
        }
        this.onBatch(this.queued.size, rows.length, rows.filter((row) => row.matched).length);
      }
    } finally {
      this.running = false;
    }
  }
}

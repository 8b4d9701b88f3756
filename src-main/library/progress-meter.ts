// Files per second over a sliding window, overall and per root, and the ETA they imply.
// Roots are hashed side by side at different speeds (a network drive reads one file at a time
// while local folders fill the pool), so one overall rate would promise the slow root's files
// at the fast root's pace: the ETA is that of the root expected to finish last.
import { ObservedRate } from '../../src-core/observed-rate';

const WINDOW_MS = 10_000;

/** Files finished, and how fast that count moves. */
class FinishedCount {
  private count = 0;
  private readonly rate = new ObservedRate(WINDOW_MS);

  add(t: number): void {
    // The first file counts within the window, as every later one does.
    if (this.count === 0) this.rate.add(t, 0);
    this.rate.add(t, ++this.count);
  }

  /** Per second up to `t` (a count that stopped moving decays to 0). */
  perSecond(t: number): number {
    this.rate.add(t, this.count);
    return this.rate.perSecond() ?? 0;
  }
}

export class ProgressMeter {
  private readonly overall = new FinishedCount();
  private readonly byRoot = new Map<string, FinishedCount>();

  constructor(private readonly now: () => number = Date.now) {}

  record(root: string): void {
    const t = this.now();
    this.overall.add(t);
    const count = this.byRoot.get(root) ?? new FinishedCount();
    this.byRoot.set(root, count);
    count.add(t);
  }

  filesPerSecond(): number {
    return this.overall.perSecond(this.now());
  }

  /** Seconds until every root's remaining files are done: the slowest root's remaining ÷ its
   *  own rate, and never less than all remaining files at the overall rate (a root without a
   *  rate yet is counted by the latter). Null while nothing has finished in the window. */
  etaSeconds(remainingByRoot: ReadonlyMap<string, number>): number | null {
    const t = this.now();
    let remaining = 0;
    let slowest = 0;
    for (const [root, left] of remainingByRoot) {
      if (left <= 0) continue;
      remaining += left;
      const rate = this.byRoot.get(root)?.perSecond(t) ?? 0;
      if (rate > 0) slowest = Math.max(slowest, left / rate);
    }
    if (remaining === 0) return 0;
    const rate = this.overall.perSecond(t);
    return rate > 0 ? Math.max(slowest, remaining / rate) : null;
  }
}

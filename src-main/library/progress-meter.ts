// Files per second over a sliding window, overall and per root, and the ETA they imply.
// Roots are hashed side by side at different speeds (a network drive reads one file at a time
// while local folders fill the pool), so one overall rate would promise the slow root's files
// at the fast root's pace: the ETA is that of the root expected to finish last.
const WINDOW_MS = 10_000;

/** Completion times within the window. */
class RateWindow {
  private readonly completions: number[] = [];

  record(t: number): void {
    this.completions.push(t);
  }

  perSecond(t: number): number {
    while (this.completions.length > 0 && this.completions[0]! < t - WINDOW_MS) this.completions.shift();
    if (this.completions.length < 2) return 0;
    const span = Math.max(t - this.completions[0]!, 1000);
    return (this.completions.length * 1000) / span;
  }
}

export class ProgressMeter {
  private readonly overall = new RateWindow();
  private readonly byRoot = new Map<string, RateWindow>();

  constructor(private readonly now: () => number = Date.now) {}

  record(root: string): void {
    const t = this.now();
    this.overall.record(t);
    const window = this.byRoot.get(root) ?? new RateWindow();
    this.byRoot.set(root, window);
    window.record(t);
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

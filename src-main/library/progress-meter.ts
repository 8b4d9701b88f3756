// Files per second over a sliding window, and the ETA it implies.
const WINDOW_MS = 10_000;

export class ProgressMeter {
  private readonly completions: number[] = [];

  constructor(private readonly now: () => number = Date.now) {}

  record(count = 1): void {
    const t = this.now();
    for (let k = 0; k < count; k++) this.completions.push(t);
    this.trim(t);
  }

  filesPerSecond(): number {
    const t = this.now();
    this.trim(t);
    if (this.completions.length < 2) return 0;
    const span = Math.max(t - this.completions[0]!, 1000);
    return (this.completions.length * 1000) / span;
  }

  etaSeconds(remaining: number): number | null {
    const rate = this.filesPerSecond();
    if (remaining === 0) return 0;
    return rate > 0 ? remaining / rate : null;
  }

  private trim(t: number): void {
    while (this.completions.length > 0 && this.completions[0]! < t - WINDOW_MS) this.completions.shift();
  }
}

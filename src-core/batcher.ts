// Collects items and delivers them in batches: when `size` are waiting, or `ms` after the
// first one arrived, whichever comes first (IPC and IndexedDB both prefer few large writes).
export class Batcher<T> {
  private pending: T[] = [];
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(
    private readonly deliver: (batch: T[]) => void,
    private readonly size: number,
    private readonly ms: number,
  ) {}

  push(item: T, flushNow = false): void {
    this.pending.push(item);
    if (flushNow || this.pending.length >= this.size) this.flush();
    else this.timer ??= setTimeout(() => this.flush(), this.ms);
  }

  /** Drops waiting items that `keep` rejects. */
  filter(keep: (item: T) => boolean): void {
    this.pending = this.pending.filter(keep);
  }

  flush(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
    if (this.pending.length === 0) return;
    const batch = this.pending;
    this.pending = [];
    this.deliver(batch);
  }

  /** Stops the timer without delivering. */
  cancel(): void {
    clearTimeout(this.timer);
    this.timer = undefined;
  }
}

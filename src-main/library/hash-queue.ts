// Paths waiting to be hashed, kept per watched root. Roots take turns, and a root has at most
// `limitOf(root)` files in flight: a network drive is read one file at a time (many parallel
// reads of a slow share only make every read slower, and starve the local roots), while local
// roots use every worker.

/** A FIFO that does not shift its array (a million queued paths stay O(1) per take). */
class Fifo {
  private items: string[] = [];
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(items: readonly string[]): void {
    for (const item of items) this.items.push(item);
  }

  shift(): string | undefined {
    if (this.head >= this.items.length) return undefined;
    const item = this.items[this.head++];
    if (this.head > 4096 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    }
    return item;
  }

  drain(): string[] {
    const rest = this.items.slice(this.head);
    this.items = [];
    this.head = 0;
    return rest;
  }
}

export class HashQueue {
  private readonly waiting = new Map<string, Fifo>();
  private readonly inFlight = new Map<string, number>();
  /** Roots in turn order; the next take starts after the last root served. */
  private turn = 0;

  constructor(private readonly limitOf: (root: string) => number) {}

  /** Paths waiting (not in flight). */
  get size(): number {
    let size = 0;
    for (const fifo of this.waiting.values()) size += fifo.size;
    return size;
  }

  push(root: string, paths: readonly string[]): void {
    const fifo = this.waiting.get(root) ?? new Fifo();
    this.waiting.set(root, fifo);
    fifo.push(paths);
  }

  /** The next path of the next root (in turn) that has room, counted in flight; undefined
   *  when every root with waiting paths is at its limit (or nothing waits). */
  take(): { root: string; path: string } | undefined {
    const roots = [...this.waiting.keys()];
    for (let k = 0; k < roots.length; k++) {
      const root = roots[(this.turn + k) % roots.length]!;
      const fifo = this.waiting.get(root)!;
      if (fifo.size === 0 || (this.inFlight.get(root) ?? 0) >= this.limitOf(root)) continue;
      const path = fifo.shift()!;
      if (fifo.size === 0) this.waiting.delete(root);
      this.inFlight.set(root, (this.inFlight.get(root) ?? 0) + 1);
      this.turn = (this.turn + k + 1) % Math.max(1, roots.length);
      return { root, path };
    }
    return undefined;
  }

  /** A file of `root` is no longer in flight. */
  done(root: string): void {
    const left = (this.inFlight.get(root) ?? 1) - 1;
    if (left > 0) this.inFlight.set(root, left);
    else this.inFlight.delete(root);
  }

  /** Files in flight per root. */
  inFlightByRoot(): Map<string, number> {
    return new Map(this.inFlight);
  }

  /** Files not yet finished per root: waiting or in flight. */
  remainingByRoot(): Map<string, number> {
    const remaining = new Map(this.inFlight);
    for (const [root, fifo] of this.waiting) remaining.set(root, (remaining.get(root) ?? 0) + fifo.size);
    return remaining;
  }

  /** Drops every waiting path and returns them. */
  clear(): string[] {
    const dropped = [...this.waiting.values()].flatMap((fifo) => fifo.drain());
    this.waiting.clear();
    return dropped;
  }
}

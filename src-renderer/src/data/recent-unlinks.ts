// Move detection. The watcher reports a rename or move as `unlink` then `add`, and a move keeps
// the file's size and mtime, so a new file matching a hashed file unlinked moments ago is that
// file: it takes over the fingerprint instead of being hashed again.
// Kept in memory: after a reload a moved file is simply hashed again.

interface Unlinked {
  digest: string;
  at: number;
}

export class RecentUnlinks {
  private readonly byStat = new Map<string, Unlinked[]>();

  constructor(private readonly windowMs: number) {}

  add(size: number, mtimeMs: number, digest: string, at: number): void {
    const key = statKey(size, mtimeMs);
    const list = this.byStat.get(key);
    if (list) list.push({ digest, at });
    else this.byStat.set(key, [{ digest, at }]);
  }

  /** Forgets unlinks older than the window. */
  prune(now: number): void {
    for (const [key, list] of this.byStat) {
      const kept = list.filter((u) => now - u.at <= this.windowMs);
      if (kept.length === 0) this.byStat.delete(key);
      else this.byStat.set(key, kept);
    }
  }

  /** The digest of the file a new file with this size and mtime was moved from, consuming that
   *  unlink. Undefined when none matches, or when the matches hold different content (two
   *  different files with equal size and mtime: guessing could merge unrelated photos). */
  take(size: number, mtimeMs: number): string | undefined {
    const key = statKey(size, mtimeMs);
    const list = this.byStat.get(key);
    if (!list || list.some((u) => u.digest !== list[0]!.digest)) return undefined;
    const { digest } = list.pop()!;
    if (list.length === 0) this.byStat.delete(key);
    return digest;
  }
}

function statKey(size: number, mtimeMs: number): string {
  return `${size}:${mtimeMs}`;
}

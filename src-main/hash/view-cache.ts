// View images on disk, content-addressed by digest like the thumbnails, made on demand and
// bounded in total size: the least recently viewed go first, so a huge library never fills
// the disk. One folder without fan-out: the bound keeps it to a few hundred files.
import { readdir, stat, unlink, utimes } from 'node:fs/promises';
import { join } from 'node:path';
import { isDigest } from './thumbnail';

export const DEFAULT_VIEW_CACHE_BYTES = 500 * 1024 * 1024;
/** A temp file this old was left by a worker killed mid-write. */
const STALE_TEMP_MS = 10 * 60_000;

/** Writes the view image of the file at `path` (content `digest`) to `output`, or throws why not. */
export type RenderView = (path: string, digest: string, output: string) => Promise<void>;

export function viewImagePath(dir: string, digest: string): string {
  if (!isDigest(digest)) throw new RangeError('not a SHA-256 digest');
  return join(dir, `${digest}.jpg`);
}

export class ViewCache {
  /** Renders (or cache look-ups) in flight, by digest: concurrent asks share one. */
  private readonly pending = new Map<string, Promise<string>>();

  constructor(
    private readonly dir: string,
    private readonly render: RenderView,
    private readonly maxBytes = DEFAULT_VIEW_CACHE_BYTES,
  ) {}

  /** The file holding the view image of `digest`, rendered from `path` first when not cached. */
  get(digest: string, path: string): Promise<string> {
    const target = viewImagePath(this.dir, digest);
    let job = this.pending.get(digest);
    if (!job) {
      job = this.fetch(target, digest, path).finally(() => this.pending.delete(digest));
      this.pending.set(digest, job);
    }
    return job;
  }

  private async fetch(target: string, digest: string, path: string): Promise<string> {
    // A hit is touched: eviction goes by modification time, so this makes it least-recently-used.
    const now = new Date();
    if (await utimes(target, now, now).then(() => true, () => false)) return target;
    await this.render(path, digest, target);
    await this.prune();
    return target;
  }

  /** Deletes the least recently used images beyond the size bound (never the newest) and
   *  temp files left behind by killed workers. */
  private async prune(): Promise<void> {
    const files = await this.list();
    const now = Date.now();
    const doomed = files.filter((f) => f.name.endsWith('.tmp') && now - f.mtimeMs > STALE_TEMP_MS);
    const images = files.filter((f) => f.name.endsWith('.jpg')).sort((a, b) => b.mtimeMs - a.mtimeMs);
    let total = 0;
    images.forEach((image, newestFirst) => {
      total += image.size;
      if (total > this.maxBytes && newestFirst > 0) doomed.push(image);
    });
    await Promise.all(doomed.map((f) => unlink(join(this.dir, f.name)).catch(() => undefined)));
  }

  private async list(): Promise<Array<{ name: string; size: number; mtimeMs: number }>> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const files = await Promise.all(names.map((name) => stat(join(this.dir, name)).then((s) => ({ name, size: s.size, mtimeMs: s.mtimeMs }), () => undefined)));
    return files.filter((f) => f !== undefined);
  }
}

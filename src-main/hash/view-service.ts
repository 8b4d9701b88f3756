// View images for the view route (files/image-routes.ts): checks the digest and the photo,
// renders through the cache in workers of its own, and says which JPEG to send.
import type { HashErrorKind } from '../../src-core/fingerprint';
import { HashError } from './errors';
import { WorkerPool, type WorkerFactory } from './pool';
import { isDigest } from './thumbnail';
import { ViewCache } from './view-cache';

export interface ViewServiceOptions {
  /** The cache folder (`views/` beside the thumbnails). */
  dir: string;
  createWorker: WorkerFactory;
  /** The same guard as for full images: only files inside watched folders. */
  isServable(path: string): Promise<boolean>;
  maxBytes?: number;
}

/** A JPEG file to send, or a refusal. */
export type ViewAnswer = { file: string } | { status: number; message: string };

/** Renders run in a pool of their own: a view must not wait behind a scan's queue, nor stall
 *  while hashing is paused. Two workers render the keeper and the candidate at once. */
const VIEW_WORKERS = 2;

const STATUS: Partial<Record<HashErrorKind, number>> = { vanished: 404, 'not-a-file': 404, permission: 403, unsupported: 415, changed: 409 };

export class ViewService {
  private readonly pool: WorkerPool;
  private readonly cache: ViewCache;

  constructor(private readonly options: ViewServiceOptions) {
    this.pool = new WorkerPool({ createWorker: options.createWorker, size: VIEW_WORKERS });
    this.cache = new ViewCache(options.dir, (path, digest, output) => this.render(path, digest, output), options.maxBytes);
  }

  async answer(digest: string, path: string): Promise<ViewAnswer> {
    if (!isDigest(digest)) return { status: 400, message: 'Bad view name' };
    if (!path || !(await this.options.isServable(path))) return { status: 403, message: 'Forbidden: not inside a watched folder' };
    try {
      return { file: await this.cache.get(digest, path) };
    } catch (error) {
      const kind = error instanceof HashError ? error.kind : undefined;
      return { status: (kind && STATUS[kind]) ?? 422, message: (error as Error).message };
    }
  }

  close(): Promise<void> {
    return this.pool.close();
  }

  private async render(path: string, digest: string, output: string): Promise<void> {
    const { error } = await this.pool.renderView(path, digest, output);
    if (error) throw new HashError(error.kind, error.message);
  }
}

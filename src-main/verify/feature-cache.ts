// Where a worker gets an image's verification features: its in-memory LRU (for the run),
// then the data folder's store (app only), and only then the image itself, decoded (from the
// cached thumbnail of that content when there is one) and detected once.
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { VerifyImage } from '../../src-core/hash-protocol';
import { readStableFile } from '../hash/fingerprint-file';
import { thumbnailPath } from '../hash/thumbnail';
import type { FeatureStore } from './feature-store';
import { loadGrey, type GreyImage } from './grey-image';
import { extractFeatures, featureBytes, type ImageFeatures } from './image-features';
import { loadOpenCv } from './opencv';

/** About 600 images at the 320 px grey size, per worker. */
export const DEFAULT_MEMORY_BYTES = 64 * 1024 * 1024;

/** Least recently used first out, bounded by the bytes its entries hold. */
export class FeatureLru {
  private readonly entries = new Map<string, ImageFeatures>();
  private held = 0;

  constructor(readonly maxBytes = DEFAULT_MEMORY_BYTES) {}

  get bytes(): number {
    return this.held;
  }

  get(digest: string): ImageFeatures | undefined {
    const entry = this.entries.get(digest);
    if (entry) {
      // Map order is insertion order: re-inserting makes it the most recent.
      this.entries.delete(digest);
      this.entries.set(digest, entry);
    }
    return entry;
  }

  set(digest: string, features: ImageFeatures): void {
    const known = this.entries.get(digest);
    if (known) {
      this.held -= featureBytes(known);
      this.entries.delete(digest);
    }
    this.entries.set(digest, features);
    this.held += featureBytes(features);
    for (const [oldest, entry] of this.entries) {
      if (this.held <= this.maxBytes) break;
      this.entries.delete(oldest);
      this.held -= featureBytes(entry);
    }
  }
}

export interface FeatureSourceOptions {
  thumbnailDir?: string;
  /** Kept across runs (the app's data folder); the CLI has none. */
  store?: FeatureStore;
  memoryBytes?: number;
}

export interface FeatureStats {
  /** Images decoded and detected. */
  detected: number;
  fromMemory: number;
  fromStore: number;
}

export class FeatureSource {
  private readonly memory: FeatureLru;
  /** One load per digest at a time: two pairs asking for the same image wait for one decode. */
  private readonly loading = new Map<string, Promise<ImageFeatures>>();
  readonly stats: FeatureStats = { detected: 0, fromMemory: 0, fromStore: 0 };

  constructor(private readonly options: FeatureSourceOptions = {}) {
    this.memory = new FeatureLru(options.memoryBytes);
  }

  async get(image: VerifyImage, within?: readonly string[]): Promise<ImageFeatures> {
    const cached = this.memory.get(image.digest);
    if (cached) {
      this.stats.fromMemory++;
      return cached;
    }
    let pending = this.loading.get(image.digest);
    if (!pending) {
      pending = this.load(image, within).finally(() => this.loading.delete(image.digest));
      this.loading.set(image.digest, pending);
    }
    return pending;
  }

  /** `features` gained its mirror's (a pair tried the mirror): the stored copy gets it too. */
  async mirrorAdded(digest: string, features: ImageFeatures): Promise<void> {
    await this.options.store?.write(digest, features).catch(() => undefined);
  }

  private async load(image: VerifyImage, within: readonly string[] | undefined): Promise<ImageFeatures> {
    const { store } = this.options;
    const stored = await store?.read(image.digest);
    if (stored) {
      this.stats.fromStore++;
      this.memory.set(image.digest, stored);
      return stored;
    }
    const { cv } = await loadOpenCv();
    const { grey, ofDigest } = await this.loadGrey(image, within);
    const features = extractFeatures(cv, grey);
    this.stats.detected++;
    // A file changed since it was hashed holds another content than its digest names: its
    // features serve this pair only.
    if (!ofDigest) return features;
    this.memory.set(image.digest, features);
    // A full disk or a read-only data folder costs the next run a detection, not this pair.
    await store?.write(image.digest, features).catch(() => undefined);
    return features;
  }

  /** The grey image, and whether it is surely of `image.digest`'s content: a cached thumbnail
   *  is (the hash worker wrote it under the digest of the bytes it read); a file is if its
   *  bytes still hash to the digest. */
  private async loadGrey(image: VerifyImage, within: readonly string[] | undefined): Promise<{ grey: GreyImage; ofDigest: boolean }> {
    const { thumbnailDir } = this.options;
    if (thumbnailDir) {
      const cached = await readFile(thumbnailPath(thumbnailDir, image.digest)).catch(() => undefined);
      if (cached) return { grey: await loadGrey(cached), ofDigest: true };
    }
    const file = await readStableFile(image.path, within).catch((error: Error) => {
      throw new Error(`${image.path}: ${error.message}`);
    });
    return { grey: await loadGrey(file.bytes), ofDigest: createHash('sha256').update(file.bytes).digest('hex') === image.digest };
  }
}

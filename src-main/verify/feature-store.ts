// The app's verification features kept across runs: one small binary file per content digest
// in the data folder, written atomically (temporary file, then rename), the least recently
// used evicted once the folder outgrows its bound. A file that does not read back whole and
// intact is deleted and treated as missing: the caller detects the features again.
import { randomBytes } from 'node:crypto';
import { mkdir, readdir, readFile, rename, stat, unlink, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';
import { isDigest } from '../hash/thumbnail';
import { DESCRIPTOR_BYTES, type Features } from './features';
import type { ImageFeatures } from './image-features';

/** Bump when the grey image or the detector changes: older files then read as missing. */
const FORMAT = 'DPF1';
const HEADER_BYTES = 16;
const CRC_BYTES = 4;
const NO_MIRROR = 0xffffffff;
const EXTENSION = '.features';
/** About 5,000 images at the 320 px grey size. */
export const DEFAULT_STORE_BYTES = 512 * 1024 * 1024;
/** Eviction goes this far below the bound, so it does not run on every write. */
const EVICT_TO = 0.9;
/** A temporary file older than this was left by a writer that died. */
const STALE_TEMPORARY_MS = 60_000;

export class FeatureStore {
  /** Bytes in the folder as this process last counted them plus what it wrote since; other
   *  workers write to the same folder, so eviction recounts before deleting. */
  private usedBytes?: number;

  constructor(
    readonly dir: string,
    readonly maxBytes = DEFAULT_STORE_BYTES,
  ) {}

  /** The stored features of `digest`, or undefined when absent, corrupt or of another format. */
  async read(digest: string): Promise<ImageFeatures | undefined> {
    if (!isDigest(digest)) return undefined;
    const path = this.path(digest);
    const bytes = await readFile(path).catch(() => undefined);
    if (!bytes) return undefined;
    const features = decode(bytes);
    if (!features) {
      await unlink(path).catch(() => undefined);
      return undefined;
    }
    // The modification time orders eviction: a file read is recently used.
    const now = new Date();
    await utimes(path, now, now).catch(() => undefined);
    return features;
  }

  async write(digest: string, features: ImageFeatures): Promise<void> {
    if (!isDigest(digest)) return;
    const bytes = encode(features);
    await mkdir(this.dir, { recursive: true });
    const temporary = join(this.dir, `${digest}.${randomBytes(6).toString('hex')}.tmp`);
    try {
      await writeFile(temporary, bytes);
      await rename(temporary, this.path(digest));
    } catch (error) {
      await unlink(temporary).catch(() => undefined);
      throw error;
    }
    this.usedBytes = (this.usedBytes ?? (await this.count()).total) + bytes.byteLength;
    if (this.usedBytes > this.maxBytes) await this.evict();
  }

  private path(digest: string): string {
    return join(this.dir, digest + EXTENSION);
  }

  private async count(): Promise<{ total: number; files: Array<{ path: string; bytes: number; mtimeMs: number }> }> {
    const names = await readdir(this.dir).catch(() => [] as string[]);
    const files: Array<{ path: string; bytes: number; mtimeMs: number }> = [];
    for (const name of names) {
      const path = join(this.dir, name);
      const info = await stat(path).catch(() => undefined);
      if (!info?.isFile()) continue;
      if (name.endsWith('.tmp')) {
        if (Date.now() - info.mtimeMs > STALE_TEMPORARY_MS) await unlink(path).catch(() => undefined);
      } else if (name.endsWith(EXTENSION)) files.push({ path, bytes: info.size, mtimeMs: info.mtimeMs });
    }
    return { total: files.reduce((sum, f) => sum + f.bytes, 0), files };
  }

  /** Deletes the least recently used files until the folder is under EVICT_TO of its bound. */
  private async evict(): Promise<void> {
    const { total, files } = await this.count();
    let used = total;
    for (const file of files.sort((x, y) => x.mtimeMs - y.mtimeMs)) {
      if (used <= this.maxBytes * EVICT_TO) break;
      await unlink(file.path).catch(() => undefined);
      used -= file.bytes;
    }
    this.usedBytes = used;
  }
}

/** Header: format (4 bytes), width and height (uint16), keypoints direct and mirrored
 *  (uint32, NO_MIRROR when the mirror's were not detected); then the grey pixels, each feature
 *  set's points (float32 x, y) and descriptors; then a CRC-32 of everything before it.
 *  Little-endian. */
export function encode(f: ImageFeatures): Buffer {
  const sets = f.mirrored ? [f.direct, f.mirrored] : [f.direct];
  const count = (x: Features) => x.points.length / 2;
  const body = HEADER_BYTES + f.grey.data.byteLength + sets.reduce((sum, x) => sum + x.points.byteLength + x.descriptors.byteLength, 0);
  const out = Buffer.alloc(body + CRC_BYTES);
  out.write(FORMAT, 0, 'latin1');
  out.writeUInt16LE(f.grey.width, 4);
  out.writeUInt16LE(f.grey.height, 6);
  out.writeUInt32LE(count(f.direct), 8);
  out.writeUInt32LE(f.mirrored ? count(f.mirrored) : NO_MIRROR, 12);
  let at = HEADER_BYTES;
  const put = (bytes: Uint8Array) => {
    out.set(bytes, at);
    at += bytes.byteLength;
  };
  put(f.grey.data);
  for (const set of sets) {
    put(new Uint8Array(set.points.buffer, set.points.byteOffset, set.points.byteLength));
    put(set.descriptors);
  }
  out.writeUInt32LE(crc32(out.subarray(0, body)), body);
  return out;
}

export function decode(bytes: Buffer): ImageFeatures | undefined {
  if (bytes.byteLength < HEADER_BYTES + CRC_BYTES || bytes.toString('latin1', 0, 4) !== FORMAT) return undefined;
  const [width, height] = [bytes.readUInt16LE(4), bytes.readUInt16LE(6)];
  const mirrorCount = bytes.readUInt32LE(12);
  const counts = mirrorCount === NO_MIRROR ? [bytes.readUInt32LE(8)] : [bytes.readUInt32LE(8), mirrorCount];
  const perKeypoint = 8 + DESCRIPTOR_BYTES;
  const body = HEADER_BYTES + width * height + counts.reduce((sum, n) => sum + n, 0) * perKeypoint;
  if (bytes.byteLength !== body + CRC_BYTES || crc32(bytes.subarray(0, body)) !== bytes.readUInt32LE(body)) return undefined;
  let at = HEADER_BYTES;
  // Copies, so each array owns aligned memory rather than a view into the file's buffer.
  const take = (length: number) => {
    const part = new Uint8Array(bytes.subarray(at, at + length));
    at += length;
    return part;
  };
  const grey = { width, height, data: take(width * height) };
  const [direct, mirrored] = counts.map((n) => ({ points: new Float32Array(take(n * 8).buffer), descriptors: take(n * DESCRIPTOR_BYTES) }));
  return { grey, direct: direct!, ...(mirrored ? { mirrored } : {}) };
}

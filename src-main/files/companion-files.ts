// Reads a folder's companions (src-core/companions/discover.ts) for the photos listed in it:
// each companion stat'ed (a link or a folder is none) and, for XMP and Takeout JSON, read and
// parsed, so the renderer stores what each adds beside its photo. Only files that a photo's
// name leads to are opened: a folder of sidecars without photos costs one readdir.
import { constants } from 'node:fs';
import { open, readdir } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { companionsInFolder, isCompanionName, type Companion, type SidecarFacts } from '../../src-core/companions/discover';
import { MAX_SIDECAR_BYTES, parseTakeout, parseXmp } from '../../src-core/companions/sidecar-facts';
import { hasImageExtension, isSkippedFolder } from '../../src-core/image-extensions';

/** Each photo of `photos` that has companions among `names` (a folder's file names), with them.
 *  `concurrency` reads at a time (a network share: a few). */
export async function readCompanions(folder: string, names: readonly string[], photos: ReadonlySet<string>, concurrency = 16): Promise<Map<string, Companion[]>> {
  const found = companionsInFolder(names, photos);
  const kinds = new Map([...found.values()].flat().map(({ name, kind }) => [name, kind] as const));
  const read = new Map<string, Omit<Companion, 'sharedWith'> | undefined>();
  const queue = [...kinds];
  const readNext = async (): Promise<void> => {
    for (let next = queue.pop(); next; next = queue.pop()) read.set(next[0], await readOne(join(folder, next[0]), next[1]));
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, queue.length) }, readNext));
  const byPhoto = new Map<string, Companion[]>();
  for (const [photo, list] of found) {
    const companions = list.flatMap(({ name, sharedWith }) => {
      const companion = read.get(name);
      return companion ? [{ ...companion, ...(sharedWith.length > 0 ? { sharedWith: sharedWith.map((other) => join(folder, other)) } : {}) }] : [];
    });
    if (companions.length > 0) byPhoto.set(photo, companions);
  }
  return byPhoto;
}

/** The companions of one photo, from a fresh listing of its folder. */
export async function companionsOf(path: string): Promise<Companion[] | undefined> {
  const folder = dirname(path);
  const names = await readdir(folder).catch(() => [] as string[]);
  if (!names.some(isCompanionName)) return undefined;
  return (await readCompanions(folder, names, photoNames(names))).get(basename(path));
}

/** The names of a folder listing that are photos (what the watcher lists). */
export const photoNames = (names: readonly string[]) => new Set(names.filter((name) => hasImageExtension(name) && !isSkippedFolder(name)));

// Not following a link, not blocking on a FIFO named like a sidecar.
const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/** One companion: its size and mtime and what it says, from one descriptor (the state listed
 *  is the state read). */
async function readOne(path: string, kind: Companion['kind']): Promise<Omit<Companion, 'sharedWith'> | undefined> {
  let handle;
  try {
    handle = await open(path, READ_FLAGS);
    const info = await handle.stat();
    if (!info.isFile()) return undefined;
    const base = { path, kind, size: info.size, mtimeMs: info.mtimeMs };
    if (kind === 'live' || info.size > MAX_SIDECAR_BYTES) return base;
    // One read of the size fstat gave (readFile would stat and read again).
    const bytes = Buffer.alloc(info.size);
    const { bytesRead } = await handle.read(bytes, 0, info.size, 0);
    const text = bytes.subarray(0, bytesRead).toString('utf8');
    const adds: SidecarFacts | undefined = kind === 'xmp' ? parseXmp(text) : parseTakeout(text);
    // A JSON beside a photo that is not Takeout's is not its companion.
    if (kind === 'takeout' && adds === undefined) return undefined;
    return adds && Object.keys(adds).length > 0 ? { ...base, adds } : base;
  } catch {
    return undefined; // gone, a link, or unreadable since the listing: not listed
  } finally {
    await handle?.close();
  }
}

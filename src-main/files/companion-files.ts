// Reads a folder's companions (src-core/companions/discover.ts) for the photos listed in it:
// each companion stat'ed (a link or a folder is none) and, for XMP and Takeout JSON, read and
// parsed, so the renderer stores what each adds beside its photo. Only files that a photo's
// name leads to are opened: a folder of sidecars without photos costs one readdir.
import { lstat, readdir, readFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { companionsInFolder, isCompanionName, type Companion, type SidecarFacts } from '../../src-core/companions/discover';
import { MAX_SIDECAR_BYTES, parseTakeout, parseXmp } from '../../src-core/companions/sidecar-facts';
import { hasImageExtension, isSkippedFolder } from '../../src-core/image-extensions';

/** Each photo of `photos` that has companions among `names` (a folder's file names), with them. */
export async function readCompanions(folder: string, names: readonly string[], photos: ReadonlySet<string>): Promise<Map<string, Companion[]>> {
  const found = companionsInFolder(names, photos);
  const read = new Map<string, Promise<Omit<Companion, 'sharedWith'> | undefined>>();
  const byPhoto = new Map<string, Companion[]>();
  for (const [photo, list] of found) {
    const companions: Companion[] = [];
    for (const { name, kind, sharedWith } of list) {
      if (!read.has(name)) read.set(name, readOne(join(folder, name), kind));
      const companion = await read.get(name)!;
      if (companion) companions.push({ ...companion, ...(sharedWith.length > 0 ? { sharedWith: sharedWith.map((other) => join(folder, other)) } : {}) });
    }
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

async function readOne(path: string, kind: Companion['kind']): Promise<Omit<Companion, 'sharedWith'> | undefined> {
  try {
    const info = await lstat(path);
    if (!info.isFile()) return undefined;
    const base = { path, kind, size: info.size, mtimeMs: info.mtimeMs };
    if (kind === 'live' || info.size > MAX_SIDECAR_BYTES) return base;
    const text = await readFile(path, 'utf8');
    const adds: SidecarFacts | undefined = kind === 'xmp' ? parseXmp(text) : parseTakeout(text);
    // A JSON beside a photo that is not Takeout's is not its companion.
    if (kind === 'takeout' && adds === undefined) return undefined;
    return adds && Object.keys(adds).length > 0 ? { ...base, adds } : base;
  } catch {
    return undefined; // gone or unreadable since the listing: not listed
  }
}

// Which physical file a name leads to: "dev:ino" (a symlink: its target's), so a symlink and
// its target, or two hard links, are recognised as one photo (src-core/physical-files.ts).
import type { BigIntStats, Stats } from 'node:fs';
import { lstat, stat } from 'node:fs/promises';

export interface NamedStats {
  /** The stats of the file the name leads to (a symlink's target). */
  info: Stats;
  /** The name itself is a symbolic link. */
  symlink: boolean;
}

/** stat() of a name, and whether it is a link: lstat first, so a regular file costs one call
 *  (its lstat is its stat) and only a link a second. Rejects as stat() does (ENOENT for a
 *  dangling link). */
export async function statNamed(path: string): Promise<NamedStats> {
  const own = await lstat(path);
  if (!own.isSymbolicLink()) return { info: own, symlink: false };
  return { info: await stat(path), symlink: true };
}

/**
 * The fileId of the file `info` describes (stats of `path`, links followed): "dev:ino", or
 * undefined if the file system gives no inode number (0). Number stats are exact below 2^53;
 * a larger device or inode number (Windows' 64-bit file indexes, some network file systems)
 * is asked for again as a bigint, because as a number it would lose its low digits and two
 * files could share a fileId.
 */
export async function fileIdOf(path: string, info: Pick<Stats, 'dev' | 'ino'>): Promise<string | undefined> {
  if (Number.isSafeInteger(info.dev) && Number.isSafeInteger(info.ino)) return info.ino > 0 ? physicalId(info) : undefined;
  const exact = await stat(path, { bigint: true });
  return exact.ino > 0n ? physicalId(exact) : undefined;
}

/** "device:inode". Where files are compared on the spot (deleting, moving), pass BigIntStats
 *  (`{ bigint: true }`): a number loses inode bits above 2^53. */
export function physicalId(stats: Pick<Stats, 'dev' | 'ino'> | Pick<BigIntStats, 'dev' | 'ino'>): string {
  return `${stats.dev}:${stats.ino}`;
}

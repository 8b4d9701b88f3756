// Opening a file Doppel was asked about, without the races a path check leaves open: the path
// is resolved and checked first, then opened without following its last component and without
// blocking (a FIFO named x.jpg must not hold a worker), and the descriptor itself is checked to
// be a regular file at the place that was checked. A symlink swapped in between the check and
// the open is refused instead of followed.
import { constants, type Stats } from 'node:fs';
import { open, readlink, realpath, stat, type FileHandle } from 'node:fs/promises';
import { isLexicallyInside } from '../library/path-guard';
import { physicalId } from './file-id';

export type OpenRefusal = 'gone' | 'outside' | 'not-a-file' | 'swapped';

export class OpenRefused extends Error {
  constructor(
    readonly refusal: OpenRefusal,
    message: string,
  ) {
    super(message);
    this.name = 'OpenRefused';
  }
}

export interface OpenedFile {
  handle: FileHandle;
  /** Where the file really is (every symlink resolved). */
  realPath: string;
  /** fstat of the descriptor. */
  stats: Stats;
}

// O_NOFOLLOW and O_NONBLOCK do not exist on Windows, where Node leaves them undefined.
const READ_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

/**
 * Opens `path` for reading if it is a regular file and, when `within` is given, its real
 * location is inside one of those folders (compared after resolving them too). Throws
 * OpenRefused with the reason otherwise; other errors (EACCES, EIO…) pass through.
 */
export async function openRegularFile(path: string, within?: readonly string[]): Promise<OpenedFile> {
  let real: string;
  try {
    real = await realpath(path);
  } catch (error) {
    if (isGone(error)) throw new OpenRefused('gone', 'the file is gone');
    throw error;
  }
  if (within && !(await insideAny(real, within))) throw new OpenRefused('outside', 'not inside a watched folder');
  let handle: FileHandle;
  try {
    handle = await open(real, READ_FLAGS);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    // ELOOP: the last component became a symlink after it was resolved.
    if (code === 'ELOOP') throw new OpenRefused('swapped', 'the file was replaced by a link while it was opened');
    if (isGone(error)) throw new OpenRefused('gone', 'the file is gone');
    throw error;
  }
  try {
    const stats = await handle.stat();
    if (!stats.isFile()) throw new OpenRefused('not-a-file', stats.isDirectory() ? 'this is a folder, not a file' : 'not a regular file');
    if (!(await descriptorIsAt(handle, real))) throw new OpenRefused('swapped', 'a folder on the way was replaced while the file was opened');
    return { handle, realPath: real, stats };
  } catch (error) {
    await handle.close();
    throw error;
  }
}

/** The descriptor really is the file at `real`: on Linux the kernel names the opened file;
 *  elsewhere the place is looked up again and must be the same device and inode. */
async function descriptorIsAt(handle: FileHandle, real: string): Promise<boolean> {
  if (process.platform === 'linux') {
    const opened = await readlink(`/proc/self/fd/${handle.fd}`).catch(() => undefined);
    // " (deleted)": the file opened at `real` was since deleted or replaced (a save by rename).
    // It still is the file that was at the checked place, not one reached through a swap.
    if (opened !== undefined) return opened === real || opened === `${real} (deleted)`;
  }
  // BigInt: an inode number (an NTFS file id) can exceed 2^53, where two numbers would collide.
  const [now, opened] = await Promise.all([stat(real, { bigint: true }).catch(() => undefined), handle.stat({ bigint: true })]);
  return now !== undefined && physicalId(now) === physicalId(opened) && (await realpath(real).catch(() => undefined)) === real;
}

async function insideAny(real: string, folders: readonly string[]): Promise<boolean> {
  const realFolders = await Promise.all(folders.map((folder) => realpath(folder).catch(() => undefined)));
  return realFolders.some((folder) => folder !== undefined && isLexicallyInside(real, folder));
}

function isGone(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

// Moving a file Doppel checked (open as a descriptor) to a new name without ever replacing
// anything there. rename() would silently replace a file that appeared at the destination, so
// the new name is made with link() (fails if the name is taken), checked to be the checked
// file, and only then is the old name removed, once checked to still be that file. Where a
// hard link cannot be made (another drive, FAT, some network shares) the bytes are copied from
// the descriptor into a file created exclusively, fsync'd and checked by digest instead.
import { createHash } from 'node:crypto';
import { link, lstat, open, unlink, type FileHandle } from 'node:fs/promises';
import { physicalId } from './file-id';

/** An action refused because of what is on disk (reported as skipped, with this reason). */
export class ActionRefused extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ActionRefused';
  }
}

/** Where link() cannot work and a copy is made instead. */
const NO_LINK = new Set(['EXDEV', 'EPERM', 'ENOTSUP', 'EOPNOTSUPP', 'ENOSYS', 'EMLINK']);

/** The physical id of what `path` itself names (a link is not followed), or undefined. */
export async function placeId(path: string): Promise<string | undefined> {
  const info = await lstat(path, { bigint: true }).catch(() => undefined);
  return info && !info.isSymbolicLink() ? physicalId(info) : undefined;
}

/** SHA-256 of an open file, read through its descriptor from the start. */
export async function digestOf(handle: FileHandle): Promise<string> {
  const hash = createHash('sha256');
  const buffer = Buffer.allocUnsafe(1 << 20);
  for (let position = 0; ; ) {
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
    if (bytesRead === 0) break;
    hash.update(buffer.subarray(0, bytesRead));
    position += bytesRead;
  }
  return hash.digest('hex');
}

/**
 * Moves the file open as `handle`, physical `id`, content `digest`, from the name `from` to the
 * new name `to` (its folder must exist). Throws ActionRefused when `to` is taken or `from` no
 * longer names that file; then nothing changed.
 */
export async function moveNoReplace(handle: FileHandle, id: string, digest: string, from: string, to: string): Promise<void> {
  try {
    await link(from, to);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? '';
    if (code === 'EEXIST') throw new ActionRefused(`${to} already exists`);
    if (!NO_LINK.has(code)) throw error;
    return copyThenRemove(handle, id, digest, from, to);
  }
  if ((await placeId(to)) !== id) {
    // `from` was replaced between the check and the link: take back only the name made here.
    await unlink(to);
    throw new ActionRefused('it was replaced while it was being moved: review it again');
  }
  await removeOldName(id, from, to);
}

async function copyThenRemove(handle: FileHandle, id: string, digest: string, from: string, to: string): Promise<void> {
  let out: FileHandle;
  try {
    out = await open(to, 'wx'); // O_CREAT | O_EXCL: not over anything, not through a link
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'EEXIST') throw new ActionRefused(`${to} already exists`);
    throw error;
  }
  let copied: string;
  try {
    const hash = createHash('sha256');
    const buffer = Buffer.allocUnsafe(1 << 20);
    for (let position = 0; ; ) {
      const { bytesRead } = await handle.read(buffer, 0, buffer.length, position);
      if (bytesRead === 0) break;
      const chunk = buffer.subarray(0, bytesRead);
      hash.update(chunk);
      await out.write(chunk, 0, bytesRead);
      position += bytesRead;
    }
    copied = hash.digest('hex');
    const source = await handle.stat();
    await out.utimes(source.atimeMs / 1000, source.mtimeMs / 1000); // seconds: finer than a Date
    await out.sync();
  } catch (error) {
    await out.close();
    await unlink(to).catch(() => undefined);
    throw error;
  }
  await out.close();
  if (copied !== digest) {
    await unlink(to);
    throw new ActionRefused('its contents changed while it was being copied: review it again');
  }
  await removeOldName(id, from, to);
}

/** Removes `from` once the new name exists, if `from` still names the file; else takes the
 *  new name back. */
async function removeOldName(id: string, from: string, to: string): Promise<void> {
  if ((await placeId(from)) !== id) {
    await unlink(to);
    throw new ActionRefused('it was replaced while it was being moved: review it again');
  }
  await unlink(from);
}

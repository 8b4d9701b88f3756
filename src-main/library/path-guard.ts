// Checks that a path the renderer sends (hash requests, image URLs) stays inside a watched
// root. The renderer is untrusted: "..", symlinks pointing out of the root and paths that
// only look inside must all be rejected, so the check compares real paths.
import { realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** True when `path` is `root` or below it, comparing the text of the paths only. */
export function isLexicallyInside(path: string, root: string): boolean {
  const rel = relative(resolve(root), resolve(path));
  // On Windows a path on another drive comes back absolute.
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** True when the real location of `path` (symlinks resolved) is inside one of the real roots. */
export async function isInsideRoot(path: string, roots: readonly string[]): Promise<boolean> {
  const [real, realRoots] = await Promise.all([realLocation(path), Promise.all(roots.map(realDirectory))]);
  if (real === undefined) return false;
  return realRoots.some((root) => root !== undefined && isLexicallyInside(real, root));
}

/** The real path; for a missing file (about to be created, or just deleted) its real folder + name. */
async function realLocation(path: string): Promise<string | undefined> {
  const absolute = resolve(path);
  try {
    return await realpath(absolute);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') return undefined;
  }
  const folder = await realDirectory(dirname(absolute));
  return folder === undefined ? undefined : join(folder, basename(absolute));
}

async function realDirectory(path: string): Promise<string | undefined> {
  try {
    return await realpath(path);
  } catch {
    return undefined; // a root that vanished contains nothing
  }
}

// Checks that a path the renderer sends (hash requests, image URLs) stays inside a watched
// root. The renderer is untrusted: "..", symlinks pointing out of the root and paths that
// only look inside must all be rejected, so the check compares real paths.
import { lstat, realpath } from 'node:fs/promises';
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from 'node:path';

/** True when `path` is `root` or below it, comparing the text of the paths only. */
export function isLexicallyInside(path: string, root: string): boolean {
  const rel = relative(resolve(root), resolve(path));
  // On Windows a path on another drive comes back absolute.
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

/** True when the real location of `path` (symlinks resolved) is inside one of the real roots. */
export async function isInsideRoot(path: string, roots: readonly string[]): Promise<boolean> {
  return (await outsideRoots([path], roots)).length === 0;
}

/**
 * Those of `paths` whose real location (symlinks resolved; for a missing file, its real
 * folder + name) is not inside one of the real roots. Roots and
 * folders are resolved once per call: a thousand photos in a few folders cost a few realpath
 * calls and one lstat each, which matters on a network drive where each is a round trip.
 */
export async function outsideRoots(paths: readonly string[], roots: readonly string[]): Promise<string[]> {
  const realRoots = (await Promise.all(roots.map(realDirectory))).filter((root): root is string => root !== undefined);
  const folders = new Map<string, Promise<string | undefined>>();
  const realFolder = (folder: string) => {
    let real = folders.get(folder);
    if (!real) folders.set(folder, (real = realDirectory(folder)));
    return real;
  };
  const realLocation = async (path: string): Promise<string | undefined> => {
    const absolute = resolve(path);
    const folder = await realFolder(dirname(absolute));
    if (folder === undefined) return undefined;
    const location = join(folder, basename(absolute));
    try {
      return (await lstat(location)).isSymbolicLink() ? await realpath(location) : location;
    } catch (error) {
      return (error as NodeJS.ErrnoException).code === 'ENOENT' ? location : undefined;
    }
  };
  const inside = await Promise.all(
    paths.map(async (path) => {
      const real = await realLocation(path);
      return real !== undefined && realRoots.some((root) => isLexicallyInside(real, root));
    }),
  );
  return paths.filter((_, k) => !inside[k]);
}

async function realDirectory(path: string): Promise<string | undefined> {
  try {
    return await realpath(path);
  } catch {
    return undefined; // a root that vanished contains nothing
  }
}

// A photo is a physical file, not a name: a symlink and its target, or two hard links, are one
// file under several names, never duplicates of each other (deleting one "copy" would delete
// or break the other). Before clustering, the names of one file become one entry, named by its
// primary name, with the rest as `otherNames`. The library worker and `doppel scan` both use
// this, so a group's members and its reclaimable bytes count each physical file once.

/** A name of a file, with the physical file it leads to. */
export interface NamedFile {
  path: string;
  /** The physical file the name leads to (a symlink: its target), as "dev:ino" of the device
   *  and inode (file index on Windows). Absent when unknown: the name is then a file of its own. */
  fileId?: string;
  /** The name itself is a symbolic link. */
  symlink?: boolean;
}

/** The primary name first: a name that is not a symlink, then the shortest, then by code
 *  units (the same answer whatever order the names come in). */
export function comparePrimary(a: NamedFile, b: NamedFile): number {
  return Number(a.symlink === true) - Number(b.symlink === true) || a.path.length - b.path.length || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0);
}

/**
 * One entry per physical file, in the order each file first appears: the entry of its primary
 * name, with its other names (in primary order, each once) as `otherNames` when it has any.
 * Names without a fileId are kept as they are.
 */
export function onePerPhysicalFile<T extends NamedFile>(names: readonly T[]): Array<T & { otherNames?: string[] }> {
  const byFile = new Map<string, T[]>();
  const out: Array<T | T[]> = [];
  for (const name of names) {
    if (name.fileId === undefined) {
      out.push(name);
      continue;
    }
    const known = byFile.get(name.fileId);
    if (known) known.push(name);
    else {
      const list = [name];
      byFile.set(name.fileId, list);
      out.push(list);
    }
  }
  return out.map((entry) => {
    if (!Array.isArray(entry)) return entry;
    const [primary, ...rest] = [...entry].sort(comparePrimary);
    const otherNames = [...new Set(rest.map((name) => name.path))].filter((path) => path !== primary!.path);
    return otherNames.length > 0 ? { ...primary!, otherNames } : primary!;
  });
}

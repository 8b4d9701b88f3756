// Marks and keeper choices are taken on a file (content digest + path) but must follow the
// content: after a rename or a move the same bytes sit at a new path, and the decision should
// still apply there. Identical copies share a digest, so the path tells them apart while it
// still exists.

export interface ContentRef {
  digest: string;
  path: string;
}

/**
 * The current path each decision applies to: its own path while that still holds its content,
 * otherwise a file with the same content that no other decision names (the file was renamed or
 * moved; with several candidates, the first by path). Decisions whose content is gone resolve
 * to nothing. Returns decision index → path.
 */
export function resolveByContent(decisions: readonly ContentRef[], files: Iterable<ContentRef>): Map<number, string> {
  const pathsOf = new Map<string, string[]>();
  const present = new Set<string>();
  for (const file of files) {
    present.add(`${file.digest}\n${file.path}`);
    const list = pathsOf.get(file.digest);
    if (list) list.push(file.path);
    else pathsOf.set(file.digest, [file.path]);
  }
  const resolved = new Map<number, string>();
  const taken = new Set<string>();
  decisions.forEach((d, k) => {
    if (!present.has(`${d.digest}\n${d.path}`)) return;
    resolved.set(k, d.path);
    taken.add(d.path);
  });
  decisions.forEach((d, k) => {
    if (resolved.has(k)) return;
    const moved = (pathsOf.get(d.digest) ?? []).filter((p) => !taken.has(p)).sort()[0];
    if (moved === undefined) return;
    resolved.set(k, moved);
    taken.add(moved);
  });
  return resolved;
}

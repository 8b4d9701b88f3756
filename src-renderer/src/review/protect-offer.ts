// When the person keeps copies from one folder over the suggestion again and again, that folder
// probably holds their originals: offer to protect it (never done without a yes).
import { isInFolder } from '../../../src-core/keeper';

/** Keeper choices in one folder before the offer. */
export const PROTECT_OFFER_AFTER = 3;

export interface ProtectOffer {
  folder: string;
  /** How many copies from it the person chose to keep. */
  times: number;
}

/** The folder holding `path` (either separator; a file at a drive's top keeps the separator). */
export function folderOf(path: string): string {
  const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\'));
  if (cut < 0) return '';
  const folder = path.slice(0, cut);
  return folder === '' || /^[A-Za-z]:$/.test(folder) ? path.slice(0, cut + 1) : folder;
}

/**
 * The folder to offer, if any: the one with the most chosen keepers, at least
 * PROTECT_OFFER_AFTER, not protected already (itself or a folder above it) and not dismissed.
 * `keptPaths`: the files chosen with "keep this one instead".
 */
export function protectOffer(keptPaths: Iterable<string>, protectedFolders: readonly string[] = [], dismissed: readonly string[] = []): ProtectOffer | undefined {
  const times = new Map<string, number>();
  for (const path of keptPaths) {
    if (isInFolder(path, protectedFolders)) continue;
    const folder = folderOf(path);
    if (folder && !dismissed.includes(folder)) times.set(folder, (times.get(folder) ?? 0) + 1);
  }
  let best: ProtectOffer | undefined;
  for (const [folder, n] of [...times].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (n >= PROTECT_OFFER_AFTER && (!best || n > best.times)) best = { folder, times: n };
  }
  return best;
}

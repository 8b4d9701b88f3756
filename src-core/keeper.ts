// Which copy to keep in a group, and why, in words a person can check.
import { formatFamily, type FormatFamily } from './companions';
import type { KeeperRuleSetting } from './keeper/rules';

export { DEFAULT_KEEPER_RULES, KEEPER_RULE_IDS, KEEPER_RULES, normaliseKeeperRules, type KeeperRuleId, type KeeperRuleInfo, type KeeperRuleSetting } from './keeper/rules';

export interface KeeperCandidate {
  path: string;
  width: number;
  height: number;
  size: number;
  dateTaken?: string;
  format?: string;
  /** Other names of the same physical file (symlinks to it, hard links). */
  otherNames?: readonly string[];
}

export const PREFERRED_FORMATS = ['raw', 'heif', 'jpeg'] as const;
export type PreferredFormat = (typeof PREFERRED_FORMATS)[number] & FormatFamily;

export interface FolderPreferences {
  /** Reference folders: their files are never suggested for deletion. */
  protectedFolders?: readonly string[];
  /** Folders whose copies should go first (e.g. "Downloads", "WhatsApp Images"). */
  lessPreferredFolders?: readonly string[];
  /** Keep this format when a group holds several (right after protected folders). */
  preferFormat?: PreferredFormat;
  /** RAW+JPEG and HEIC+JPEG pairs are suggested for deletion like any copy (default: never
   *  against each other). */
  pairsAreDuplicates?: boolean;
  /** The keeper rules in the person's order, each on or off (normaliseKeeperRules fills in
   *  what an older saved order lacks). Protected folders and the preferred format come first. */
  keeperRules?: readonly KeeperRuleSetting[];
}

export interface KeeperChoice {
  index: number;
  reason: string;
}

/** A full path on any OS: /… , C:\… or C:/… , \\server\share. Folders the person types must be
 *  (main refuses relative ones: they would name a different folder in every process). */
export function isAbsolutePath(path: string): boolean {
  return path.startsWith('/') || /^[A-Za-z]:[\\/]/.test(path) || path.startsWith('\\\\');
}

export function isInFolder(path: string, folders: readonly string[] | undefined): boolean {
  return (folders ?? []).some((folder) => {
    const prefix = folder.endsWith('/') || folder.endsWith('\\') ? folder : `${folder}/`;
    return path.startsWith(prefix) || path.startsWith(prefix.replace(/\//g, '\\'));
  });
}

interface Criterion {
  /** Negative when a is the better keeper. */
  compare(a: KeeperCandidate, b: KeeperCandidate): number;
  explain(keeper: KeeperCandidate, other: KeeperCandidate): string;
}

const pixels = (c: KeeperCandidate) => c.width * c.height;

function criteria(prefs: FolderPreferences): Criterion[] {
  const prot = (c: KeeperCandidate) => isInFolder(c.path, prefs.protectedFolders);
  const less = (c: KeeperCandidate) => isInFolder(c.path, prefs.lessPreferredFolders);
  const linked = (c: KeeperCandidate) => (c.otherNames?.length ?? 0) > 0;
  const preferred = (c: KeeperCandidate) => prefs.preferFormat !== undefined && formatFamily(c.format) === prefs.preferFormat;
  return [
    { compare: (a, b) => Number(prot(b)) - Number(prot(a)), explain: () => 'in a protected folder' },
    { compare: (a, b) => Number(preferred(b)) - Number(preferred(a)), explain: (k) => `the format you prefer (${k.format})` },
    {
      compare: (a, b) => pixels(b) - pixels(a),
      explain: (k, o) => `largest resolution: ${k.width}×${k.height} vs ${o.width}×${o.height}`,
    },
    { compare: (a, b) => b.size - a.size, explain: (k, o) => `largest file: ${formatSizes(k.size, o.size)}` },
    {
      compare: (a, b) => (a.dateTaken ?? '\uffff').localeCompare(b.dateTaken ?? '\uffff'),
      explain: (k, o) => `earliest date taken: ${k.dateTaken} vs ${o.dateTaken ?? 'none'}`,
    },
    { compare: (a, b) => Number(less(a)) - Number(less(b)), explain: () => 'not in a less-preferred folder' },
    // Deleting a file other names lead to breaks its symlinks, and frees nothing while a hard
    // link to it remains.
    { compare: (a, b) => Number(linked(b)) - Number(linked(a)), explain: (k) => `other names lead to this file (${k.otherNames!.length}): deleting it would break them or free nothing` },
    { compare: (a, b) => a.path.length - b.path.length, explain: (k, o) => `shortest path: ${k.path.length} vs ${o.path.length} characters` },
  ];
}

/** The best keeper by: protected folder, pixel count, file size, earliest date taken, not
 *  less-preferred, other names leading to it, shortest path (then path order, for determinism). The reason names the
 *  first rule that separates the keeper from the runner-up. */
export function chooseKeeper(candidates: readonly KeeperCandidate[], prefs: FolderPreferences = {}): KeeperChoice {
  if (candidates.length === 0) throw new RangeError('chooseKeeper needs at least one candidate');
  const rules = criteria(prefs);
  const compare = (a: KeeperCandidate, b: KeeperCandidate) => {
    for (const rule of rules) {
      const c = rule.compare(a, b);
      if (c !== 0) return c;
    }
    return a.path < b.path ? -1 : a.path > b.path ? 1 : 0;
  };
  const ranked = candidates.map((c, index) => ({ c, index })).sort((x, y) => compare(x.c, y.c));
  const keeper = ranked[0]!;
  const runnerUp = ranked[1];
  if (!runnerUp) return { index: keeper.index, reason: 'only copy' };
  const deciding = rules.find((rule) => rule.compare(keeper.c, runnerUp.c) !== 0);
  return { index: keeper.index, reason: deciding ? deciding.explain(keeper.c, runnerUp.c) : 'no rule separates the copies: first by path order' };
}

/** Two sizes in the same unit, precise enough to show they differ. */
function formatSizes(a: number, b: number): string {
  const [unit, scale] = a >= 1e6 ? ['MB', 1e6] : a >= 1e3 ? ['KB', 1e3] : ['bytes', 1];
  for (const digits of [1, 2, 3]) {
    const [x, y] = [(a / scale).toFixed(digits), (b / scale).toFixed(digits)];
    if (x !== y) return `${x} ${unit} vs ${y} ${unit}`;
  }
  return `${a.toLocaleString('en-US')} bytes vs ${b.toLocaleString('en-US')} bytes`;
}

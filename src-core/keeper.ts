// Which copy to keep in a group, and why, in words a person can check.
import { formatFamily, type FormatFamily } from './companions';
import { EVIDENCE_RULES, type KeeperCandidate, type RuleContext } from './keeper/evidence';
import { sharedContent, type SharedContent } from './keeper/overlap';
import type { PairTransform } from './verify/pair-transform';
import { KEEPER_RULES, normaliseKeeperRules, type KeeperRuleId, type KeeperRuleSetting } from './keeper/rules';

export { editTrace, type KeeperCandidate } from './keeper/evidence';
export { DEFAULT_KEEPER_RULES, KEEPER_RULE_IDS, KEEPER_RULES, normaliseKeeperRules, type KeeperRuleId, type KeeperRuleInfo, type KeeperRuleSetting } from './keeper/rules';

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

interface Contender {
  c: KeeperCandidate;
  index: number;
}

/** The step that set a candidate aside: a keeper rule, or the fixed ones around them. */
type Step = { kind: 'protected' } | { kind: 'format' } | { kind: 'rule'; id: KeeperRuleId } | { kind: 'path' };

/**
 * The copy to keep: the one in a protected folder, else the one in the format the person
 * prefers, else the one the enabled keeper rules (in the person's order) single out, each
 * narrowing the field to the copies it prefers; then the shortest path, then path order.
 * The reason says why the keeper beat the last copy set aside, and "no clear original" when no
 * evidence rule told those two apart. `alignment(x, y)`: where candidate y lies in candidate
 * x's frame, when the verifier aligned the two (who contains whom, who shows it larger).
 */
export function chooseKeeper(candidates: readonly KeeperCandidate[], prefs: FolderPreferences = {}, alignment?: (x: number, y: number) => PairTransform | undefined): KeeperChoice {
  if (candidates.length === 0) throw new RangeError('chooseKeeper needs at least one candidate');
  const indexOf = new Map(candidates.map((c, k) => [c, k]));
  const context: RuleContext = {
    lessPreferredFolders: (path: string) => isInFolder(path, prefs.lessPreferredFolders),
    ...(alignment ? { shared: (x: KeeperCandidate, y: KeeperCandidate) => sharedBetween(x, y, alignment(indexOf.get(x)!, indexOf.get(y)!)) } : {}),
  };
  let field: Contender[] = candidates.map((c, index) => ({ c, index }));
  const setAside: Array<{ who: Contender; step: Step }> = [];
  const narrow = (step: Step, keep: (f: Contender[]) => Contender[]) => {
    if (field.length < 2) return;
    const kept = keep(field);
    for (const who of field) if (!kept.includes(who)) setAside.push({ who, step });
    field = kept;
  };
  const onlyThose = (flag: (c: KeeperCandidate) => boolean) => (f: Contender[]) => (f.some((x) => flag(x.c)) ? f.filter((x) => flag(x.c)) : f);
  narrow({ kind: 'protected' }, onlyThose((c) => isInFolder(c.path, prefs.protectedFolders)));
  narrow({ kind: 'format' }, onlyThose((c) => prefs.preferFormat !== undefined && formatFamily(c.format) === prefs.preferFormat));
  const rules = normaliseKeeperRules(prefs.keeperRules).filter((r) => r.enabled);
  for (const { id } of rules) {
    narrow({ kind: 'rule', id }, (f) => {
      const kept = new Set(EVIDENCE_RULES[id].narrow(f.map((x) => x.c), context));
      return f.filter((x) => kept.has(x.c));
    });
  }
  narrow({ kind: 'path' }, (f) => [[...f].sort((x, y) => x.c.path.length - y.c.path.length || (x.c.path < y.c.path ? -1 : x.c.path > y.c.path ? 1 : 0))[0]!]);
  const keeper = field[0]!;
  if (setAside.length === 0) return { index: keeper.index, reason: 'only copy' };
  // Explained against the last copy set aside that is not the keeper's very bytes.
  const differs = setAside.filter((x) => x.who.c.digest === undefined || x.who.c.digest !== keeper.c.digest);
  const last = differs.at(-1) ?? setAside.at(-1)!;
  if (differs.length === 0) return { index: keeper.index, reason: `identical copies; ${explainStep(last.step, keeper.c, last.who.c, context)}` };
  const evidenceSeparated = rules.some(({ id }) => KEEPER_RULES[id].evidence && !sameNarrowing(id, keeper.c, last.who.c, context));
  const why = explainStep(last.step, keeper.c, last.who.c, context);
  return { index: keeper.index, reason: evidenceSeparated || last.step.kind === 'protected' || last.step.kind === 'format' ? why : `no clear original; ${why}` };
}

function sharedBetween(x: KeeperCandidate, y: KeeperCandidate, yInX: PairTransform | undefined): SharedContent | undefined {
  return yInX && sharedContent({ width: x.width, height: x.height, content: x.evidence?.content }, { width: y.width, height: y.height, content: y.evidence?.content }, yInX);
}

/** Whether rule `id` keeps both copies when they are the only two. */
function sameNarrowing(id: KeeperRuleId, a: KeeperCandidate, b: KeeperCandidate, context: RuleContext): boolean {
  return EVIDENCE_RULES[id].narrow([a, b], context).length === 2;
}

function explainStep(step: Step, keeper: KeeperCandidate, other: KeeperCandidate, context: RuleContext): string {
  switch (step.kind) {
    case 'protected':
      return 'in a protected folder';
    case 'format':
      return `the format you prefer (${keeper.format})`;
    case 'rule':
      return EVIDENCE_RULES[step.id].explain(keeper, other, context);
    case 'path':
      return keeper.path.length < other.path.length ? `shortest path: ${keeper.path.length} vs ${other.path.length} characters` : 'nothing separates the copies: first by path order';
  }
}

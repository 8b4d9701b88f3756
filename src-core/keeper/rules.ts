// The keeper rules a person sees, orders and switches ("keep which copy"): their names, what
// each weighs, and the saved order. The evidence behind each is in ./evidence.ts.

export const KEEPER_RULE_IDS = ['content', 'camera', 'sidecars', 'encoding', 'edits', 'central', 'date-taken', 'modified', 'folders', 'linked', 'size'] as const;
export type KeeperRuleId = (typeof KEEPER_RULE_IDS)[number];

export interface KeeperRuleSetting {
  id: KeeperRuleId;
  enabled: boolean;
}

export interface KeeperRuleInfo {
  label: string;
  description: string;
  /** Evidence of which copy is the original. When none of these separates the copies, the
   *  choice says "no clear original" and the remaining rules (preferences) decide. */
  evidence: boolean;
}

export const KEEPER_RULES: Readonly<Record<KeeperRuleId, KeeperRuleInfo>> = {
  content: { label: 'Most of the photo', description: 'the most content at the highest resolution; borders and letterbox bars do not count, a crop or a smaller copy loses, a photo inside a bigger image (a screenshot) is not counted smaller', evidence: true },
  camera: { label: 'Camera metadata', description: 'camera make and model, date taken, GPS, an EXIF block at all: copies made by apps often drop them', evidence: true },
  sidecars: { label: 'Sidecar metadata', description: 'edits, a rating or keywords in its XMP sidecar, or the date taken and GPS in its Google Takeout JSON: the copy a photo manager worked on', evidence: true },
  encoding: { label: 'Best encoding', description: 'a RAW over the JPEG rendered from it; a camera format (JPEG, HEIC) over a PNG or WebP made from it; a JPEG quality that is not visibly lower (under 75)', evidence: true },
  edits: { label: 'Fewest edits', description: 'colour over black-and-white or toned; no sign of an editor in EXIF, or the earlier EXIF write; not blurred; less noise', evidence: true },
  central: { label: 'Closest to the other copies', description: 'with three or more copies, the one the others look derived from', evidence: true },
  'date-taken': { label: 'Earliest date taken', description: 'the earliest EXIF date taken (or Google Takeout’s, for a photo without one)', evidence: true },
  modified: { label: 'Earliest modified', description: 'the file modified longest ago', evidence: false },
  folders: { label: 'Not in a less-preferred folder', description: 'copies in the folders you named as less preferred go first', evidence: false },
  linked: { label: 'Other names lead to it', description: 'a file that symlinks or hard links lead to: deleting it would break them or free nothing', evidence: false },
  size: { label: 'Smallest file', description: 'among copies nothing else tells apart, the smaller file: re-encoding at a higher quality, added noise and added metadata all make a copy bigger', evidence: false },
};

export const DEFAULT_KEEPER_RULES: readonly KeeperRuleSetting[] = KEEPER_RULE_IDS.map((id) => ({ id, enabled: true }));

/** A saved order made whole: unknown ids dropped, duplicates kept once, rules it does not name
 *  (added in a later version) enabled and put right after the rule they follow by default
 *  (a new evidence rule lands among the evidence, not below the preferences). */
export function normaliseKeeperRules(saved: ReadonlyArray<{ id: string; enabled?: unknown }> | undefined): KeeperRuleSetting[] {
  const known = new Set<string>(KEEPER_RULE_IDS);
  const seen = new Set<string>();
  const rules: KeeperRuleSetting[] = [];
  for (const rule of saved ?? []) {
    if (!known.has(rule.id) || seen.has(rule.id)) continue;
    seen.add(rule.id);
    rules.push({ id: rule.id as KeeperRuleId, enabled: rule.enabled !== false });
  }
  KEEPER_RULE_IDS.forEach((id, k) => {
    if (seen.has(id)) return;
    const before = k === 0 ? -1 : rules.findIndex((r) => r.id === KEEPER_RULE_IDS[k - 1]);
    rules.splice(before + 1, 0, { id, enabled: true });
    seen.add(id);
  });
  return rules;
}

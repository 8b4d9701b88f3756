// The person's keeper rules as the "keep which copy" panel changes them: always a whole order
// (normaliseKeeperRules), each change a new array to save.
import { normaliseKeeperRules, type KeeperRuleId, type KeeperRuleSetting } from '../../../src-core/keeper';

/** The rules in the saved order, or the default order when none is saved. */
export const keeperRulesOf = (saved: readonly KeeperRuleSetting[] | undefined): KeeperRuleSetting[] => normaliseKeeperRules(saved);

/** `id` moved one place up (-1) or down (+1); at either end the order is unchanged. */
export function moveKeeperRule(rules: readonly KeeperRuleSetting[], id: KeeperRuleId, step: -1 | 1): KeeperRuleSetting[] {
  const moved = rules.map((r) => ({ ...r }));
  const from = moved.findIndex((r) => r.id === id);
  const to = from + step;
  if (from < 0 || to < 0 || to >= moved.length) return moved;
  [moved[from], moved[to]] = [moved[to]!, moved[from]!];
  return moved;
}

export function switchKeeperRule(rules: readonly KeeperRuleSetting[], id: KeeperRuleId, enabled: boolean): KeeperRuleSetting[] {
  return rules.map((r) => (r.id === id ? { id: r.id, enabled } : { ...r }));
}

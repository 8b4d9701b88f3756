// The panel's changes to the keeper rules, saved and read back through the settings repository
// on a real (in-memory) IndexedDB.
import { describe, expect, it, onTestFinished } from 'vitest';
import { reactive } from 'vue';
import { DEFAULT_KEEPER_RULES, KEEPER_RULE_IDS, type KeeperRuleSetting } from '../../../src-core/keeper';
import type { SettingsRow } from '../data/db';
import { SettingsRepository } from '../data/settings-repository';
import { openTestDb } from '../data/test-support';
import { keeperRulesOf, moveKeeperRule, switchKeeperRule } from './keeper-rules';

function repository() {
  const db = openTestDb();
  onTestFinished(() => db.delete());
  return new SettingsRepository(db);
}
const ids = (rules: readonly KeeperRuleSetting[]) => rules.map((r) => r.id);

describe('keeper rules in the panel', () => {
  it('start in the default order, every rule on, when none is saved', async () => {
    const rules = keeperRulesOf((await repository().load()).keeperRules);
    expect(ids(rules)).toEqual([...KEEPER_RULE_IDS]);
    expect(rules.every((r) => r.enabled)).toBe(true);
  });

  it('move one place at a time and stay put at either end', () => {
    const start = keeperRulesOf(undefined);
    expect(ids(moveKeeperRule(start, 'sidecars', -1)).slice(0, 3)).toEqual(['content', 'sidecars', 'camera']);
    expect(ids(moveKeeperRule(start, 'content', 1)).slice(0, 2)).toEqual(['camera', 'content']);
    expect(ids(moveKeeperRule(start, 'content', -1))).toEqual(ids(start));
    expect(ids(moveKeeperRule(start, 'size', 1))).toEqual(ids(start));
    // The order given is not changed in place (it is the shown, saved one).
    expect(ids(start)).toEqual([...KEEPER_RULE_IDS]);
  });

  it('an order moved and switched in the screen’s reactive settings is saved and read back as it was', async () => {
    const settings = repository();
    let rules = keeperRulesOf(undefined);
    for (let k = 0; k < KEEPER_RULE_IDS.length; k++) rules = moveKeeperRule(rules, 'size', -1);
    rules = switchKeeperRule(rules, 'camera', false);
    // What the screens hold: Vue's deep reactive proxy, nested arrays included.
    const shown = reactive<SettingsRow>({ id: 'settings', protectedFolders: ['/photos/Originals'] });
    shown.keeperRules = rules;
    await settings.save({ ...shown });

    const loaded = await settings.load();
    expect(loaded.protectedFolders).toEqual(['/photos/Originals']);
    const back = keeperRulesOf(loaded.keeperRules);
    expect(ids(back)[0]).toBe('size');
    expect(back.find((r) => r.id === 'camera')?.enabled).toBe(false);
    expect(back.filter((r) => !r.enabled)).toHaveLength(1);
  });

  it('an order saved by an older version gains the rules it lacks, and forgets ones that are gone', async () => {
    const settings = repository();
    const older = [{ id: 'size', enabled: true }, { id: 'retired-rule', enabled: true }, { id: 'content', enabled: false }] as unknown as KeeperRuleSetting[];
    await settings.save({ id: 'settings', keeperRules: older });
    const back = keeperRulesOf((await settings.load()).keeperRules);
    expect(ids(back).slice(0, 2)).toEqual(['size', 'content']);
    expect(back[1]!.enabled).toBe(false);
    expect(back).toHaveLength(DEFAULT_KEEPER_RULES.length);
    expect(new Set(ids(back))).toEqual(new Set(KEEPER_RULE_IDS));
  });
});

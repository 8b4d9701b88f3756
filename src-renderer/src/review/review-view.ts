// What the review screens show: the groups as clustered with the person's verdicts and keeper
// choices applied, filtered and sorted as asked, and which group and candidate are open.
import { computed, reactive } from 'vue';
import type { DuplicateGroup } from '../../../src-core/cluster/groups';
import { notDuplicateKey } from '../data/decisions-repository';
import { folderOf } from '../format';
import type { DecisionsStore } from './decisions-store';

export type GroupSort = 'reclaimable' | 'size' | 'similarity' | 'date' | 'folder';
export type GroupFilter = 'all' | 'exact' | 'near' | 'decided';

const SORTS: Record<GroupSort, (a: DuplicateGroup, b: DuplicateGroup) => number> = {
  reclaimable: (a, b) => b.reclaimableBytes - a.reclaimableBytes,
  size: (a, b) => b.members.length - a.members.length,
  similarity: (a, b) => b.similarity - a.similarity,
  date: (a, b) => (a.members[0]!.dateTaken ?? '\uffff').localeCompare(b.members[0]!.dateTaken ?? '\uffff'),
  folder: (a, b) => folderOf(a.members[0]!.path).localeCompare(folderOf(b.members[0]!.path)),
};

/** A group with the person's keeper choice applied (that member first, marked keeper). */
export function withChosenKeeper(group: DuplicateGroup, keepers: ReadonlySet<string>): DuplicateGroup {
  const chosen = group.members.findIndex((m) => !m.keeper && keepers.has(m.path));
  if (chosen < 0) return group;
  const members = group.members.map((m, k) => ({ ...m, keeper: k === chosen, reason: k === chosen ? 'chosen by you' : m.keeper ? 'suggested keeper' : m.reason }));
  const order = [chosen, ...members.keys()].filter((k, i, all) => all.indexOf(k) === i);
  const position = new Map(order.map((k, p) => [k, p]));
  const remap = (node: number) => (node < members.length ? position.get(node)! : node);
  return {
    ...group,
    reclaimableBytes: members.filter((m) => !m.keeper && !m.protected).reduce((sum, m) => sum + m.size, 0),
    members: order.map((k) => members[k]!),
    merges: group.merges.map(([l, r, s, n]) => [remap(l), remap(r), s, n]),
    order: group.order.map((leaf) => position.get(leaf)!),
  };
}

export function createReviewView(groups: () => readonly DuplicateGroup[], { decisions }: Pick<DecisionsStore, 'decisions'>) {
  const review = reactive({
    /** Index into visibleGroups of the open group, or -1 for the overview. */
    groupIndex: -1,
    /** The member compared against the keeper (index into the group's members). */
    candidate: 1,
    sort: 'reclaimable' as GroupSort,
    filter: 'all' as GroupFilter,
    folderFilter: '',
    showShortcuts: false,
  });

  /** Groups as clustered, minus members the person said are not duplicates of the keeper,
   *  with their keeper choices, filtered and sorted as asked. */
  const visibleGroups = computed<DuplicateGroup[]>(() => {
    const verdicts = decisions.notDuplicate.size > 0;
    const keepers = decisions.keepers.size > 0;
    const shown = groups().flatMap((group) => {
      const keeper = group.members[0]!;
      const members = verdicts ? group.members.filter((m) => m.keeper || !decisions.notDuplicate.has(notDuplicateKey(m.digest, keeper.digest))) : group.members;
      if (members.length < 2) return [];
      const kept = members === group.members ? group : { ...group, members };
      return [keepers ? withChosenKeeper(kept, decisions.keepers) : kept];
    });
    const folder = review.folderFilter.trim();
    return shown
      .filter((g) => review.filter !== 'exact' || g.exact)
      .filter((g) => review.filter !== 'near' || !g.exact)
      .filter((g) => review.filter !== 'decided' || g.members.some((m) => decisions.marked.has(m.path) || decisions.keepers.has(m.path)))
      .filter((g) => !folder || g.members.some((m) => m.path.includes(folder)))
      .sort(SORTS[review.sort]);
  });

  const openGroup = computed(() => visibleGroups.value[review.groupIndex]);

  return { review, visibleGroups, openGroup };
}

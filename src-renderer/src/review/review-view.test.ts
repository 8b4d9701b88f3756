// What the review screens show of the groups: verdicts and keeper choices applied, filters and
// sorts.
import { describe, expect, it } from 'vitest';
import { group, member, reviewStores } from './review-test-support';

const paths = (groups: Array<{ members: Array<{ path: string }> }>) => groups.map((g) => g.members.map((m) => m.path));

describe('review view', () => {
  it('puts the chosen keeper first, remapping the dendrogram, and frees the old keeper’s bytes', async () => {
    const stores = reviewStores([group([member('/p/a.jpg', 'A', { size: 3 }), member('/p/b.jpg', 'B', { size: 2 }), member('/p/c.jpg', 'C', { size: 1 })])]);
    await stores.chooseKeeper(stores.groups.value[0]!.members[2]!, stores.groups.value[0]!);
    const [shown] = stores.visibleGroups.value;
    expect(paths([shown!])).toEqual([['/p/c.jpg', '/p/a.jpg', '/p/b.jpg']]);
    expect(shown!.members.map((m) => [m.keeper, m.reason])).toEqual([
      [true, 'chosen by you'],
      [false, 'suggested keeper'],
      [false, 'edited copy'],
    ]);
    expect(shown!.reclaimableBytes).toBe(5);
    expect(shown!.order).toEqual([1, 2, 0]);
    expect(shown!.merges).toEqual([
      [1, 2, 0.9, 2],
      [3, 0, 0.9, 3],
    ]);
  });

  it('filters by kind, decisions and folder, and sorts as asked', async () => {
    const exact = group([member('/x/1.jpg', 'E'), member('/x/2.jpg', 'E', { size: 5 })], { exact: true, reclaimableBytes: 5, similarity: 1 });
    const near = group([member('/y/1.jpg', 'N'), member('/y/2.jpg', 'M', { size: 9 })], { reclaimableBytes: 9, similarity: 0.85 });
    const stores = reviewStores([exact, near]);
    expect(paths(stores.visibleGroups.value)).toEqual([['/y/1.jpg', '/y/2.jpg'], ['/x/1.jpg', '/x/2.jpg']]);
    stores.review.sort = 'similarity';
    expect(stores.visibleGroups.value[0]).toEqual(exact);
    stores.review.filter = 'near';
    expect(stores.visibleGroups.value).toEqual([near]);
    stores.review.filter = 'decided';
    expect(stores.visibleGroups.value).toEqual([]);
    await stores.toggleMark(exact.members[1]!);
    expect(stores.visibleGroups.value).toEqual([exact]);
    stores.review.filter = 'all';
    stores.review.folderFilter = ' /y ';
    expect(stores.visibleGroups.value).toEqual([near]);
    stores.review.groupIndex = 0;
    expect(stores.openGroup.value).toEqual(near);
  });
});

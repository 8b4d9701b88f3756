// The person's decisions over a real (in-memory) IndexedDB: stored before they show, read back
// after a reload in the stored format, undone step by step, and following moved files.
import { describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import { group, member, reviewStores } from './review-test-support';

const keeper = member('/p/a.jpg', 'A');
const copy = member('/p/b.jpg', 'B');
const other = member('/p/c.jpg', 'C');

/** Lets the stores' watchers run and the writes they start finish. */
const settle = async () => {
  await nextTick();
  await new Promise((resolve) => setTimeout(resolve, 0));
};

describe('decisions store', () => {
  it('stores a mark before it shows, and a new session reads it back', async () => {
    const first = reviewStores([group([keeper, copy])]);
    await first.toggleMark(first.groups.value[0]!.members[1]!);
    expect(first.decisions.marked).toEqual(new Set(['/p/b.jpg']));
    expect(await first.db.decisions.get('mark:B:/p/b.jpg')).toMatchObject({ kind: 'mark', digests: ['B'], value: '/p/b.jpg' });

    const again = reviewStores(first.groups.value, undefined, first.db);
    await again.load();
    expect(again.decisions.marked).toEqual(new Set(['/p/b.jpg']));
  });

  it('never marks the keeper or a protected file', async () => {
    const stores = reviewStores([group([keeper, member('/p/b.jpg', 'B', { protected: true })])]);
    for (const m of stores.groups.value[0]!.members) await stores.toggleMark(m);
    expect(stores.decisions.marked.size).toBe(0);
    expect(stores.decisions.undo).toEqual([]);
  });

  it('reads decisions an existing database stored', async () => {
    const stores = reviewStores([group([keeper, copy, other])]);
    await stores.db.decisions.bulkPut([
      { id: 'mark:B:/p/b.jpg', kind: 'mark', digests: ['B'], value: '/p/b.jpg', at: 1 },
      { id: 'keeper:C:/p/c.jpg', kind: 'keeper', digests: ['C'], value: '/p/c.jpg', at: 1 },
      { id: 'not-duplicate:A|C', kind: 'not-duplicate', digests: ['C', 'A'], at: 1 },
    ]);
    await stores.load();
    expect(stores.decisions.marked).toEqual(new Set(['/p/b.jpg']));
    expect(stores.decisions.keepers).toEqual(new Set(['/p/c.jpg']));
    expect(stores.decisions.notDuplicate).toEqual(new Set(['A|C']));
  });

  it('undoes a "not a duplicate" verdict, which also unmarked the file', async () => {
    const stores = reviewStores([group([keeper, copy])]);
    const [k, b] = stores.groups.value[0]!.members as [typeof keeper, typeof copy];
    await stores.toggleMark(b);
    await stores.markNotDuplicate(b, k);
    expect(await stores.db.decisions.get('not-duplicate:A|B')).toMatchObject({ kind: 'not-duplicate', digests: ['B', 'A'] });
    expect(stores.decisions.marked.size).toBe(0);
    expect(stores.visibleGroups.value).toEqual([]);

    await stores.undoLast();
    expect(await stores.db.decisions.get('not-duplicate:A|B')).toBeUndefined();
    expect(stores.visibleGroups.value).toHaveLength(1);
    // The mark, the step before, is undone next.
    expect(stores.decisions.undo).toEqual([{ kind: 'marks', refs: [{ path: '/p/b.jpg', digest: 'B' }], marked: true, how: 'one' }]);
  });

  it('a keeper choice replaces the group’s earlier one, and undo puts that back', async () => {
    const stores = reviewStores([group([keeper, copy, other])]);
    const members = stores.groups.value[0]!.members;
    await stores.toggleMark(members[1]!);
    await stores.chooseKeeper(members[1]!, stores.groups.value[0]!);
    expect(stores.decisions.marked.size).toBe(0);
    await stores.chooseKeeper(members[2]!, stores.groups.value[0]!);
    expect(stores.decisions.keepers).toEqual(new Set(['/p/c.jpg']));
    expect((await stores.db.decisions.where('digests').anyOf('B', 'C').toArray()).map((d) => d.id)).toEqual(['keeper:C:/p/c.jpg']);

    await stores.undoLast();
    expect(stores.decisions.keepers).toEqual(new Set(['/p/b.jpg']));
    expect((await stores.db.decisions.toArray()).map((d) => d.id)).toEqual(['keeper:B:/p/b.jpg']);
  });

  it('accepts every suggestion in one undo step, leaving protected files and companions', async () => {
    const stores = reviewStores([
      group([keeper, copy, member('/p/raw.cr2', 'R', { companion: true })]),
      group([member('/q/x.jpg', 'X'), member('/q/y.jpg', 'Y'), member('/q/z.jpg', 'Z', { protected: true })]),
    ]);
    expect(await stores.acceptSuggestions(stores.groups.value)).toBe(2);
    expect(stores.decisions.marked).toEqual(new Set(['/p/b.jpg', '/q/y.jpg']));
    expect(stores.decisions.undo).toHaveLength(1);
    await stores.undoLast();
    expect(stores.decisions.marked.size).toBe(0);
    expect(await stores.db.decisions.count()).toBe(0);
  });

  it('shows the marks of "mark all" together, never a part of them while they are stored', async () => {
    const many = Array.from({ length: 40 }, (_, k) => group([member(`/g${k}/a.jpg`, `A${k}`), member(`/g${k}/b.jpg`, `B${k}`), member(`/g${k}/c.jpg`, `C${k}`)]));
    const stores = reviewStores(many);
    const seen = new Set<number>();
    const accepting = stores.acceptSuggestions(stores.groups.value);
    // Sample what the screen would show after each database round trip while "mark all" runs.
    for (let k = 0; k < 50; k++) {
      seen.add(stores.decisions.marked.size);
      await new Promise((resolve) => setTimeout(resolve, 0));
    }
    await accepting;
    seen.add(stores.decisions.marked.size);
    expect([...seen].filter((n) => n !== 0 && n !== 80)).toEqual([]);
  });

  it('undoes "mark all" in one step and says what it undid; "unmark all" is undone the same way', async () => {
    const stores = reviewStores([group([keeper, copy, other]), group([member('/q/x.jpg', 'X'), member('/q/y.jpg', 'Y')])]);
    await stores.toggleMark(stores.groups.value[0]!.members[1]!);
    expect(await stores.acceptSuggestions(stores.groups.value)).toBe(2);
    expect(await stores.unmarkAll(stores.groups.value)).toBe(3);
    expect(stores.decisions.marked.size).toBe(0);

    await stores.undoLast();
    expect(stores.decisions.undone).toBe('Undid: unmarked 3 files');
    expect(stores.decisions.marked).toEqual(new Set(['/p/b.jpg', '/p/c.jpg', '/q/y.jpg']));
    await stores.undoLast();
    expect(stores.decisions.undone).toBe('Undid: marked 2 suggested duplicates');
    expect(stores.decisions.marked).toEqual(new Set(['/p/b.jpg']));
    expect((await stores.db.decisions.toArray()).map((d) => d.id)).toEqual(['mark:B:/p/b.jpg']);
    await stores.undoLast();
    expect(stores.decisions.undone).toBe('Undid: marked b.jpg');
    expect(stores.canUndo()).toBe(false);
  });

  it('undo in a group reverses that group’s last change only, and its part of "mark all"', async () => {
    const first = group([keeper, copy, other]);
    const second = group([member('/q/x.jpg', 'X'), member('/q/y.jpg', 'Y'), member('/q/z.jpg', 'Z')]);
    const stores = reviewStores([first, second]);
    await stores.acceptSuggestions([first, second]);
    await stores.markNotDuplicate(second.members[2]!, second.members[0]!);

    // In the first group, the verdict given in the second is not what undo reverses.
    await stores.undoLast(first.members);
    expect(stores.decisions.undone).toBe('Undid: marked 2 suggested duplicates');
    expect(stores.decisions.marked).toEqual(new Set(['/q/y.jpg']));
    expect(stores.decisions.notDuplicate).toEqual(new Set(['X|Z']));
    expect(stores.canUndo(first.members)).toBe(false);

    // The overview undoes the last change anywhere: the verdict, then what is left of "mark all".
    await stores.undoLast();
    expect(stores.decisions.undone).toBe('Undid: z.jpg is not a duplicate');
    await stores.undoLast();
    expect(stores.decisions.undone).toBe('Undid: marked 2 suggested duplicates');
    expect(stores.decisions.marked.size).toBe(0);
    expect(await stores.db.decisions.count()).toBe(0);
  });

  it('a mark follows its file to a new path and is stored again there', async () => {
    const stores = reviewStores([group([keeper, copy])]);
    await stores.toggleMark(stores.groups.value[0]!.members[1]!);
    stores.groups.value = [group([keeper, member('/p/moved/b.jpg', 'B')])];
    expect(stores.decisions.marked).toEqual(new Set(['/p/moved/b.jpg']));
    await settle();
    expect((await stores.db.decisions.toArray()).map((d) => d.id)).toEqual(['mark:B:/p/moved/b.jpg']);
  });

  it('stores a split by its sorted contents and cuts again', async () => {
    const stores = reviewStores([group([keeper, copy, other])]);
    await stores.splitOff([other, copy, member('/p/c2.jpg', 'C')]);
    expect(await stores.db.decisions.get('split:B,C')).toMatchObject({ kind: 'split', digests: ['B', 'C'] });
    expect(stores.recuts).toHaveLength(1);
  });
});

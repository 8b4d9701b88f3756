// The person's decisions in review: marks for deletion, keeper choices, "not a duplicate"
// verdicts and splits, with undo. Each is written to the database before it shows, so what the
// screen says was decided survives a reload or a crash right after. Marks and keeper choices
// follow their content to a new path when the file moves.
import { computed, reactive, watch } from 'vue';
import type { DuplicateGroup, GroupMember } from '../../../src-core/cluster/groups';
import { fileDecisionId, notDuplicateKey, type DecisionsRepository, type FileDecisionKind } from '../data/decisions-repository';
import { SerialQueue } from '../../../src-core/serial-queue';
import { resolveByContent, type ContentRef } from './content-decisions';

/** One undo step: what changed, in terms undo can reverse and words that say what it was. */
export type Change =
  /** Marks set (`marked`) or cleared on these files: one file, "mark all suggested" or
   *  "unmark all", each undone in one step. */
  | { kind: 'marks'; refs: ContentRef[]; marked: boolean; how: 'one' | 'suggested' | 'all' }
  | { kind: 'not-duplicate'; digests: [string, string]; path: string }
  /** `replaced`: the earlier keeper choices in that group, restored by undo. */
  | { kind: 'keeper'; member: ContentRef; replaced: ContentRef[] };

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;
const nameOf = (path: string) => path.slice(path.lastIndexOf('/') + 1);

/** What a change did, in words ("marked 405 suggested duplicates"). */
export function describeChange(change: Change): string {
  if (change.kind === 'keeper') return `kept ${nameOf(change.member.path)} instead`;
  if (change.kind === 'not-duplicate') return `${nameOf(change.path)} is not a duplicate`;
  const { refs, marked, how } = change;
  if (how === 'one') return `${marked ? 'marked' : 'unmarked'} ${nameOf(refs[0]!.path)}`;
  if (how === 'suggested') return `marked ${plural(refs.length, 'suggested duplicate', 'suggested duplicates')}`;
  return `unmarked ${plural(refs.length, 'file', 'files')}`;
}

/** The contents a change touched: undo in a group's view reverses only what touched that group. */
const digestsOf = (change: Change): string[] =>
  change.kind === 'marks' ? change.refs.map((r) => r.digest) : change.kind === 'keeper' ? [change.member.digest, ...change.replaced.map((r) => r.digest)] : change.digests;

const refOf = (member: ContentRef): ContentRef => ({ digest: member.digest, path: member.path });

/**
 * `groups`: the current clustering (decisions resolve against its members); `recut`: cuts the
 * groups again once a split is stored.
 */
export function createDecisionsStore(repository: DecisionsRepository, groups: () => readonly DuplicateGroup[], recut: () => void) {
  /** Marks and keeper choices as taken (decision id → file), before following moved files. */
  const taken = reactive({ mark: new Map<string, ContentRef>(), keeper: new Map<string, ContentRef>() });

  /** The paths `decisions` apply to in the current groups, and the decisions whose file moved. */
  function resolve(decisions: Map<string, ContentRef>): { paths: Set<string>; moved: Array<{ id: string; to: ContentRef }> } {
    if (decisions.size === 0) return { paths: new Set(), moved: [] };
    const entries = [...decisions];
    const resolved = resolveByContent(
      entries.map(([, ref]) => ref),
      groups().flatMap((g) => g.members),
    );
    const moved: Array<{ id: string; to: ContentRef }> = [];
    for (const [k, path] of resolved) if (path !== entries[k]![1].path) moved.push({ id: entries[k]![0], to: { digest: entries[k]![1].digest, path } });
    return { paths: new Set(resolved.values()), moved };
  }
  const resolvedMarks = computed(() => resolve(taken.mark));
  const resolvedKeepers = computed(() => resolve(taken.keeper));

  const decisions = reactive({
    /** Paths marked for deletion. */
    marked: computed(() => resolvedMarks.value.paths),
    /** Paths the person chose to keep instead of the suggested keeper. */
    keepers: computed(() => resolvedKeepers.value.paths),
    /** notDuplicateKey of each pair of contents said not to be duplicates. */
    notDuplicate: new Set<string>(),
    undo: [] as Change[],
    /** What the last undo reversed, in words ("Undid: marked 405 suggested duplicates"). */
    undone: '',
  });

  // Every change runs after the one before has been stored and shown, so a change made while
  // another is being written (undo pressed during "mark all") acts on its result, and
  // `settled()` tells when what the person did is all on screen.
  const writes = new SerialQueue();
  const settled = (): Promise<void> => writes.run(async () => undefined);

  function remember(kind: FileDecisionKind, ref: ContentRef): void {
    taken[kind].set(fileDecisionId(kind, ref), ref);
  }
  function forget(kind: FileDecisionKind, ref: ContentRef): void {
    taken[kind].delete(fileDecisionId(kind, ref));
  }

  /** A decision whose file moved is stored again under its new path (so it stays exact). */
  async function followMoves(kind: FileDecisionKind, moved: Array<{ id: string; to: ContentRef }>): Promise<void> {
    if (moved.length === 0) return;
    for (const { id, to } of moved) {
      taken[kind].delete(id);
      remember(kind, to);
    }
    await repository.replace(
      kind,
      moved.map((m) => m.id),
      moved.map((m) => m.to),
    );
  }
  watch(resolvedMarks, ({ moved }) => void followMoves('mark', moved));
  watch(resolvedKeepers, ({ moved }) => void followMoves('keeper', moved));

  async function load(): Promise<void> {
    for (const row of await repository.all()) {
      const ref = typeof row.value === 'string' && row.digests[0] ? { digest: row.digests[0], path: row.value } : undefined;
      if (row.kind === 'mark' && ref) taken.mark.set(row.id, ref);
      if (row.kind === 'not-duplicate' && row.digests.length === 2) decisions.notDuplicate.add(notDuplicateKey(row.digests[0]!, row.digests[1]!));
      if (row.kind === 'keeper' && ref) taken.keeper.set(row.id, ref);
    }
  }

  /** A new undo step; what an earlier undo said no longer describes the latest change. */
  function record(change: Change): void {
    decisions.undo.push(change);
    decisions.undone = '';
  }

  /** Sets or clears the marks of `refs` in one transaction, then shows them all at once: a
   *  screen that counts marks meanwhile sees none of them or all. */
  async function writeMarks(refs: readonly ContentRef[], marked: boolean): Promise<void> {
    if (refs.length === 0) return;
    const plain = refs.map(refOf);
    if (marked) await repository.replace('mark', [], plain);
    else
      await repository.replace(
        'mark',
        plain.map((ref) => fileDecisionId('mark', ref)),
        [],
      );
    for (const ref of plain) (marked ? remember : forget)('mark', ref);
  }

  /** Marks or unmarks one file as its own undo step (no step when nothing changes); `marked`
   *  is decided from the file's mark once the changes before it are stored. */
  const markStep = (member: GroupMember, marked: (now: boolean) => boolean): Promise<void> =>
    writes.run(async () => {
      const now = decisions.marked.has(member.path);
      const want = marked(now);
      if (want === now || (want && (member.keeper || member.protected))) return;
      await writeMarks([member], want);
      record({ kind: 'marks', refs: [refOf(member)], marked: want, how: 'one' });
    });

  const setMark = (member: GroupMember, marked: boolean): Promise<void> => markStep(member, () => marked);
  const toggleMark = (member: GroupMember): Promise<void> => markStep(member, (now) => !now);

  /** Clears the marks of files that moved away (an action's result): not an undo step. */
  const clearMarks = (members: readonly ContentRef[]): Promise<void> => writes.run(() => writeMarks(members, false));

  const markNotDuplicate = (member: GroupMember, keeper: GroupMember): Promise<void> =>
    writes.run(async () => {
      const digests: [string, string] = [member.digest, keeper.digest];
      await repository.putNotDuplicate(digests);
      decisions.notDuplicate.add(notDuplicateKey(...digests));
      record({ kind: 'not-duplicate', digests, path: member.path });
      if (decisions.marked.has(member.path)) await writeMarks([member], false);
    });

  /** "Split here": these members' contents form a group of their own from now on. */
  const splitOff = (members: readonly GroupMember[]): Promise<void> =>
    writes.run(async () => {
      await repository.putSplit(members.map((m) => m.digest));
      recut();
    });

  /** Makes `member` the copy to keep in `group` (remembered by content and path), replacing
   *  any earlier choice in that group. */
  const chooseKeeper = (member: GroupMember, group: DuplicateGroup): Promise<void> =>
    writes.run(async () => {
      if (member.keeper) return;
      if (decisions.marked.has(member.path)) await writeMarks([member], false);
      const inGroup = new Set(group.members.map((m) => m.digest));
      const replaced = [...taken.keeper].filter(([, ref]) => inGroup.has(ref.digest));
      const ref = refOf(member);
      await repository.replace(
        'keeper',
        replaced.map(([id]) => id),
        [ref],
      );
      for (const [id] of replaced) taken.keeper.delete(id);
      remember('keeper', ref);
      record({ kind: 'keeper', member: ref, replaced: replaced.map(([, r]) => r) });
    });

  async function reverse(change: Change): Promise<void> {
    if (change.kind === 'marks') await writeMarks(change.refs, !change.marked);
    else if (change.kind === 'keeper') {
      await repository.replace('keeper', [fileDecisionId('keeper', change.member)], change.replaced);
      forget('keeper', change.member);
      for (const ref of change.replaced) remember('keeper', ref);
    } else {
      await repository.removeNotDuplicate(change.digests);
      decisions.notDuplicate.delete(notDuplicateKey(...change.digests));
    }
  }

  /** The latest change that touched `scope` (a group's members; every change without one), and
   *  the part of it inside the scope: in a group, undoing "mark all" unmarks that group's files. */
  function lastChangeIn(scope?: readonly ContentRef[]): { at: number; change: Change; rest?: Change } | undefined {
    const inScope = scope && new Set(scope.map((m) => m.digest));
    for (let at = decisions.undo.length - 1; at >= 0; at--) {
      const change = decisions.undo[at]!;
      if (!inScope) return { at, change };
      if (!digestsOf(change).some((d) => inScope.has(d))) continue;
      if (change.kind !== 'marks') return { at, change };
      const inside = change.refs.filter((r) => inScope.has(r.digest));
      const outside = change.refs.filter((r) => !inScope.has(r.digest));
      return { at, change: { ...change, refs: inside }, rest: outside.length ? { ...change, refs: outside } : undefined };
    }
    return undefined;
  }

  const canUndo = (scope?: readonly ContentRef[]): boolean => lastChangeIn(scope) !== undefined;

  /** Reverses the last change in `scope` (see lastChangeIn) and says what it undid. */
  const undoLast = (scope?: readonly ContentRef[]): Promise<void> =>
    writes.run(async () => {
      const last = lastChangeIn(scope);
      if (!last) return;
      await reverse(last.change);
      if (last.rest) decisions.undo.splice(last.at, 1, last.rest);
      else decisions.undo.splice(last.at, 1);
      decisions.undone = `Undid: ${describeChange(last.change)}`;
    });

  /** Marks every non-keeper of the given groups (protected files and the keeper's RAW/HEIC/JPEG
   *  companions excepted); one undo step. */
  const acceptSuggestions = (groups: readonly DuplicateGroup[]): Promise<number> =>
    writes.run(async () => {
      const refs = groups.flatMap((group) => group.members.filter((m) => !m.keeper && !m.protected && !m.companion && !decisions.marked.has(m.path)).map(refOf));
      await writeMarks(refs, true);
      if (refs.length) record({ kind: 'marks', refs, marked: true, how: 'suggested' });
      return refs.length;
    });

  /** Clears every mark in the given groups; one undo step. */
  const unmarkAll = (groups: readonly DuplicateGroup[]): Promise<number> =>
    writes.run(async () => {
      const refs = groups.flatMap((group) => group.members.filter((m) => decisions.marked.has(m.path)).map(refOf));
      await writeMarks(refs, false);
      if (refs.length) record({ kind: 'marks', refs, marked: false, how: 'all' });
      return refs.length;
    });

  return { decisions, load, settled, setMark, toggleMark, clearMarks, markNotDuplicate, splitOff, chooseKeeper, canUndo, undoLast, acceptSuggestions, unmarkAll };
}

export type DecisionsStore = ReturnType<typeof createDecisionsStore>;

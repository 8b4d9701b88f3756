// The person's decisions in review: marks for deletion, keeper choices, "not a duplicate"
// verdicts and splits, with undo. Each is written to the database before it shows, so what the
// screen says was decided survives a reload or a crash right after. Marks and keeper choices
// follow their content to a new path when the file moves.
import { computed, reactive, watch } from 'vue';
import type { DuplicateGroup, GroupMember } from '../../../src-core/cluster/groups';
import { fileDecisionId, notDuplicateKey, type DecisionsRepository, type FileDecisionKind } from '../data/decisions-repository';
import { resolveByContent, type ContentRef } from './content-decisions';

/** One undo step. */
export type Verdict =
  | { kind: 'mark'; path: string; digest: string }
  /** "Accept all suggestions": undone together. */
  | { kind: 'marks'; refs: ContentRef[] }
  | { kind: 'not-duplicate'; digests: [string, string] }
  /** `replaced`: the earlier keeper choices in that group, restored by undo. */
  | { kind: 'keeper'; member: GroupMember; replaced: ContentRef[] };

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
    undo: [] as Verdict[],
  });

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

  async function setMark(member: ContentRef, marked: boolean): Promise<void> {
    const ref = refOf(member);
    if (marked) {
      await repository.put('mark', ref);
      remember('mark', ref);
    } else {
      await repository.remove('mark', ref);
      forget('mark', ref);
    }
  }

  async function toggleMark(member: GroupMember): Promise<void> {
    if (member.keeper || member.protected) return;
    const marked = !decisions.marked.has(member.path);
    await setMark(member, marked);
    if (marked) decisions.undo.push({ kind: 'mark', path: member.path, digest: member.digest });
  }

  async function markNotDuplicate(member: GroupMember, keeper: GroupMember): Promise<void> {
    const digests: [string, string] = [member.digest, keeper.digest];
    await repository.putNotDuplicate(digests);
    decisions.notDuplicate.add(notDuplicateKey(...digests));
    decisions.undo.push({ kind: 'not-duplicate', digests });
    if (member.path && decisions.marked.has(member.path)) await setMark(member, false);
  }

  /** "Split here": these members' contents form a group of their own from now on. */
  async function splitOff(members: readonly GroupMember[]): Promise<void> {
    await repository.putSplit(members.map((m) => m.digest));
    recut();
  }

  /** Makes `member` the copy to keep in `group` (remembered by content and path), replacing
   *  any earlier choice in that group. */
  async function chooseKeeper(member: GroupMember, group: DuplicateGroup): Promise<void> {
    if (member.keeper) return;
    if (decisions.marked.has(member.path)) await setMark(member, false);
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
    decisions.undo.push({ kind: 'keeper', member, replaced: replaced.map(([, r]) => r) });
  }

  async function undoLast(): Promise<void> {
    const last = decisions.undo.pop();
    if (!last) return;
    if (last.kind === 'mark') await setMark(last, false);
    else if (last.kind === 'marks') for (const ref of last.refs) await setMark(ref, false);
    else if (last.kind === 'keeper') {
      await repository.replace('keeper', [fileDecisionId('keeper', last.member)], last.replaced);
      forget('keeper', last.member);
      for (const ref of last.replaced) remember('keeper', ref);
    } else {
      await repository.removeNotDuplicate(last.digests);
      decisions.notDuplicate.delete(notDuplicateKey(...last.digests));
    }
  }

  /** Marks every non-keeper of the given groups (protected files and the keeper's RAW/HEIC/JPEG
   *  companions excepted); one undo step. */
  async function acceptSuggestions(groups: readonly DuplicateGroup[]): Promise<number> {
    const refs: ContentRef[] = [];
    for (const group of groups) {
      for (const member of group.members) {
        if (!member.keeper && !member.protected && !member.companion && !decisions.marked.has(member.path)) {
          await setMark(member, true);
          refs.push(refOf(member));
        }
      }
    }
    if (refs.length) decisions.undo.push({ kind: 'marks', refs });
    return refs.length;
  }

  return { decisions, load, setMark, toggleMark, markNotDuplicate, splitOff, chooseKeeper, undoLast, acceptSuggestions };
}

export type DecisionsStore = ReturnType<typeof createDecisionsStore>;

// Review state: which group and candidate are open, the person's marks and verdicts (kept in
// the database, keyed by content so they survive re-scans and restarts), undo, and deletion.
import { computed, reactive, watch } from 'vue';
import type { ActionResult, TrashItem } from '../../src-core/api';
import type { DuplicateGroup, GroupMember } from '../../src-core/cluster/groups';
import type { ActionRow, DecisionRow } from './data/db';
import { api, db, library, setSimilarity } from './library-store';
import { resolveByContent, type ContentRef } from './review/content-decisions';

type Verdict =
  | { kind: 'mark'; path: string; digest: string }
  /** "Accept all suggestions": undone together. */
  | { kind: 'marks'; refs: ContentRef[] }
  | { kind: 'not-duplicate'; digests: [string, string] }
  /** `replaced`: the earlier keeper choices in that group, restored by undo. */
  | { kind: 'keeper'; member: GroupMember; replaced: ContentRef[] };
export type GroupSort = 'reclaimable' | 'size' | 'similarity' | 'date' | 'folder';
export type GroupFilter = 'all' | 'exact' | 'near' | 'decided';

/** Marks and keeper choices as taken (decision id → file), before following moved files. */
const taken = reactive({ marks: new Map<string, ContentRef>(), keepers: new Map<string, ContentRef>() });

/** The paths `decisions` apply to in the current groups, and the decisions whose file moved. */
function resolveDecisions(decisions: Map<string, ContentRef>): { paths: Set<string>; moved: Array<{ id: string; to: ContentRef }> } {
  if (decisions.size === 0) return { paths: new Set(), moved: [] };
  const entries = [...decisions];
  const resolved = resolveByContent(
    entries.map(([, ref]) => ref),
    library.groups.flatMap((g) => g.members),
  );
  const moved: Array<{ id: string; to: ContentRef }> = [];
  for (const [k, path] of resolved) if (path !== entries[k]![1].path) moved.push({ id: entries[k]![0], to: { digest: entries[k]![1].digest, path } });
  return { paths: new Set(resolved.values()), moved };
}
const resolvedMarks = computed(() => resolveDecisions(taken.marks));
const resolvedKeepers = computed(() => resolveDecisions(taken.keepers));

export const review = reactive({
  /** Index into visibleGroups of the open group, or -1 for the overview. */
  groupIndex: -1,
  /** The member compared against the keeper (index into the group's members). */
  candidate: 1,
  /** Paths marked for deletion (marks follow their content to a new path after a move). */
  marked: computed(() => resolvedMarks.value.paths),
  /** Paths the person chose to keep instead of the suggested keeper. */
  keepers: computed(() => resolvedKeepers.value.paths),
  sort: 'reclaimable' as GroupSort,
  filter: 'all' as GroupFilter,
  folderFilter: '',
  notDuplicate: new Set<string>(),
  undo: [] as Verdict[],
  confirming: false,
  lastResults: [] as ActionResult[],
  /** What produced lastResults, for their wording. */
  lastAction: 'trash' as 'trash' | 'move' | 'restore',
  history: [] as ActionRow[],
  showShortcuts: false,
});

const pairKey = (a: string, b: string) => (a < b ? `${a}|${b}` : `${b}|${a}`);
const markId = (m: ContentRef) => `mark:${m.digest}:${m.path}`;
const keeperId = (m: ContentRef) => `keeper:${m.digest}:${m.path}`;

/** A decision whose file moved is stored again under its new path (so it stays exact). */
async function followMoves(kind: 'mark' | 'keeper', moved: Array<{ id: string; to: ContentRef }>): Promise<void> {
  if (moved.length === 0) return;
  const decisions = kind === 'mark' ? taken.marks : taken.keepers;
  const idOf = kind === 'mark' ? markId : keeperId;
  for (const { id, to } of moved) {
    decisions.delete(id);
    decisions.set(idOf(to), to);
  }
  await db.transaction('rw', db.decisions, async () => {
    await db.decisions.bulkDelete(moved.map((m) => m.id));
    await db.decisions.bulkPut(moved.map(({ to }) => ({ id: idOf(to), kind, digests: [to.digest], value: to.path, at: Date.now() })));
  });
}
watch(resolvedMarks, ({ moved }) => void followMoves('mark', moved));
watch(resolvedKeepers, ({ moved }) => void followMoves('keeper', moved));

/** A group with the person's keeper choice applied (that member first, marked keeper). */
function withChosenKeeper(group: DuplicateGroup): DuplicateGroup {
  const chosen = group.members.findIndex((m) => !m.keeper && review.keepers.has(m.path));
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

const folderOf = (path: string) => path.replace(/[\\/][^\\/]*$/, '');
const SORTS: Record<GroupSort, (a: DuplicateGroup, b: DuplicateGroup) => number> = {
  reclaimable: (a, b) => b.reclaimableBytes - a.reclaimableBytes,
  size: (a, b) => b.members.length - a.members.length,
  similarity: (a, b) => b.similarity - a.similarity,
  date: (a, b) => (a.members[0]!.dateTaken ?? '\uffff').localeCompare(b.members[0]!.dateTaken ?? '\uffff'),
  folder: (a, b) => folderOf(a.members[0]!.path).localeCompare(folderOf(b.members[0]!.path)),
};

/** Groups as clustered, minus members the person said are not duplicates of the keeper, with
 *  their keeper choices, filtered and sorted as asked. */
export const visibleGroups = computed<DuplicateGroup[]>(() => {
  const verdicts = review.notDuplicate.size > 0;
  const keepers = review.keepers.size > 0;
  const groups = library.groups.flatMap((group) => {
    const keeper = group.members[0]!;
    const members = verdicts ? group.members.filter((m) => m.keeper || !review.notDuplicate.has(pairKey(m.digest, keeper.digest))) : group.members;
    if (members.length < 2) return [];
    const kept = members === group.members ? group : { ...group, members };
    return [keepers ? withChosenKeeper(kept) : kept];
  });
  const folder = review.folderFilter.trim();
  return groups
    .filter((g) => review.filter !== 'exact' || g.exact)
    .filter((g) => review.filter !== 'near' || !g.exact)
    .filter((g) => review.filter !== 'decided' || g.members.some((m) => review.marked.has(m.path) || review.keepers.has(m.path)))
    .filter((g) => !folder || g.members.some((m) => m.path.includes(folder)))
    .sort(SORTS[review.sort]);
});

export const openGroup = computed(() => visibleGroups.value[review.groupIndex]);

export async function loadDecisions(): Promise<void> {
  await loadHistory();
  const rows = await db.decisions.toArray();
  for (const row of rows) {
    const ref = typeof row.value === 'string' && row.digests[0] ? { digest: row.digests[0], path: row.value } : undefined;
    if (row.kind === 'mark' && ref) taken.marks.set(row.id, ref);
    if (row.kind === 'not-duplicate' && row.digests.length === 2) review.notDuplicate.add(pairKey(row.digests[0]!, row.digests[1]!));
    if (row.kind === 'keeper' && ref) taken.keepers.set(row.id, ref);
  }
}

// Decisions are written before they show: what the screen says was decided survives a reload
// or a crash right after.
async function setMark(member: ContentRef, marked: boolean): Promise<void> {
  const ref = { digest: member.digest, path: member.path };
  if (marked) {
    await db.decisions.put({ id: markId(ref), kind: 'mark', digests: [ref.digest], value: ref.path, at: Date.now() } satisfies DecisionRow);
    taken.marks.set(markId(ref), ref);
  } else {
    await db.decisions.delete(markId(ref));
    taken.marks.delete(markId(ref));
  }
}

export async function toggleMark(member: GroupMember): Promise<void> {
  if (member.keeper || member.protected) return;
  const marked = !review.marked.has(member.path);
  await setMark(member, marked);
  if (marked) review.undo.push({ kind: 'mark', path: member.path, digest: member.digest });
}

export async function markNotDuplicate(member: GroupMember, keeper: GroupMember): Promise<void> {
  const digests: [string, string] = [member.digest, keeper.digest];
  await db.decisions.put({ id: `not-duplicate:${pairKey(...digests)}`, kind: 'not-duplicate', digests, at: Date.now() });
  review.notDuplicate.add(pairKey(...digests));
  review.undo.push({ kind: 'not-duplicate', digests });
  if (member.path && review.marked.has(member.path)) await setMark(member, false);
}

/** "Split here": these members' contents form a group of their own from now on. */
export async function splitOff(members: readonly GroupMember[]): Promise<void> {
  const digests = [...new Set(members.map((m) => m.digest))].sort();
  await db.decisions.put({ id: `split:${digests.join(',')}`, kind: 'split', digests, at: Date.now() });
  setSimilarity(library.similarity); // re-cut with the split applied
}

/** Makes `member` the copy to keep in `group` (remembered by content and path), replacing any
 *  earlier choice in that group. */
export async function chooseKeeper(member: GroupMember, group: DuplicateGroup): Promise<void> {
  if (member.keeper) return;
  if (review.marked.has(member.path)) await setMark(member, false);
  const inGroup = new Set(group.members.map((m) => m.digest));
  const replaced = [...taken.keepers].filter(([, ref]) => inGroup.has(ref.digest));
  const ref = { digest: member.digest, path: member.path };
  await db.transaction('rw', db.decisions, async () => {
    await db.decisions.bulkDelete(replaced.map(([id]) => id));
    await db.decisions.put({ id: keeperId(ref), kind: 'keeper', digests: [ref.digest], value: ref.path, at: Date.now() });
  });
  for (const [id] of replaced) taken.keepers.delete(id);
  taken.keepers.set(keeperId(ref), ref);
  review.undo.push({ kind: 'keeper', member, replaced: replaced.map(([, r]) => r) });
}

export async function undoLast(): Promise<void> {
  const last = review.undo.pop();
  if (!last) return;
  if (last.kind === 'mark') await setMark(last, false);
  else if (last.kind === 'marks') for (const ref of last.refs) await setMark(ref, false);
  else if (last.kind === 'keeper') {
    await db.transaction('rw', db.decisions, async () => {
      await db.decisions.delete(keeperId(last.member));
      await db.decisions.bulkPut(last.replaced.map((ref) => ({ id: keeperId(ref), kind: 'keeper' as const, digests: [ref.digest], value: ref.path, at: Date.now() })));
    });
    taken.keepers.delete(keeperId(last.member));
    for (const ref of last.replaced) taken.keepers.set(keeperId(ref), ref);
  } else {
    await db.decisions.delete(`not-duplicate:${pairKey(...last.digests)}`);
    review.notDuplicate.delete(pairKey(...last.digests));
  }
}

/** Every marked file with the members of its group that stay (the survivors main re-checks). */
export const pendingDeletion = computed(() => {
  const items: Array<{ member: GroupMember; keep: GroupMember[] }> = [];
  if (review.marked.size === 0) return items;
  for (const group of visibleGroups.value) {
    const staying = group.members.filter((m) => !review.marked.has(m.path));
    for (const member of group.members) if (review.marked.has(member.path)) items.push({ member, keep: staying });
  }
  return items;
});

/** Marks every non-keeper of the given groups (protected files and the keeper's RAW/HEIC/JPEG
 *  companions excepted); one undo step. */
export async function acceptSuggestions(groups: readonly DuplicateGroup[]): Promise<number> {
  const refs: ContentRef[] = [];
  for (const group of groups) {
    for (const member of group.members) {
      if (!member.keeper && !member.protected && !member.companion && !review.marked.has(member.path)) {
        await setMark(member, true);
        refs.push({ digest: member.digest, path: member.path });
      }
    }
  }
  if (refs.length) review.undo.push({ kind: 'marks', refs });
  return refs.length;
}

type Apply = (requests: TrashItem[]) => Promise<ActionResult[]>;

/** Journals the action before and after, asks main to act (it re-checks every file) and
 *  clears the marks of what moved. Sizes and mtimes come from the database: the file as it
 *  was hashed and reviewed. */
async function applyToMarked(kind: ActionRow['kind'], apply: Apply): Promise<ActionResult[]> {
  const items = pendingDeletion.value;
  const paths = [...new Set(items.flatMap((i) => [i.member.path, ...(i.member.otherNames ?? []), ...i.keep.map((m) => m.path)]))];
  const rows = new Map((await db.files.bulkGet(paths)).flatMap((row) => (row ? [[row.path, row] as const] : [])));
  // Each copy with the content it was reviewed as: main re-checks a survivor's size and digest.
  const asFile = (path: string, digest: string) => {
    const row = rows.get(path);
    return row ? [{ path, size: row.size, mtimeMs: row.mtimeMs, digest }] : [];
  };
  // A photo goes with every hard link of it in the library: one name alone frees nothing, and
  // the photo would come back under the other. Symlinks to it are left (main deletes no link);
  // they then lead nowhere and leave the library.
  const names = (member: GroupMember) => [member.path, ...(member.otherNames ?? []).filter((name) => rows.get(name)?.symlink !== true)];
  const requests: TrashItem[] = items.flatMap(({ member, keep }) => {
    const survivors = keep.flatMap((m) => asFile(m.path, m.digest));
    return names(member).flatMap((path) => asFile(path, member.digest).map((file) => ({ file, keep: survivors })));
  });
  const journal = await db.actions.add({ kind, at: Date.now(), state: 'started', files: requests.map((r) => ({ ...r.file })) });
  const results = await apply(requests);
  await db.actions.update(journal, {
    state: results.some((r) => r.status === 'failed') ? 'failed' : 'done',
    files: requests.map((r, k) => ({ ...r.file, to: results[k]?.to, moveId: results[k]?.moveId, state: results[k]?.status === 'moved' ? 'done' : 'failed', error: results[k]?.reason })),
  });
  for (const result of results) {
    const item = items.find((i) => i.member.path === result.path);
    if (result.status === 'moved' && item) await setMark(item.member, false);
  }
  review.lastResults = results;
  review.lastAction = kind;
  review.confirming = false;
  await loadHistory();
  return results;
}

const protectedFolders = () => [...(library.settings.protectedFolders ?? [])];
export const trashMarked = () => applyToMarked('trash', (requests) => api.trash(requests, protectedFolders()));
export const moveMarked = (destination: string) => applyToMarked('move', (requests) => api.moveToFolder(requests, destination, protectedFolders()));

export async function loadHistory(): Promise<void> {
  review.history = (await db.actions.orderBy('id').reverse().limit(50).toArray()) as ActionRow[];
}

/** The moved files of a move action main can put back (by the ids its journal gave them). */
export const restorableMoves = (action: ActionRow) => action.files.flatMap((f) => (f.state === 'done' && f.moveId ? [f.moveId] : []));

/** Moved files of a move action recorded before main journaled moves: put back by hand. */
export const movesWithoutId = (action: ActionRow) => action.files.filter((f) => f.state === 'done' && !f.moveId);

/** Puts the files of a move action back (main re-checks each one), and records that it was
 *  undone. */
export async function restoreAction(action: ActionRow): Promise<ActionResult[]> {
  const results = await api.restore(restorableMoves(action));
  await db.actions.update(action.id!, { restoredAt: Date.now() });
  review.lastResults = results;
  review.lastAction = 'restore';
  await loadHistory();
  return results;
}

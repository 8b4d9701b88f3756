// Acting on the marked files: what would go and what stays, moving them to the Trash or a
// folder through main (which re-checks every file), the journal of those actions and restoring
// a move.
import { computed, reactive, type ComputedRef } from 'vue';
import type { ActionResult, DoppelApi, Survivor, TrashItem } from '../../../src-core/api';
import type { DuplicateGroup, GroupMember } from '../../../src-core/cluster/groups';
import type { ActionsRepository } from '../data/actions-repository';
import type { ActionFile, ActionRow } from '../data/db';
import type { DecisionsStore } from './decisions-store';

/** The companions of a file that went with it. */
export const movedCompanions = (file: ActionFile) => (file.state === 'done' ? (file.companions ?? []).filter((c) => c.status === 'moved') : []);

/** The moved files of a move action main can put back (by the ids its journal gave them), their
 *  companions with them. */
export const restorableMoves = (action: ActionRow) => action.files.flatMap((f) => (f.state === 'done' && f.moveId ? [f.moveId, ...movedCompanions(f).flatMap((c) => (c.moveId ? [c.moveId] : []))] : []));

/** The trashed files of a trash action and their companions, as they were checked when trashed:
 *  main restores only a trashed copy with this size and digest. */
export const trashedFiles = (action: ActionRow): Survivor[] =>
  action.files.flatMap((f) => (f.state === 'done' ? [{ path: f.path, size: f.size, mtimeMs: f.mtimeMs, digest: f.digest }, ...movedCompanions(f).flatMap((c) => (c.digest && c.size !== undefined && c.mtimeMs !== undefined ? [{ path: c.path, size: c.size, mtimeMs: c.mtimeMs, digest: c.digest }] : []))] : []));

/** Moved files of a move action recorded before main journaled moves: put back by hand. */
export const movesWithoutId = (action: ActionRow) => action.files.filter((f) => f.state === 'done' && !f.moveId);

type Apply = (requests: TrashItem[]) => Promise<ActionResult[]>;

export function createDeletionStore(
  actions: ActionsRepository,
  api: Pick<DoppelApi, 'trash' | 'moveToFolder' | 'restore' | 'restoreFromTrash' | 'getAppInfo'>,
  visibleGroups: ComputedRef<DuplicateGroup[]>,
  { decisions, settled, clearMarks }: Pick<DecisionsStore, 'decisions' | 'settled' | 'clearMarks'>,
  /** Folders main must refuse to delete from (the settings'). */
  protectedFolders: () => string[],
) {
  const deletion = reactive({
    confirming: false,
    lastResults: [] as ActionResult[],
    /** What produced lastResults, for their wording. */
    lastAction: 'trash' as 'trash' | 'move' | 'restore',
    history: [] as ActionRow[],
    /** Whether main can put trashed files back (only Linux's freedesktop trash can be read);
     *  elsewhere History says they are in the system Trash. */
    trashReadable: false,
  });

  /** Every marked file with the members of its group that stay (the survivors main re-checks). */
  const pendingDeletion = computed(() => {
    const items: Array<{ member: GroupMember; keep: GroupMember[] }> = [];
    if (decisions.marked.size === 0) return items;
    for (const group of visibleGroups.value) {
      const staying = group.members.filter((m) => !decisions.marked.has(m.path));
      for (const member of group.members) if (decisions.marked.has(member.path)) items.push({ member, keep: staying });
    }
    return items;
  });

  /** Opens the confirmation once every change the person made is stored and shown, so it
   *  offers exactly what is marked (not the part of "mark all" written so far). */
  async function confirmMarked(): Promise<void> {
    await settled();
    deletion.confirming = pendingDeletion.value.length > 0;
  }

  async function loadHistory(): Promise<void> {
    deletion.trashReadable = (await api.getAppInfo()).platform === 'linux';
    deletion.history = await actions.recent();
  }

  /** Journals the action before and after, asks main to act (it re-checks every file) and
   *  clears the marks of what moved. Sizes and mtimes come from the database: the file as it
   *  was hashed and reviewed. */
  async function applyToMarked(kind: ActionRow['kind'], apply: Apply): Promise<ActionResult[]> {
    await settled();
    const items = pendingDeletion.value;
    const rows = await actions.files([...new Set(items.flatMap((i) => [i.member.path, ...(i.member.otherNames ?? []), ...i.keep.map((m) => m.path)]))]);
    // Each copy with the content it was reviewed as: main re-checks a survivor's size and digest.
    const asFile = (path: string, digest: string) => {
      const row = rows.get(path);
      return row ? [{ path, size: row.size, mtimeMs: row.mtimeMs, digest }] : [];
    };
    // What goes: the copy and its companions as listed (main moves them only if unchanged).
    const going = (path: string, digest: string) =>
      asFile(path, digest).map((file) => {
        const companions = rows.get(path)?.companions?.map(({ path: companion, size, mtimeMs }) => ({ path: companion, size, mtimeMs }));
        return companions?.length ? { ...file, companions } : file;
      });
    // A photo goes with every hard link of it in the library: one name alone frees nothing, and
    // the photo would come back under the other. Symlinks to it are left (main deletes no link);
    // they then lead nowhere and leave the library.
    const names = (member: GroupMember) => [member.path, ...(member.otherNames ?? []).filter((name) => rows.get(name)?.symlink !== true)];
    const requests: TrashItem[] = items.flatMap(({ member, keep }) => {
      const survivors = keep.flatMap((m) => asFile(m.path, m.digest));
      return names(member).flatMap((path) => going(path, member.digest).map((file) => ({ file, keep: survivors })));
    });
    const journal = await actions.start(
      kind,
      requests.map(({ file: { companions: _companions, ...file } }) => file),
    );
    const results = await apply(requests);
    await actions.finish(
      journal,
      results.some((r) => r.status === 'failed') ? 'failed' : 'done',
      requests.map(({ file: { companions: _companions, ...file } }, k) => ({ ...file, to: results[k]?.to, moveId: results[k]?.moveId, state: results[k]?.status === 'moved' ? 'done' : 'failed', error: results[k]?.reason, ...(results[k]?.companions ? { companions: results[k]!.companions } : {}) })),
    );
    const moved = new Set(results.filter((r) => r.status === 'moved').map((r) => r.path));
    await clearMarks(items.filter((i) => moved.has(i.member.path)).map((i) => i.member));
    deletion.lastResults = results;
    deletion.lastAction = kind;
    deletion.confirming = false;
    await loadHistory();
    return results;
  }

  const trashMarked = () => applyToMarked('trash', (requests) => api.trash(requests, protectedFolders()));
  const moveMarked = (destination: string) => applyToMarked('move', (requests) => api.moveToFolder(requests, destination, protectedFolders()));

  /** Puts the files of an action back (main re-checks each one), and records that it was
   *  undone. A trash action stays restorable until every file came back: a second try then
   *  says which are already back and why the others are not. */
  async function restoreAction(action: ActionRow): Promise<ActionResult[]> {
    const results = action.kind === 'trash' ? await api.restoreFromTrash(trashedFiles(action)) : await api.restore(restorableMoves(action));
    if (action.kind === 'move' || results.every((r) => r.status === 'moved')) await actions.markRestored(action.id!);
    deletion.lastResults = results;
    deletion.lastAction = 'restore';
    await loadHistory();
    return results;
  }

  return { deletion, pendingDeletion, confirmMarked, loadHistory, trashMarked, moveMarked, restoreAction };
}

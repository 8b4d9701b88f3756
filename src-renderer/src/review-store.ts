// The review screens' stores, built on the app's services: the person's decisions, what the
// screens show and which group is open, and acting on the marked files.
import { watch } from 'vue';
import { library } from './library-state';
import { setSimilarity } from './library-store';
import { createDecisionsStore } from './review/decisions-store';
import { createDeletionStore } from './review/deletion-store';
import { createReviewView } from './review/review-view';
import { api, repositories } from './services';

export { movesWithoutId, restorableMoves } from './review/deletion-store';
export type { GroupFilter, GroupSort } from './review/review-view';

const currentGroups = () => library.groups;

const decisionsStore = createDecisionsStore(repositories.decisions, currentGroups, () => setSimilarity(library.similarity));
export const { decisions, setMark, toggleMark, markNotDuplicate, splitOff, chooseKeeper, canUndo, undoLast, acceptSuggestions, unmarkAll } = decisionsStore;

// The cluster worker describes members against the chosen keeper: cut again when the choices
// change (compared as text: the set is rebuilt whenever the groups are).
watch(() => [...decisionsStore.decisions.keepers].sort().join('\n'), () => setSimilarity(library.similarity));

export const { review, visibleGroups, openGroup } = createReviewView(currentGroups, decisionsStore);

export const { deletion, pendingDeletion, confirmMarked, trashMarked, moveMarked, restoreAction, loadHistory } = createDeletionStore(
  repositories.actions,
  api,
  visibleGroups,
  decisionsStore,
  () => [...(library.settings.protectedFolders ?? [])],
);

/** The stored decisions and action history, read once at start. */
export async function loadDecisions(): Promise<void> {
  await loadHistory();
  await decisionsStore.load();
}

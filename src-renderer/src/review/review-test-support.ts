// Shared by the review stores' tests: groups as the cluster worker sends them, and the stores
// built on an in-memory database as review-store.ts builds them on the app's.
import { onTestFinished } from 'vitest';
import { ref } from 'vue';
import type { ActionResult, DoppelApi } from '../../../src-core/api';
import type { DuplicateGroup, GroupMember } from '../../../src-core/cluster/groups';
import { ActionsRepository } from '../data/actions-repository';
import { DecisionsRepository } from '../data/decisions-repository';
import { openTestDb } from '../data/test-support';
import { createDecisionsStore } from './decisions-store';
import { createDeletionStore } from './deletion-store';
import { createReviewView } from './review-view';

export function member(path: string, digest: string, facts: Partial<GroupMember> = {}): GroupMember {
  return { path, digest, keeper: false, similarity: 0.95, reason: 'edited copy', protected: false, size: 1_000_000, width: 4032, height: 3024, ...facts };
}

/** A group in the worker's order: the keeper first, a chain of merges over the members. */
export function group(members: GroupMember[], facts: Partial<DuplicateGroup> = {}): DuplicateGroup {
  const all = members.map((m, k) => (k === 0 ? { ...m, keeper: true, similarity: 1, reason: 'highest resolution' } : m));
  const merges: DuplicateGroup['merges'] = all.slice(1).map((_, k) => [k === 0 ? 0 : all.length + k - 1, k + 1, 0.9, k + 2]);
  return {
    id: 1,
    similarity: 0.9,
    exact: false,
    members: all,
    merges,
    order: all.map((_, k) => k),
    reclaimableBytes: all.slice(1).reduce((sum, m) => sum + m.size, 0),
    ...facts,
  };
}

export type ReviewApi = Pick<DoppelApi, 'trash' | 'moveToFolder' | 'restore' | 'restoreFromTrash' | 'getAppInfo'>;

/** Main's file actions as a fake: every file moves, to `/moved/<name>` with a journal id. */
export function movingApi(): ReviewApi & { calls: string[] } {
  const calls: string[] = [];
  const moved = (path: string): ActionResult => ({ path, status: 'moved', to: `/moved${path}`, moveId: `id-${path}` });
  return {
    calls,
    trash: async (items) => (calls.push('trash'), items.map((i) => ({ path: i.file.path, status: 'moved' as const }))),
    moveToFolder: async (items) => (calls.push('move'), items.map((i) => moved(i.file.path))),
    restore: async (ids) => (calls.push('restore'), ids.map((id) => ({ path: id.replace(/^id-/, ''), status: 'moved' as const }))),
    restoreFromTrash: async (files) => (calls.push('restoreFromTrash'), files.map((f) => ({ path: f.path, status: 'moved' as const }))),
    getAppInfo: async () => ({ version: 'test', host: 'browser', platform: 'linux', initialRoots: [] }),
  };
}

/** The review stores over a fresh database and `groups` (a ref tests replace). */
export function reviewStores(initial: DuplicateGroup[], api: ReviewApi = movingApi(), db = openTestDb()) {
  onTestFinished(() => db.delete());
  const groups = ref(initial);
  const recuts: number[] = [];
  const decisionsStore = createDecisionsStore(new DecisionsRepository(db), () => groups.value, () => recuts.push(1));
  const view = createReviewView(() => groups.value, decisionsStore);
  const protectedFolders: string[] = [];
  const deletion = createDeletionStore(new ActionsRepository(db), api, view.visibleGroups, decisionsStore, () => protectedFolders);
  return { db, groups, recuts, protectedFolders, ...decisionsStore, ...view, ...deletion };
}

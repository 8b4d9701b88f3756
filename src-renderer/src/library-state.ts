// What the screens show of the library: folders, counts, progress and the current groups.
// Plain reactive state; library-store and the services write it, components read it.
import { reactive } from 'vue';
import type { HashProgress, SkippedPath } from '../../src-core/api';
import type { DuplicateGroup } from '../../src-core/cluster/groups';
import type { HashErrorInfo } from '../../src-core/fingerprint';
import { DEFAULT_SIMILARITY } from '../../src-core/similarity/methods';
import type { SimilarShot } from '../../src-core/verify/similar-shots';
import type { SettingsRow } from './data/db';
import { noFiles, type FileCounts } from './data/file-counts';
import type { SliderStop } from './workers/cluster-library';

export interface RootView {
  path: string;
  networkDrive: boolean;
  counts: FileCounts;
  scanning: boolean;
  /** A remembered folder that cannot be reached now (an unmounted drive): why, while it lasts. */
  offline?: string;
  /** Links in it that lead out of it: not scanned, with the reason. */
  skipped: SkippedPath[];
  /** Its real path, as main watches it (the path shown is the one the person gave). */
  watchedAs?: string;
}

export function createLibraryState() {
  return reactive({
    roots: [] as RootView[],
    totals: noFiles(),
    progress: null as HashProgress | null,
    groups: [] as DuplicateGroup[],
    photos: 0,
    similarity: DEFAULT_SIMILARITY,
    histogram: [] as SliderStop[],
    clustering: false,
    unreadable: [] as Array<{ path: string; error: HashErrorInfo }>,
    message: '',
    settings: { id: 'settings' } as SettingsRow,
    /** Candidate pairs main is still comparing or the next candidate search hands over (the
     *  verification stage). */
    pairsToVerify: 0,
    similarShots: [] as SimilarShot[],
  });
}

export type LibraryState = ReturnType<typeof createLibraryState>;

export const library = createLibraryState();

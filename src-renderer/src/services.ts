// The renderer's composition root: the one place that creates the services (the connection to
// main, the database and its repositories, the sync worker that writes the library, the pair
// verifier, the cluster worker and the watched folders) and wires them together. Importing it starts them; tests build the parts themselves.
import { connectApi } from './api/connect';
import { onReconnected } from './api/connection';
import { ActionsRepository } from './data/actions-repository';
import { AlignmentRepository } from './data/alignment-repository';
import { DoppelDb } from './data/db';
import { DecisionsRepository } from './data/decisions-repository';
import { PairVerifier } from './data/pair-verifier';
import { RootsRepository } from './data/roots-repository';
import { SettingsRepository } from './data/settings-repository';
import { SyncClient } from './data/sync-port';
import { ClusteringClient } from './library/clustering-client';
import { createFolders } from './library/folders';
import { library } from './library-state';

export const api = connectApi();
const db = new DoppelDb();

export const repositories = {
  decisions: new DecisionsRepository(db),
  actions: new ActionsRepository(db),
  settings: new SettingsRepository(db),
  roots: new RootsRepository(db),
  alignments: new AlignmentRepository(db, api),
};

// The library's writes (main's events and results, counts, the change stamp) run in their own
// worker: storing a big scan's results there keeps the page's main thread free for the UI.
export const sync = new SyncClient(new Worker(new URL('./workers/sync.worker.ts', import.meta.url), { type: 'module' }), (paths) => api.hash(paths));

/** Pairs are verified only once every file is hashed: a first scan's results are not held up
 *  behind the verifier's writes and the re-clusters they cause, and the candidate search waits
 *  too (main refuses verification while hashing as well). */
const hashingDone = () => library.totals.pending === 0;

const verifier = new PairVerifier(db, api, (remaining, recorded, matched) => clustering.afterVerifiedBatch(remaining, recorded, matched), hashingDone);

export const clustering = new ClusteringClient(new Worker(new URL('./workers/cluster.worker.ts', import.meta.url), { type: 'module' }), verifier, library, (paths) => void sync.refreshFingerprints(paths));

export const folders = createFolders(library, {
  api,
  sync,
  roots: repositories.roots,
  groupsChanged: () => clustering.scheduleRecluster(),
  countsRead: () => verifier.resume(),
});

// A restarted host watches nothing: the folders are watched again once it answers.
onReconnected(() => void folders.rewatchAll());

// Web Worker: the library's one writer in this tab. It applies main's file events and hash
// results to the database (rows, fingerprints, packed blocks, counts, the change stamp), so the
// page's main thread only hands batches over and draws.
import { DoppelDb } from '../data/db';
import { HashRequests, serveSync, type FromSyncWorker, type SyncPort, type ToSyncWorker } from '../data/sync-port';
import { LibrarySync } from '../data/sync';

const port = self as unknown as SyncPort<ToSyncWorker, FromSyncWorker>;
const hashRequests = new HashRequests(port);
serveSync(port, new LibrarySync(new DoppelDb(), hashRequests.hash), hashRequests);

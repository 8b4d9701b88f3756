// The page's line to the sync worker (workers/sync.worker.ts), which owns the library's writes:
// main's file events and hash results, the counts, the change stamp. The page hands each batch
// over as it arrives and reads counts through here; the worker asks the page to call main's
// `hash` (only the page holds the connection to main).
import type { LibrarySync } from './sync';

/** The LibrarySync calls the page makes, each answered by the worker. */
export type SyncMethod =
  | 'beginScan'
  | 'missedScan'
  | 'settled'
  | 'applyFileEvents'
  | 'applyHashResults'
  | 'refreshFingerprints'
  | 'requeuePending'
  | 'markRootOffline'
  | 'forgetRoot'
  | 'rereadCounts'
  | 'counts'
  | 'unreadable';

/** The worker's LibrarySync as the page sees it: every call answers asynchronously. */
export type SyncCalls = {
  [M in SyncMethod]: (...args: Parameters<LibrarySync[M]>) => Promise<Awaited<ReturnType<LibrarySync[M]>>>;
};

export type ToSyncWorker = { kind: 'call'; id: number; method: SyncMethod; args: unknown[] } | { kind: 'hashed'; id: number; error?: string };

export type FromSyncWorker =
  | { kind: 'reply'; id: number; result?: unknown; error?: string; unreadableVersion: number }
  | { kind: 'hash'; id: number; paths: string[] };

/** A Worker, the worker's own scope, or one end of a MessageChannel. */
export interface SyncPort<In, Out> {
  postMessage(message: Out): void;
  onmessage: ((message: MessageEvent<In>) => void) | null;
}

/** The worker side: answers the page's calls with `sync`'s, one reply each. */
export function serveSync(port: SyncPort<ToSyncWorker, FromSyncWorker>, sync: LibrarySync, hashRequests: HashRequests): void {
  port.onmessage = async ({ data }) => {
    if (data.kind === 'hashed') return hashRequests.answered(data.id, data.error);
    const { id, method, args } = data;
    try {
      const result = await (sync[method] as (...a: unknown[]) => unknown)(...args);
      port.postMessage({ kind: 'reply', id, result, unreadableVersion: sync.unreadableVersion });
    } catch (error) {
      port.postMessage({ kind: 'reply', id, error: (error as Error).message, unreadableVersion: sync.unreadableVersion });
    }
  };
}

/** Calls sent across the port that wait for their answer, by id. */
class AwaitedReplies<T> {
  private nextId = 1;
  private readonly waiting = new Map<number, { resolve: (value: T) => void; reject: (error: Error) => void }>();

  /** A new id and the promise its answer settles. */
  open(): [number, Promise<T>] {
    const id = this.nextId++;
    return [id, new Promise<T>((resolve, reject) => this.waiting.set(id, { resolve, reject }))];
  }

  settle(id: number, value: T, error?: string): void {
    const waiter = this.waiting.get(id);
    this.waiting.delete(id);
    if (error === undefined) waiter?.resolve(value);
    else waiter?.reject(new Error(error));
  }
}

/** The worker's `hash(paths)`: asks the page to call main and waits for its answer. */
export class HashRequests {
  private readonly calls = new AwaitedReplies<void>();

  constructor(private readonly port: Pick<SyncPort<ToSyncWorker, FromSyncWorker>, 'postMessage'>) {}

  readonly hash = (paths: string[]): Promise<void> => {
    const [id, answered] = this.calls.open();
    this.port.postMessage({ kind: 'hash', id, paths });
    return answered;
  };

  answered(id: number, error?: string): void {
    this.calls.settle(id, undefined, error);
  }
}

/** The page side: LibrarySync's calls, run by the worker behind `port`. */
export class SyncClient implements SyncCalls {
  private readonly calls = new AwaitedReplies<unknown>();
  private failedVersion = 0;

  constructor(
    private readonly port: SyncPort<FromSyncWorker, ToSyncWorker>,
    hash: (paths: string[]) => Promise<void>,
  ) {
    port.onmessage = ({ data }) => {
      if (data.kind === 'hash') {
        hash(data.paths).then(
          () => port.postMessage({ kind: 'hashed', id: data.id }),
          (error: Error) => port.postMessage({ kind: 'hashed', id: data.id, error: error.message }),
        );
        return;
      }
      this.failedVersion = data.unreadableVersion;
      this.calls.settle(data.id, data.result, data.error);
    };
  }

  /** LibrarySync.unreadableVersion as of the worker's last reply. */
  get unreadableVersion(): number {
    return this.failedVersion;
  }

  beginScan = this.caller('beginScan');
  missedScan = this.caller('missedScan');
  settled = this.caller('settled');
  applyFileEvents = this.caller('applyFileEvents');
  applyHashResults = this.caller('applyHashResults');
  refreshFingerprints = this.caller('refreshFingerprints');
  requeuePending = this.caller('requeuePending');
  markRootOffline = this.caller('markRootOffline');
  forgetRoot = this.caller('forgetRoot');
  rereadCounts = this.caller('rereadCounts');
  counts = this.caller('counts');
  unreadable = this.caller('unreadable');

  private caller<M extends SyncMethod>(method: M): SyncCalls[M] {
    const call = (...args: unknown[]) => {
      const [id, answered] = this.calls.open();
      this.port.postMessage({ kind: 'call', id, method, args });
      return answered;
    };
    return call as SyncCalls[M];
  }
}

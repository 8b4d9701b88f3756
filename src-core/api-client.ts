// DoppelApi on top of any request/event transport: Electron IPC in the preload, a WebSocket
// in the browser. Keeps the two faces from drifting apart.
import type { ApiEvent, ApiMethod, DoppelApi, Unsubscribe } from './api';

export interface ApiTransport {
  call(method: ApiMethod, args: unknown[]): Promise<unknown>;
  /** Registers the single listener for every event main sends. */
  listen(listener: (event: ApiEvent, payload: unknown) => void): void;
}

export interface ApiUrls {
  thumbnailUrl(digest: string): string;
  imageUrl(path: string): string;
  viewUrl(digest: string, path: string): string;
}

export function createApiClient(transport: ApiTransport, urls: ApiUrls): DoppelApi {
  const listeners = new Map<ApiEvent, Set<(payload: never) => void>>();
  transport.listen((event, payload) => {
    for (const listener of listeners.get(event) ?? []) listener(payload as never);
  });
  const subscribe = <T>(event: ApiEvent, listener: (payload: T) => void): Unsubscribe => {
    const set = listeners.get(event) ?? new Set();
    listeners.set(event, set);
    set.add(listener as (payload: never) => void);
    return () => set.delete(listener as (payload: never) => void);
  };
  const call = <T>(method: ApiMethod, ...args: unknown[]) => transport.call(method, args) as Promise<T>;
  return {
    getAppInfo: () => call('getAppInfo'),
    watchRoot: (path, options) => call('watchRoot', path, options),
    unwatchRoot: (path) => call('unwatchRoot', path),
    relistRoot: (path) => call('relistRoot', path),
    hash: (paths) => call('hash', paths),
    pauseHashing: () => call('pauseHashing'),
    resumeHashing: () => call('resumeHashing'),
    cancelHashing: () => call('cancelHashing'),
    trash: (items, protectedFolders) => call('trash', items, protectedFolders),
    moveToFolder: (items, destination, protectedFolders) => call('moveToFolder', items, destination, protectedFolders),
    restore: (moveIds) => call('restore', moveIds),
    restoreFromTrash: (files) => call('restoreFromTrash', files),
    setHashOptions: (options) => call('setHashOptions', options),
    verifyPairs: (pairs) => call('verifyPairs', pairs),
    onFileEvents: (listener) => subscribe('fileEvents', listener),
    onHashResults: (listener) => subscribe('hashResults', listener),
    onProgress: (listener) => subscribe('progress', listener),
    thumbnailUrl: urls.thumbnailUrl,
    imageUrl: urls.imageUrl,
    viewUrl: urls.viewUrl,
  };
}

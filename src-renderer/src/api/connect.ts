// The renderer's one way to reach main: the preload's object in Electron, otherwise a
// WebSocket to the headless host that served this page.
import type { ApiEvent, ApiMethod, DoppelApi } from '../../../src-core/api';
import { createApiClient, type ApiTransport } from '../../../src-core/api-client';

export function connectApi(): DoppelApi {
  return window.doppel ?? createApiClient(webSocketTransport(`ws://${location.host}/api`), {
    thumbnailUrl: (digest) => `/thumb/${encodeURIComponent(digest)}`,
    imageUrl: (path) => `/file?path=${encodeURIComponent(path)}`,
    viewUrl: (digest, path) => `/view/${encodeURIComponent(digest)}?path=${encodeURIComponent(path)}`,
  });
}

interface Pending {
  resolve: (value: unknown) => void;
  reject: (error: Error) => void;
}

/** Requests wait for the socket to open; a dropped connection rejects what was in flight and
 *  reconnects (the host may restart). The session cookie set by the page load authenticates. */
function webSocketTransport(url: string): ApiTransport {
  let socket: WebSocket;
  let open: Promise<void>;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  let onEvent: (event: ApiEvent, payload: unknown) => void = () => undefined;

  const connect = () => {
    socket = new WebSocket(url);
    open = new Promise((resolve) => socket.addEventListener('open', () => resolve(), { once: true }));
    socket.addEventListener('message', (message) => {
      const data = JSON.parse(String(message.data)) as { id?: number; result?: unknown; error?: string; event?: ApiEvent; payload?: unknown };
      if (data.event) return onEvent(data.event, data.payload);
      const waiter = pending.get(data.id ?? -1);
      if (!waiter) return;
      pending.delete(data.id!);
      if (data.error) waiter.reject(new Error(data.error));
      else waiter.resolve(data.result);
    });
    socket.addEventListener('close', () => {
      for (const waiter of pending.values()) waiter.reject(new Error('connection to Doppel lost'));
      pending.clear();
      setTimeout(connect, 1000);
    });
  };
  connect();

  return {
    async call(method: ApiMethod, args: unknown[]) {
      await open;
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        socket.send(JSON.stringify({ id, method, args }));
      });
    },
    listen(listener) {
      onEvent = listener;
    },
  };
}

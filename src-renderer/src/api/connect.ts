// The renderer's one way to reach main: the preload's object in Electron, otherwise a
// WebSocket to the headless host that served this page.
import type { ApiEvent, ApiMethod, DoppelApi } from '../../../src-core/api';
import { createApiClient, type ApiTransport } from '../../../src-core/api-client';
import { CONNECTION_LOST, connectionBack, connectionLost, reconnectDelay } from './connection';

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

/** Requests wait for the socket to open; a dropped connection rejects what was in flight, says
 *  so (`connection`) and reconnects with backoff (the host may restart). The session cookie set
 *  by the page load authenticates, and a restarted host keeps its token. */
export function webSocketTransport(url: string): ApiTransport {
  let socket: WebSocket;
  /** Resolves once a socket is open; replaced by a pending one when an open socket closes. */
  let opened!: () => void;
  let open = new Promise<void>((resolve) => (opened = resolve));
  let failedAttempts = 0;
  let nextId = 1;
  const pending = new Map<number, Pending>();
  let onEvent: (event: ApiEvent, payload: unknown) => void = () => undefined;

  const connect = () => {
    socket = new WebSocket(url);
    let wasOpen = false;
    socket.addEventListener(
      'open',
      () => {
        wasOpen = true;
        failedAttempts = 0;
        connectionBack();
        opened();
      },
      { once: true },
    );
    socket.addEventListener('message', (message) => {
      const data = JSON.parse(String(message.data)) as { id?: number; result?: unknown; error?: string; event?: ApiEvent; payload?: unknown };
      if (data.event) return onEvent(data.event, data.payload);
      const waiter = pending.get(data.id ?? -1);
      if (!waiter) return;
      pending.delete(data.id!);
      if (data.error) waiter.reject(new Error(data.error));
      else waiter.resolve(data.result);
    });
    // A refused or failed connection closes too, so this is the one place that retries.
    socket.addEventListener('close', () => {
      if (wasOpen) open = new Promise<void>((resolve) => (opened = resolve));
      connectionLost();
      for (const waiter of pending.values()) waiter.reject(new Error(CONNECTION_LOST));
      pending.clear();
      setTimeout(connect, reconnectDelay(failedAttempts++));
    });
  };
  connect();

  return {
    async call(method: ApiMethod, args: unknown[]) {
      // A call made while disconnected waits for the next socket.
      await open;
      if (socket.readyState !== WebSocket.OPEN) throw new Error(CONNECTION_LOST);
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

// Preload (built as CommonJS so the renderer can run sandboxed): exposes DoppelApi and
// nothing else.
import { contextBridge, ipcRenderer } from 'electron';
import { IPC_CHANNELS, type ApiEvent } from '../src-core/api';
import { createApiClient } from '../src-core/api-client';
import { Batcher } from '../src-core/batcher';
import type { HashOutcome } from '../src-core/fingerprint';
import type { PortedOutcome } from '../src-core/hash-protocol';

const api = createApiClient(
  {
    call: (method, args) => ipcRenderer.invoke(IPC_CHANNELS.call, method, args),
    listen: (listener) => {
      ipcRenderer.on(IPC_CHANNELS.event, (_event, name: ApiEvent, payload: unknown) => listener(name, payload));
      // Outcomes straight from the hash workers, one per message, batched like main's.
      const outcomes = new Batcher<HashOutcome>((batch) => listener('hashResults', batch), 200, 200);
      ipcRenderer.on(IPC_CHANNELS.resultsPort, (event) => {
        const [port] = event.ports;
        if (!port) return;
        port.onmessage = (message: MessageEvent<PortedOutcome>) => outcomes.push(message.data.outcome);
        port.start();
      });
    },
  },
  {
    thumbnailUrl: (digest) => `doppel://thumb/${encodeURIComponent(digest)}`,
    imageUrl: (path) => `doppel://file/?path=${encodeURIComponent(path)}`,
    viewUrl: (digest, path) => `doppel://view/${encodeURIComponent(digest)}?path=${encodeURIComponent(path)}`,
  },
);

const chooseFolder = (): Promise<string | null> => ipcRenderer.invoke(IPC_CHANNELS.chooseFolder);

contextBridge.exposeInMainWorld('doppel', { ...api, chooseFolder });

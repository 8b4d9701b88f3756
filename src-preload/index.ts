// Preload (built as CommonJS so the renderer can run sandboxed): exposes DoppelApi and
// nothing else.
import { contextBridge, ipcRenderer } from 'electron';
import { IPC_CHANNELS, type ApiEvent } from '../src-core/api';
import { createApiClient } from '../src-core/api-client';

const api = createApiClient(
  {
    call: (method, args) => ipcRenderer.invoke(IPC_CHANNELS.call, method, args),
    listen: (listener) => ipcRenderer.on(IPC_CHANNELS.event, (_event, name: ApiEvent, payload: unknown) => listener(name, payload)),
  },
  {
    thumbnailUrl: (digest) => `doppel://thumb/${encodeURIComponent(digest)}`,
    imageUrl: (path) => `doppel://file/?path=${encodeURIComponent(path)}`,
  },
);

const chooseFolder = (): Promise<string | null> => ipcRenderer.invoke(IPC_CHANNELS.chooseFolder);

contextBridge.exposeInMainWorld('doppel', { ...api, chooseFolder });

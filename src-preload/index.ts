// Preload (built as CommonJS so the renderer can run sandboxed): exposes DoppelApi and
// nothing else.
import { contextBridge, ipcRenderer } from 'electron';
import { IPC_CHANNELS, type DoppelApi } from '../src-core/api';

const api: DoppelApi = {
  getAppInfo: () => ipcRenderer.invoke(IPC_CHANNELS.getAppInfo),
};

contextBridge.exposeInMainWorld('doppel', api);

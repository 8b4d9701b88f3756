// DoppelApi: the one object the renderer uses to reach main-side capabilities. The preload
// implements it over Electron IPC; the headless host implements it over a WebSocket.
export interface AppInfo {
  version: string;
  /** Which face of the engine serves this renderer. */
  host: 'electron' | 'browser';
  platform: string;
}

export interface DoppelApi {
  getAppInfo(): Promise<AppInfo>;
}

/** IPC channel names, shared by main and preload so they cannot drift apart. */
export const IPC_CHANNELS = {
  getAppInfo: 'doppel:get-app-info',
} as const;

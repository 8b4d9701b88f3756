// The built desktop main (out/main/index.js) run in Node against a stand-in for Electron that
// records what main registers: that the guards of docs/security.md are wired where Electron
// calls them (navigation, new windows, webviews, IPC, permissions, schemes and the images'
// CORS, the window's options). Whether Electron then honours them (a prevented navigation stays put) only the real
// binary can show: e2e/electron.spec.ts.
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { PROJECT_ROOT } from '../test/helpers';

const fake = vi.hoisted(() => {
  type Listener = (...args: never[]) => unknown;
  /** A web contents as main sees it: the listeners and window-open handler it was given. */
  class FakeContents {
    readonly listeners = new Map<string, Listener>();
    windowOpenHandler?: (details: { url: string }) => { action: string };
    readonly sent: unknown[][] = [];
    constructor(public url = '') {}
    on(name: string, listener: Listener) {
      this.listeners.set(name, listener);
      return this;
    }
    once(name: string, listener: Listener) {
      return this.on(name, listener);
    }
    setWindowOpenHandler(handler: (details: { url: string }) => { action: string }) {
      this.windowOpenHandler = handler;
    }
    getURL() {
      return this.url;
    }
    send(...args: unknown[]) {
      this.sent.push(args);
    }
  }
  class FakeWindow {
    readonly webContents = new FakeContents();
    constructor(readonly options: { webPreferences: Record<string, unknown> }) {
      state.windows.push(this);
    }
    once() {}
    loadURL(url: string) {
      this.webContents.url = url;
      return Promise.resolve();
    }
  }
  const state = {
    FakeContents,
    FakeWindow,
    userData: '',
    schemes: [] as { scheme: string; privileges: Record<string, boolean> }[],
    sandboxed: false,
    appListeners: new Map<string, (...args: unknown[]) => void>(),
    ipc: new Map<string, (event: unknown, ...args: unknown[]) => unknown>(),
    protocols: new Map<string, (request: Request) => Response | Promise<Response>>(),
    permissionRequest: undefined as undefined | ((contents: unknown, permission: string, callback: (granted: boolean) => void, details: { requestingUrl: string }) => void),
    permissionCheck: undefined as undefined | ((contents: unknown, permission: string, origin: string) => boolean),
    devicePermission: undefined as undefined | (() => boolean),
    windows: [] as FakeWindow[],
    openedExternally: [] as string[],
  };
  return state;
});

vi.mock('electron', () => ({
  app: {
    getPath: () => fake.userData,
    getVersion: () => '0.0.0-test',
    enableSandbox: () => (fake.sandboxed = true),
    whenReady: () => Promise.resolve(),
    on: (name: string, listener: (...args: unknown[]) => void) => fake.appListeners.set(name, listener),
  },
  BrowserWindow: Object.assign(fake.FakeWindow, { getAllWindows: () => fake.windows, fromWebContents: () => null }),
  ipcMain: { handle: (channel: string, handler: (event: unknown, ...args: unknown[]) => unknown) => fake.ipc.set(channel, handler) },
  protocol: { registerSchemesAsPrivileged: (schemes: typeof fake.schemes) => fake.schemes.push(...schemes), handle: (scheme: string, handler: (request: Request) => Response) => fake.protocols.set(scheme, handler) },
  session: {
    defaultSession: {
      setPermissionRequestHandler: (handler: typeof fake.permissionRequest) => (fake.permissionRequest = handler),
      setPermissionCheckHandler: (handler: typeof fake.permissionCheck) => (fake.permissionCheck = handler),
      setDevicePermissionHandler: (handler: typeof fake.devicePermission) => (fake.devicePermission = handler),
    },
  },
  shell: { openExternal: async (url: string) => void fake.openedExternally.push(url), trashItem: async () => {} },
  dialog: {},
  net: {},
  MessageChannelMain: class {},
  utilityProcess: {},
}));

const APP_PAGE = 'app://doppel/index.html';
const FOREIGN_PAGE = 'https://evil.example/';

/** A navigation-like event Electron would emit, with whether main prevented it. */
function navigation(url: string) {
  const event = { url, prevented: false, preventDefault: () => (event.prevented = true) };
  return event;
}

/** What the renderer's `ipcRenderer.invoke` on `channel` gets back, sent from `frame`. */
async function invoke(channel: string, frame: { url: string; parent: unknown } | null, ...args: unknown[]): Promise<unknown> {
  const handler = fake.ipc.get(channel);
  if (!handler) throw new Error(`no handler for ${channel}`);
  return handler({ senderFrame: frame, sender: fake.windows[0]?.webContents }, ...args);
}

describe('the built desktop main, against a stand-in for Electron', () => {
  let contents: InstanceType<typeof fake.FakeContents>;

  beforeAll(async () => {
    fake.userData = mkdtempSync(join(tmpdir(), 'doppel-electron-wiring-'));
    delete process.env.ELECTRON_RENDERER_URL;
    await import(/* @vite-ignore */ pathToFileURL(join(PROJECT_ROOT, 'out/main/index.js')).href);
    await vi.waitFor(() => expect(fake.windows).toHaveLength(1));
    contents = new fake.FakeContents(APP_PAGE);
    fake.appListeners.get('web-contents-created')!({}, contents);
  });

  it('registers app:// and doppel:// with the privileges of security/schemes.ts, and sandboxes every renderer', () => {
    expect(fake.schemes.map((s) => s.scheme)).toEqual(['app', 'doppel']);
    expect(fake.schemes.find((s) => s.scheme === 'doppel')!.privileges).toEqual({ standard: true, secure: true, corsEnabled: true });
    expect(fake.sandboxed).toBe(true);
  });

  it("serves doppel:// images to the app's page with its origin for CORS, and refuses another page's", async () => {
    const digest = createHash('sha256').update('a thumbnail').digest('hex');
    const thumbnail = join(fake.userData, 'thumbnails', digest.slice(0, 2), `${digest}.webp`);
    mkdirSync(dirname(thumbnail), { recursive: true });
    writeFileSync(thumbnail, 'webp bytes');
    const doppel = fake.protocols.get('doppel')!;
    const request = (origin?: string) => doppel(new Request(`doppel://thumb/${digest}`, { headers: origin ? { Origin: origin } : {} }));
    for (const answer of [await request('app://doppel'), await request()]) {
      expect(answer.status).toBe(200);
      expect(answer.headers.get('access-control-allow-origin')).toBe('app://doppel');
      expect(await answer.text()).toBe('webp bytes');
    }
    const foreign = await request(FOREIGN_PAGE.slice(0, -1));
    expect(foreign.status).toBe(403);
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull();
  });

  it('opens its window sandboxed, isolated, without Node or <webview>, on the app origin', () => {
    const [window] = fake.windows;
    expect(window!.options.webPreferences).toMatchObject({ sandbox: true, contextIsolation: true, nodeIntegration: false, webviewTag: false });
    expect(window!.webContents.getURL()).toBe(APP_PAGE);
  });

  it('cancels navigations and redirects off the app origin, in any frame', () => {
    for (const name of ['will-frame-navigate', 'will-redirect']) {
      const listener = contents.listeners.get(name) as (event: ReturnType<typeof navigation>) => void;
      expect(listener, name).toBeTypeOf('function');
      const away = navigation(FOREIGN_PAGE);
      listener(away);
      expect(away.prevented, name).toBe(true);
      const within = navigation('app://doppel/index.html#group');
      listener(within);
      expect(within.prevented, name).toBe(false);
    }
  });

  it('refuses every new window and <webview>, and opens no link outside', () => {
    for (const url of [FOREIGN_PAGE, APP_PAGE, 'file:///etc/passwd', 'smb://server/share']) {
      expect(contents.windowOpenHandler!({ url }), url).toEqual({ action: 'deny' });
    }
    expect(fake.openedExternally).toEqual([]);
    const attach = navigation(APP_PAGE);
    (contents.listeners.get('will-attach-webview') as (event: ReturnType<typeof navigation>) => void)(attach);
    expect(attach.prevented).toBe(true);
  });

  it("answers IPC from the app's main frame and refuses it from any other sender", async () => {
    await expect(invoke('doppel:call', { url: APP_PAGE, parent: null }, 'getAppInfo', [])).resolves.toMatchObject({ host: 'electron' });
    const senders = [{ url: FOREIGN_PAGE, parent: null }, { url: APP_PAGE, parent: {} }, null, { url: 'app://doppel.evil.example/', parent: null }];
    for (const frame of senders) {
      for (const channel of ['doppel:call', 'doppel:choose-folder']) {
        await expect(invoke(channel, frame, 'getAppInfo', []), `${channel} from ${JSON.stringify(frame)}`).rejects.toThrow(/IPC refused/);
      }
    }
  });

  it('denies permission requests, checks and devices, to the app page too', () => {
    for (const permission of ['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal']) {
      const answers: boolean[] = [];
      fake.permissionRequest!(contents, permission, (granted) => answers.push(granted), { requestingUrl: APP_PAGE });
      expect(answers, permission).toEqual([false]);
      expect(fake.permissionCheck!(contents, permission, 'app://doppel'), permission).toBe(false);
    }
    expect(fake.devicePermission!()).toBe(false);
  });
});

// Electron main process: windows, the app:// origin, the doppel:// image protocol and IPC.
// Thin glue: the services it wires up are the plain-Node ones the headless host also uses, the
// security guards are the pure ones in src-main/security (docs/security.md).
import { app, BrowserWindow, dialog, ipcMain, net, protocol, session, shell, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { join, normalize, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { API_METHODS, IPC_CHANNELS, type ApiMethod } from '../../src-core/api';
import { answerImageRequest, bodyOf, isImageRoute, type RouteAnswer } from '../files/image-routes';
import { ViewService } from '../hash/view-service';
import { ApiService } from '../library/api-service';
import { externalLinkToOpen } from '../security/external-links';
import { imageCorsHeaders } from '../security/image-cors';
import { isAppSender, isAppUrl, originOf, PACKAGED_APP_URL } from '../security/origin';
import { isPermissionGranted } from '../security/permissions';
import { PRIVILEGED_SCHEMES } from '../security/schemes';
import { UtilityWorkers } from './utility-worker';

const RENDERER_DIR = join(__dirname, '../renderer');

protocol.registerSchemesAsPrivileged([...PRIVILEGED_SCHEMES]);
// Every renderer sandboxed, whatever a window's own options say.
app.enableSandbox();

// The one origin whose pages are the app: app://doppel, or the dev server's under `npm run dev`.
const APP_URL = process.env.ELECTRON_RENDERER_URL ?? PACKAGED_APP_URL;
const APP_ORIGIN = originOf(APP_URL)!;
const isAppPage = (contents: WebContents): boolean => isAppUrl(contents.getURL(), APP_ORIGIN);

const THUMBNAIL_DIR = join(app.getPath('userData'), 'thumbnails');
const VIEW_DIR = join(app.getPath('userData'), 'views');
const WORKER_ENV = { ...process.env, DOPPEL_THUMBNAIL_DIR: THUMBNAIL_DIR };
const workers = new UtilityWorkers(join(__dirname, 'hash-worker.js'), WORKER_ENV);
const service = new ApiService({
  createWorker: workers.factory,
  appInfo: { version: app.getVersion(), host: 'electron', platform: process.platform, initialRoots: [] },
  moveToTrash: (path) => shell.trashItem(path),
  // Restore performs only the moves journaled here.
  journalPath: join(app.getPath('userData'), 'moves.jsonl'),
  // Outcomes reach the windows straight from the workers; this carries the rest (file events,
  // progress, and the outcomes of crashed or hung jobs).
  emit: (event, payload) => {
    for (const window of BrowserWindow.getAllWindows()) if (isAppPage(window.webContents)) window.webContents.send(IPC_CHANNELS.event, event, payload);
  },
});

// View images render in workers of their own, never connected to the windows: they post no
// outcomes.
const views = new ViewService({
  dir: VIEW_DIR,
  createWorker: new UtilityWorkers(join(__dirname, 'hash-worker.js'), WORKER_ENV).factory,
  isServable: (path) => service.isServable(path),
});
const imageRoutes = { thumbnailDir: THUMBNAIL_DIR, viewDir: VIEW_DIR, rootPaths: () => service.rootPaths(), views };

// Doppel uses no web permission (camera, notifications, HID, …): each request and check is
// answered by the policy, which denies them.
function denyPermissions(): void {
  const { defaultSession } = session;
  defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) => callback(isPermissionGranted(permission, details.requestingUrl, APP_ORIGIN)));
  defaultSession.setPermissionCheckHandler((_contents, permission, requestingOrigin) => isPermissionGranted(permission, requestingOrigin, APP_ORIGIN));
  defaultSession.setDevicePermissionHandler(() => false);
}

function serveProtocols(): void {
  protocol.handle('app', (request) => {
    const { pathname } = new URL(request.url);
    const file = normalize(join(RENDERER_DIR, decodeURIComponent(pathname === '/' ? '/index.html' : pathname)));
    if (!file.startsWith(RENDERER_DIR + sep)) return new Response('Forbidden', { status: 403 });
    return net.fetch(pathToFileURL(file).toString());
  });
  // doppel://thumb/<digest>, doppel://view/<digest>?path= and doppel://file/?path=: the image
  // routes the host serves over HTTP (files/image-routes.ts).
  // Only the app's page may read their pixels (the compare view's canvas): image-cors.ts.
  protocol.handle('doppel', async (request) => {
    const cors = imageCorsHeaders(request.headers.get('origin'), APP_ORIGIN);
    if (!cors) return new Response('Forbidden', { status: 403 });
    const url = new URL(request.url);
    if (!isImageRoute(url.host)) return new Response('Not found', { status: 404, headers: cors });
    const answer = await answerImageRequest({ route: url.host, name: url.pathname.slice(1), path: url.searchParams.get('path') ?? '' }, imageRoutes);
    return toResponse(answer, cors);
  });
}

async function toResponse(answer: RouteAnswer, cors: Record<string, string>): Promise<Response> {
  if ('status' in answer) return new Response(answer.text, { status: answer.status, headers: cors });
  const body = await bodyOf(answer.file);
  return new Response(body ? (Readable.toWeb(body) as unknown as ReadableStream<Uint8Array>) : null, { headers: { ...answer.headers, ...cors } });
}

function createWindow(): void {
  const window = new BrowserWindow({
    width: 1280,
    height: 820,
    title: 'Doppel',
    show: false,
    webPreferences: {
      preload: join(__dirname, '../preload/index.cjs'),
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      webviewTag: false,
    },
  });
  window.once('ready-to-show', () => window.show());
  window.webContents.on('did-finish-load', () => {
    if (isAppPage(window.webContents)) workers.connectWindow(window.webContents);
  });
  void window.loadURL(APP_URL);
}

// Every web contents (windows, and any other the app never means to make) stays on the app's
// origin, opens no window and attaches no <webview>.
app.on('web-contents-created', (_event, contents) => {
  const stayOnApp = (event: { url: string; preventDefault(): void }): void => {
    if (!isAppUrl(event.url, APP_ORIGIN)) event.preventDefault();
  };
  contents.on('will-frame-navigate', stayOnApp);
  contents.on('will-redirect', stayOnApp);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const link = externalLinkToOpen(url);
    if (link) void shell.openExternal(link);
    return { action: 'deny' };
  });
});

/** ipcMain.handle for messages from the app's own page only: any other sender is refused. */
function handleFromApp(channel: string, handler: (event: IpcMainInvokeEvent, ...args: unknown[]) => unknown): void {
  ipcMain.handle(channel, (event, ...args) => {
    const frame = event.senderFrame;
    if (!isAppSender(frame && { url: frame.url, isMainFrame: frame.parent === null }, APP_ORIGIN)) throw new Error(`IPC refused: ${channel} from a page that is not the app`);
    return handler(event, ...args);
  });
}

handleFromApp(IPC_CHANNELS.call, (_event, method, args) => {
  if (!API_METHODS.includes(method as ApiMethod) || !Array.isArray(args)) throw new Error('malformed API request');
  return service.call(method as ApiMethod, args);
});

handleFromApp(IPC_CHANNELS.chooseFolder, async (event) => {
  const window = BrowserWindow.fromWebContents(event.sender);
  const options = { title: 'Add a photo folder', properties: ['openDirectory' as const] };
  const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
});

void app.whenReady().then(() => {
  denyPermissions();
  serveProtocols();
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

// Hashing carries on while no window is open (macOS keeps the app alive); results go to the
// next window, whose sync layer re-requests whatever its database still lacks.
app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});
app.on('will-quit', () => void Promise.all([service.close(), views.close()]));

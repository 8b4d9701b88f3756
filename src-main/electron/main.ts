// Electron main process: windows, the app:// origin, the doppel:// image protocol and IPC.
// Thin glue: the services it wires up are the plain-Node ones the headless host also uses.
import { app, BrowserWindow, dialog, ipcMain, net, protocol, shell } from 'electron';
import { join, normalize, sep } from 'node:path';
import { Readable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { API_METHODS, IPC_CHANNELS, type ApiMethod } from '../../src-core/api';
import { contentType, openServable } from '../files/open-servable';
import { thumbnailPath } from '../hash/thumbnail';
import { ViewService } from '../hash/view-service';
import { ApiService } from '../library/api-service';
import { UtilityWorkers } from './utility-worker';

const RENDERER_DIR = join(__dirname, '../renderer');

// A custom scheme gives the renderer one stable origin, hence one IndexedDB, across runs.
protocol.registerSchemesAsPrivileged([
  // corsEnabled: module scripts and module workers load only from CORS-enabled schemes.
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } },
  { scheme: 'doppel', privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

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
    for (const window of BrowserWindow.getAllWindows()) window.webContents.send(IPC_CHANNELS.event, event, payload);
  },
});

// View images render in workers of their own, never connected to the windows: they post no
// outcomes.
const views = new ViewService({
  dir: VIEW_DIR,
  createWorker: new UtilityWorkers(join(__dirname, 'hash-worker.js'), WORKER_ENV).factory,
  isServable: (path) => service.isServable(path),
});

function serveProtocols(): void {
  protocol.handle('app', (request) => {
    const { pathname } = new URL(request.url);
    const file = normalize(join(RENDERER_DIR, decodeURIComponent(pathname === '/' ? '/index.html' : pathname)));
    if (!file.startsWith(RENDERER_DIR + sep)) return new Response('Forbidden', { status: 403 });
    return net.fetch(pathToFileURL(file).toString());
  });
  // doppel://thumb/<digest> (cached thumbnails), doppel://view/<digest>?path= (full-size JPEGs
  // of formats Chromium cannot show) and doppel://file/?path= (full images); the last two only
  // from inside watched folders.
  protocol.handle('doppel', async (request) => {
    const url = new URL(request.url);
    if (url.host === 'thumb') {
      let file: string;
      try {
        file = thumbnailPath(THUMBNAIL_DIR, url.pathname.slice(1));
      } catch {
        return new Response('Bad thumbnail name', { status: 400 });
      }
      return respondWithFile(file, [THUMBNAIL_DIR]);
    }
    const path = url.searchParams.get('path') ?? '';
    if (url.host === 'view') {
      // As over HTTP: the photo itself is opened first (a FIFO or a link swapped in is answered
      // at once), then its view image is made.
      const photo = await openServable(path, service.rootPaths(), true);
      if ('status' in photo) return new Response(photo.text, { status: photo.status });
      await photo.handle.close();
      const answer = await views.answer(url.pathname.slice(1), path);
      return 'status' in answer ? new Response(answer.message, { status: answer.status }) : respondWithFile(answer.file, [VIEW_DIR]);
    }
    if (url.host !== 'file') return new Response('Not found', { status: 404 });
    return respondWithFile(path, service.rootPaths(), true);
  });
}

/** The file's bytes from the descriptor openServable checked (see src-main/files/open-servable.ts). */
async function respondWithFile(path: string, within: readonly string[], photosOnly = false): Promise<Response> {
  const opened = await openServable(path, within, photosOnly);
  if ('status' in opened) return new Response(opened.text, { status: opened.status });
  const { handle, realPath, stats } = opened;
  const headers = { 'Content-Type': contentType(realPath), 'Content-Length': String(stats.size) };
  if (stats.size === 0) {
    await handle.close();
    return new Response(null, { headers });
  }
  const body = Readable.toWeb(handle.createReadStream({ start: 0, end: stats.size - 1 })) as unknown as ReadableStream<Uint8Array>;
  return new Response(body, { headers });
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
    },
  });
  window.once('ready-to-show', () => window.show());
  window.webContents.on('did-finish-load', () => workers.connectWindow(window.webContents));
  const devServer = process.env.ELECTRON_RENDERER_URL;
  void window.loadURL(devServer ?? 'app://doppel/index.html');
}

ipcMain.handle(IPC_CHANNELS.call, (_event, method: unknown, args: unknown) => {
  if (!API_METHODS.includes(method as ApiMethod) || !Array.isArray(args)) throw new Error('malformed API request');
  return service.call(method as ApiMethod, args);
});

ipcMain.handle(IPC_CHANNELS.chooseFolder, async (event) => {
  const window = BrowserWindow.fromWebContents(event.sender);
  const options = { title: 'Add a photo folder', properties: ['openDirectory' as const] };
  const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
});

void app.whenReady().then(() => {
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

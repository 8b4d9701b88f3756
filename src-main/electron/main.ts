// Electron main process: windows, the app:// origin and IPC. Thin glue: the services it
// wires up live in plain-Node modules that the CLI and the headless host share.
import { app, BrowserWindow, ipcMain, net, protocol } from 'electron';
import { join, normalize, sep } from 'node:path';
import { pathToFileURL } from 'node:url';
import { IPC_CHANNELS, type AppInfo } from '../../src-core/api';

const RENDERER_DIR = join(__dirname, '../renderer');

// A custom scheme gives the renderer one stable origin, hence one IndexedDB, across runs.
protocol.registerSchemesAsPrivileged([
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true } },
]);

function serveRenderer(): void {
  protocol.handle('app', (request) => {
    const { pathname } = new URL(request.url);
    const file = normalize(join(RENDERER_DIR, decodeURIComponent(pathname === '/' ? '/index.html' : pathname)));
    if (!file.startsWith(RENDERER_DIR + sep)) return new Response('Forbidden', { status: 403 });
    return net.fetch(pathToFileURL(file).toString());
  });
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
  const devServer = process.env.ELECTRON_RENDERER_URL;
  void window.loadURL(devServer ?? 'app://doppel/index.html');
}

ipcMain.handle(IPC_CHANNELS.getAppInfo, (): AppInfo => ({
  version: app.getVersion(),
  host: 'electron',
  platform: process.platform,
}));

void app.whenReady().then(() => {
  serveRenderer();
  createWindow();
  app.on('activate', () => {
    if (BrowserWindow.getAllWindows().length === 0) createWindow();
  });
});

app.on('window-all-closed', () => {
  if (process.platform !== 'darwin') app.quit();
});

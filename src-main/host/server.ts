// The headless host: the built renderer over HTTP and DoppelApi over a WebSocket, with the same
// main-side services the Electron app uses. A browser is the renderer.
import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import { API_METHODS, type ApiEvent, type ApiMethod, type AppInfo } from '../../src-core/api';
import type { WorkerFactory } from '../hash/pool';
import { thumbnailPath } from '../hash/thumbnail';
import { ViewService } from '../hash/view-service';
import { LibraryService } from '../library/service';
import { refusal, TOKEN_COOKIE, newToken, type AccessCheck } from './auth';

export interface HostOptions {
  rendererDir: string;
  /** Cached thumbnails (the hash workers write them there). */
  thumbnailDir: string;
  /** Cached full-size view images of formats browsers cannot show. */
  viewDir: string;
  createWorker: WorkerFactory;
  version: string;
  initialRoots: string[];
  host?: string;
  /** 0 picks a free port. */
  port?: number;
}

export interface RunningHost {
  url: string;
  port: number;
  token: string;
  service: LibraryService;
  close(): Promise<void>;
}

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.avif': 'image/avif',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.bmp': 'image/bmp',
};

interface ApiRequest {
  id: number;
  method: ApiMethod;
  args: unknown[];
}

export async function startHost(options: HostOptions): Promise<RunningHost> {
  const hostName = options.host ?? '127.0.0.1';
  const token = newToken();
  const sockets = new Set<WebSocket>();
  const appInfo: AppInfo = { version: options.version, host: 'browser', platform: process.platform, initialRoots: options.initialRoots };
  const broadcast = (event: ApiEvent, payload: unknown) => {
    const message = JSON.stringify({ event, payload });
    for (const socket of sockets) socket.send(message);
  };
  const service = new LibraryService({ createWorker: options.createWorker, appInfo, emit: broadcast });
  const views = new ViewService({ dir: options.viewDir, createWorker: options.createWorker, isServable: (path) => service.isServable(path) });
  const check: AccessCheck = { token, allowedHosts: new Set() };

  const server = createServer((request, response) => {
    void handleHttp(request, response).catch((error: Error) => send(response, 500, `internal error: ${error.message}`));
  });

  async function handleHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = new URL(request.url ?? '/', `http://${request.headers.host ?? hostName}`);
    const refused = refusal(request, url, check);
    if (refused) return send(response, 403, `Forbidden: ${refused}`);
    // Remember the token for the page's own requests (assets, images, the WebSocket).
    response.setHeader('Set-Cookie', `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
    if (url.pathname === '/file') return serveLibraryFile(response, url.searchParams.get('path') ?? '');
    if (url.pathname.startsWith('/thumb/')) return serveThumbnail(response, url.pathname.slice('/thumb/'.length));
    if (url.pathname.startsWith('/view/')) return serveView(response, url.pathname.slice('/view/'.length), url.searchParams.get('path') ?? '');
    return serveRendererFile(response, url.pathname);
  }

  async function serveRendererFile(response: ServerResponse, pathname: string): Promise<void> {
    const relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
    const file = normalize(join(options.rendererDir, relative));
    if (!file.startsWith(normalize(options.rendererDir) + sep)) return send(response, 403, 'Forbidden');
    return streamFile(response, file, { 'Cache-Control': 'no-cache' });
  }

  async function serveLibraryFile(response: ServerResponse, path: string): Promise<void> {
    if (!path || !(await service.isServable(path))) return send(response, 403, 'Forbidden: not inside a watched folder');
    return streamFile(response, path, { 'Cache-Control': 'private, max-age=60' });
  }

  async function serveThumbnail(response: ServerResponse, digest: string): Promise<void> {
    let file: string;
    try {
      file = thumbnailPath(options.thumbnailDir, digest);
    } catch {
      return send(response, 400, 'Bad thumbnail name');
    }
    // Content-addressed: a digest's thumbnail never changes.
    return streamFile(response, file, { 'Cache-Control': 'private, max-age=31536000, immutable' });
  }

  async function serveView(response: ServerResponse, digest: string, path: string): Promise<void> {
    const answer = await views.answer(digest, path);
    if ('status' in answer) return send(response, answer.status, answer.message);
    return streamFile(response, answer.file, { 'Cache-Control': 'private, max-age=31536000, immutable' });
  }

  const wss = new WebSocketServer({ noServer: true });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', `http://${request.headers.host ?? hostName}`);
    const refused = url.pathname === '/api' ? refusal(request, url, check) : 'not found';
    if (refused) {
      socket.end(`HTTP/1.1 403 Forbidden\r\nContent-Type: text/plain\r\n\r\n${refused}`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      ws.on('message', (data) => void answer(ws, String(data)));
    });
  });

  async function answer(ws: WebSocket, text: string): Promise<void> {
    let request: ApiRequest;
    try {
      request = JSON.parse(text) as ApiRequest;
    } catch {
      ws.send(JSON.stringify({ id: null, error: 'malformed API request' }));
      return;
    }
    if (!API_METHODS.includes(request.method) || !Array.isArray(request.args)) {
      ws.send(JSON.stringify({ id: request.id ?? null, error: `unknown method or arguments: ${String(request.method)}` }));
      return;
    }
    try {
      const result = await service.call(request.method, request.args);
      ws.send(JSON.stringify({ id: request.id, result: result ?? null }));
    } catch (error) {
      ws.send(JSON.stringify({ id: request.id, error: (error as Error).message }));
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, hostName, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  for (const name of [hostName, ...(hostName === '127.0.0.1' ? ['localhost'] : [])]) check.allowedHosts.add(`${name}:${port}`);

  return {
    url: `http://${hostName}:${port}/?token=${token}`,
    port,
    token,
    service,
    async close() {
      for (const socket of sockets) socket.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await Promise.all([service.close(), views.close()]);
    },
  };
}

function send(response: ServerResponse, status: number, text: string): void {
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(text);
}

async function streamFile(response: ServerResponse, file: string, headers: Record<string, string>): Promise<void> {
  let info;
  try {
    info = await stat(file);
  } catch {
    return send(response, 404, 'Not found');
  }
  if (!info.isFile()) return send(response, 404, 'Not found');
  response.writeHead(200, { 'Content-Type': CONTENT_TYPES[extname(file).toLowerCase()] ?? 'application/octet-stream', 'Content-Length': info.size, ...headers });
  createReadStream(file).pipe(response);
}

// The headless host: the built renderer over HTTP and DoppelApi over a WebSocket, with the same
// main-side services the Electron app uses. A browser is the renderer.
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join, normalize, sep } from 'node:path';
import { pipeline } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { ApiEvent, AppInfo } from '../../src-core/api';
import { answerImageRequest, bodyOf, openToSend, type ImageRequest, type RouteAnswer } from '../files/image-routes';
import type { WorkerFactory } from '../hash/pool';
import { ViewService } from '../hash/view-service';
import { ApiService } from '../library/api-service';
import { acceptedHosts, hostHeaderName, refusal, TOKEN_COOKIE, newToken, type AccessCheck } from './auth';
import { MAX_FRAME_BYTES, parseFrame } from './frames';

export interface HostOptions {
  rendererDir: string;
  /** Cached thumbnails (the hash workers write them there). */
  thumbnailDir: string;
  /** Cached full-size view images of formats browsers cannot show. */
  viewDir: string;
  /** Main's journal of move-to-folder moves (under `--data DIR`): restore performs only these.
   *  Without it, moving to a folder is refused. */
  journalPath?: string;
  createWorker: WorkerFactory;
  version: string;
  initialRoots: string[];
  host?: string;
  /** 0 picks a free port. */
  port?: number;
  /** More names browsers may use for this host (--allow-host), at its port. */
  allowHosts?: string[];
  /** The session token (`doppel serve` keeps one in its data folder); a new one when absent. */
  token?: string;
}

export interface RunningHost {
  url: string;
  port: number;
  token: string;
  service: ApiService;
  close(): Promise<void>;
}

export async function startHost(options: HostOptions): Promise<RunningHost> {
  const hostName = options.host ?? '127.0.0.1';
  const token = options.token ?? newToken();
  const sockets = new Set<WebSocket>();
  const appInfo: AppInfo = { version: options.version, host: 'browser', platform: process.platform, initialRoots: options.initialRoots };
  const broadcast = (event: ApiEvent, payload: unknown) => {
    const message = JSON.stringify({ event, payload });
    for (const socket of sockets) socket.send(message);
  };
  const service = new ApiService({ createWorker: options.createWorker, appInfo, emit: broadcast, journalPath: options.journalPath });
  const views = new ViewService({ dir: options.viewDir, createWorker: options.createWorker, isServable: (path) => service.isServable(path) });
  const imageRoutes = { thumbnailDir: options.thumbnailDir, viewDir: options.viewDir, rootPaths: () => service.rootPaths(), views };
  const check: AccessCheck = { token, allowedHosts: new Set() };

  const server = createServer((request, response) => {
    void handleHttp(request, response).catch((error: Error) => send(response, 500, `internal error: ${error.message}`));
  });

  async function handleHttp(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const url = requestUrl(request);
    if (!url) return send(response, 400, 'Bad request URL');
    const refused = refusal(request, url, check);
    if (refused) return send(response, 403, `Forbidden: ${refused}`);
    // Remember the token for the page's own requests (assets, images, the WebSocket).
    response.setHeader('Set-Cookie', `${TOKEN_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`);
    const image = imageRequest(url);
    if (image) return sendAnswer(response, await answerImageRequest(image, imageRoutes));
    return sendAnswer(response, await rendererFile(url.pathname));
  }

  async function rendererFile(pathname: string): Promise<RouteAnswer> {
    const relative = pathname === '/' ? 'index.html' : decodeURIComponent(pathname).replace(/^\/+/, '');
    const file = normalize(join(options.rendererDir, relative));
    if (!file.startsWith(normalize(options.rendererDir) + sep)) return { status: 403, text: 'Forbidden' };
    return openToSend(file, [options.rendererDir], 'no-cache');
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_FRAME_BYTES });
  server.on('upgrade', (request, socket, head) => {
    // A client that resets the connection must not become an unhandled 'error' event.
    socket.on('error', () => socket.destroy());
    const url = requestUrl(request);
    const refused = !url ? 'bad request URL' : url.pathname === '/api' ? refusal(request, url, check) : 'not found';
    if (refused) {
      socket.end(`HTTP/1.1 ${url ? '403 Forbidden' : '400 Bad Request'}\r\nContent-Type: text/plain\r\n\r\n${refused}`);
      return;
    }
    wss.handleUpgrade(request, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      // Protocol errors (a reserved opcode, invalid UTF-8, an unmasked or oversized frame) come
      // here after ws has closed the connection with the matching code; unheard, they would throw.
      ws.on('error', () => undefined);
      // Whatever else goes wrong answering ends this connection, never the host.
      ws.on('message', (data, isBinary) => void answer(ws, data, isBinary).catch(() => ws.terminate()));
    });
  });

  async function answer(ws: WebSocket, data: RawData, isBinary: boolean): Promise<void> {
    const frame = parseFrame(data, isBinary);
    if ('error' in frame) return ws.send(JSON.stringify(frame));
    const { id, method, args } = frame.request;
    try {
      const result = await service.call(method, args);
      ws.send(JSON.stringify({ id, result: result ?? null }));
    } catch (error) {
      ws.send(JSON.stringify({ id, error: (error as Error).message }));
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, hostName, () => resolve());
  });
  // After listening, a server error (an accept failing for want of file descriptors) is about
  // one connection: said, not fatal.
  server.on('error', (error) => process.stderr.write(`doppel serve: ${error.message}\n`));
  const port = (server.address() as AddressInfo).port;
  for (const host of acceptedHosts(hostName, port, options.allowHosts ?? [])) check.allowedHosts.add(host);

  return {
    url: `http://${hostHeaderName(hostName) ?? hostName}:${port}/?token=${token}`,
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

/** The request's path and query. Only those are used (the Host header is checked on its own),
 *  so the base is fixed; a target no URL can hold is undefined, answered with 400. */
function requestUrl(request: IncomingMessage): URL | undefined {
  try {
    return new URL(request.url ?? '/', 'http://doppel.invalid');
  } catch {
    return undefined;
  }
}

function send(response: ServerResponse, status: number, text: string): void {
  // Once a file's headers are out, an error can only cut the response short.
  if (response.headersSent) return void response.destroy();
  response.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8' });
  response.end(text);
}

/** `/thumb/<digest>`, `/view/<digest>?path=` and `/file?path=`; any other path is the renderer's. */
function imageRequest(url: URL): ImageRequest | undefined {
  const path = url.searchParams.get('path') ?? '';
  if (url.pathname === '/file') return { route: 'file', name: '', path };
  const named = /^\/(thumb|view)\/(.*)$/.exec(url.pathname);
  return named ? { route: named[1] as 'thumb' | 'view', name: named[2]!, path } : undefined;
}

/** Sends the file from the descriptor that was checked; pipeline closes the handle and ends the
 *  response on any error or an aborted request, so neither leaks nor throws. */
async function sendAnswer(response: ServerResponse, answer: RouteAnswer): Promise<void> {
  if ('status' in answer) return send(response, answer.status, answer.text);
  response.writeHead(200, answer.headers);
  const body = await bodyOf(answer.file);
  if (!body) return void response.end();
  pipeline(body, response, () => undefined);
}

// Starts test/host-child.ts (a real host from the sources) in a process of its own and talks to
// it over real HTTP, WebSockets and raw TCP: a request that would end the host shows as a dead
// process instead of taking the test runner down with it.
import { spawn, type ChildProcess } from 'node:child_process';
import { connect, type Socket } from 'node:net';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import WebSocket from 'ws';
import type { ChildHostOptions } from './host-child';
import { PROJECT_ROOT } from './helpers';

export interface ChildHost {
  port: number;
  token: string;
  process: ChildProcess;
  /** Exit code or signal once the process ended; undefined while it runs. */
  exited(): string | undefined;
  /** Everything the host wrote to stderr. */
  stderr(): string;
  stop(): Promise<void>;
}

export const NOBODY = { uid: 65534, gid: 65534 };

export function startChildHost(options: Omit<ChildHostOptions, 'rendererDir'>, user: { uid?: number; gid?: number; cwd?: string } = {}): Promise<ChildHost> {
  // tsx by its file: the package is not found from a working folder outside the project.
  const tsx = pathToFileURL(join(PROJECT_ROOT, 'node_modules/tsx/dist/loader.mjs')).href;
  const child = spawn(process.execPath, ['--import', tsx, join(PROJECT_ROOT, 'test/host-child.ts'), JSON.stringify({ rendererDir: join(PROJECT_ROOT, 'out/renderer'), ...options })], {
    cwd: user.cwd ?? PROJECT_ROOT,
    uid: user.uid,
    gid: user.gid,
    // tsx caches its transforms under the temp folder; HOME matters for "nobody" (/nonexistent).
    env: { ...process.env, HOME: user.cwd ?? process.env.HOME },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  let exit: string | undefined;
  child.stderr!.on('data', (chunk) => (stderr += chunk));
  child.on('exit', (code, signal) => (exit = `${code ?? signal}`));
  return new Promise((resolve, reject) => {
    let stdout: string | undefined = '';
    child.stdout!.on('data', (chunk) => {
      if (stdout === undefined) return;
      stdout += chunk;
      const line = /^HOST (.*)$/m.exec(stdout);
      if (!line) return;
      stdout = undefined;
      const { port, token } = JSON.parse(line[1]!) as { port: number; token: string };
      resolve({
        port,
        token,
        process: child,
        exited: () => exit,
        stderr: () => stderr,
        stop: () =>
          new Promise<void>((done) => {
            if (exit !== undefined) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
            setTimeout(() => child.kill('SIGKILL'), 5000).unref();
          }),
      });
    });
    child.once('exit', (code) => reject(new Error(`the host exited (${code}) before it started: ${stderr}`)));
  });
}

export interface HttpAnswer {
  status: number;
  body: Buffer;
}

/** GET with the session cookie (and any other headers). */
export async function httpGet(host: { port: number; token: string }, path: string, headers: Record<string, string> = {}, timeoutMs = 10_000): Promise<HttpAnswer> {
  const response = await fetch(`http://127.0.0.1:${host.port}${path}`, { headers: { Cookie: `doppel_token=${host.token}`, ...headers }, signal: AbortSignal.timeout(timeoutMs) });
  return { status: response.status, body: Buffer.from(await response.arrayBuffer()) };
}

export function openApiSocket(host: { port: number; token: string }): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api`, { headers: { Cookie: `doppel_token=${host.token}` } });
    ws.once('open', () => resolve(ws));
    ws.once('error', reject);
  });
}

export type ApiReply = { id: unknown; result?: unknown; error?: string };

/** The next reply on `ws` that `wanted` accepts (events and other replies are skipped). */
export function nextReply(ws: WebSocket, wanted: (message: { id?: unknown }) => boolean = (m) => 'id' in m, timeoutMs = 5000): Promise<ApiReply> {
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => finish(new Error(`no reply within ${timeoutMs} ms`)), timeoutMs);
    const onMessage = (data: WebSocket.RawData) => {
      const message = JSON.parse(String(data)) as { id?: unknown };
      if (wanted(message)) finish(undefined, message as ApiReply);
    };
    const onClose = () => finish(new Error('the host closed the connection'));
    const finish = (error?: Error, reply?: ApiReply) => {
      clearTimeout(timer);
      ws.off('message', onMessage);
      ws.off('close', onClose);
      if (error) reject(error);
      else resolve(reply!);
    };
    ws.on('message', onMessage);
    ws.on('close', onClose);
  });
}

/** One call on an open socket; resolves with the reply carrying `id`. */
export function apiCall(ws: WebSocket, id: number | string, method: string, args: unknown[] = [], timeoutMs = 10_000): Promise<ApiReply> {
  const reply = nextReply(ws, (message) => message.id === id, timeoutMs);
  ws.send(JSON.stringify({ id, method, args }));
  return reply;
}

/** The host answers getAppInfo on a fresh socket. */
export async function stillAnswers(host: { port: number; token: string }): Promise<boolean> {
  const ws = await openApiSocket(host);
  try {
    const reply = await apiCall(ws, 1, 'getAppInfo');
    return (reply.result as { version?: string } | undefined)?.version === 'test';
  } finally {
    ws.close();
  }
}

/** A raw TCP connection upgraded to a WebSocket by hand, for frames no WebSocket library sends. */
export function rawApiSocket(host: { port: number; token: string }): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(host.port, '127.0.0.1', () => {
      socket.write(
        [
          'GET /api HTTP/1.1',
          `Host: 127.0.0.1:${host.port}`,
          'Upgrade: websocket',
          'Connection: Upgrade',
          'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
          'Sec-WebSocket-Version: 13',
          `Cookie: doppel_token=${host.token}`,
          '',
          '',
        ].join('\r\n'),
      );
    });
    socket.on('error', () => undefined); // the host may reset it: that is an answer too
    let head = '';
    const onData = (chunk: Buffer) => {
      head += chunk.toString('latin1');
      if (!head.includes('\r\n\r\n')) return;
      socket.off('data', onData);
      if (head.startsWith('HTTP/1.1 101')) resolve(socket);
      else reject(new Error(`upgrade refused: ${head.split('\r\n')[0]}`));
    };
    socket.on('data', onData);
    socket.once('close', () => reject(new Error('closed during the upgrade')));
  });
}

/** A client frame: FIN, the opcode, masked (unless `masked` is false), the payload length in
 *  the shortest form unless `length` overrides what the header claims. */
export function clientFrame(opcode: number, payload: Buffer, { masked = true, length = payload.length }: { masked?: boolean; length?: number } = {}): Buffer {
  const header: number[] = [0x80 | opcode];
  const maskBit = masked ? 0x80 : 0;
  if (length < 126) header.push(maskBit | length);
  else if (length < 65536) header.push(maskBit | 126, length >> 8, length & 0xff);
  else {
    header.push(maskBit | 127);
    const big = Buffer.alloc(8);
    big.writeBigUInt64BE(BigInt(length));
    header.push(...big);
  }
  if (!masked) return Buffer.concat([Buffer.from(header), payload]);
  const mask = Buffer.from([0x12, 0x34, 0x56, 0x78]);
  const body = Buffer.from(payload.map((byte, k) => byte ^ mask[k % 4]!));
  return Buffer.concat([Buffer.from(header), mask, body]);
}

/** Writes bytes and waits until the host closes the connection (or `ms` pass). */
export function sendAndWaitClose(socket: Socket, bytes: Buffer, ms = 3000): Promise<'closed' | 'open'> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => {
      socket.destroy();
      resolve('open');
    }, ms);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve('closed');
    });
    socket.write(bytes);
  });
}

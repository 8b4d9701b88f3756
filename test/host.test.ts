// The headless host over real HTTP and a real WebSocket: token, Host and Origin checks, the
// API round trip, file events, hashing, and serving only files inside watched folders.
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { chmodSync, copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect, type Socket } from 'node:net';
import { hostname, networkInterfaces } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import WebSocket from 'ws';
import type { FileEvent } from '../src-core/api';
import type { HashOutcome } from '../src-core/fingerprint';
import { parseServeArgs } from '../src-main/cli/serve-command';
import { UsageError } from '../src-main/cli/usage';
import { builtWorkerPath, forkWorkerFactory } from '../src-main/hash/fork-worker';
import { thumbnailPath } from '../src-main/hash/thumbnail';
import { MAX_FRAME_BYTES } from '../src-main/host/frames';
import { startHost, type RunningHost } from '../src-main/host/server';
import { BENCH_ORIGINALS, PROJECT_ROOT, tempDir } from './helpers';
import { apiCall, clientFrame, httpGet, nextReply, NOBODY, openApiSocket, rawApiSocket, sendAndWaitClose, startChildHost, stillAnswers, type ChildHost } from './host-process';

const library = tempDir();
const outside = tempDir();
const thumbnailDir = join(tempDir(), 'thumbnails');
const viewDir = join(tempDir(), 'views');
let host: RunningHost;

beforeAll(async () => {
  mkdirSync(join(library, 'trip'));
  copyFileSync(join(BENCH_ORIGINALS, 'kpa_bar55.jpg'), join(library, 'trip', 'bar.jpg'));
  copyFileSync(join(BENCH_ORIGINALS, 'mate_Garden.jpg'), join(library, 'garden.jpg'));
  writeFileSync(join(outside, 'secret.jpg'), 'private');
  host = await startHost({ rendererDir: join(PROJECT_ROOT, 'out/renderer'), thumbnailDir, viewDir, createWorker: forkWorkerFactory(builtWorkerPath(), { env: { ...process.env, DOPPEL_THUMBNAIL_DIR: thumbnailDir } }), version: 'test', initialRoots: [library] });
});
afterAll(() => host.close());

function get(path: string, headers: Record<string, string> = {}): Promise<{ status: number; body: string; cookie?: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port: host.port, path, headers }, (res) => {
      let body = '';
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode!, body, cookie: res.headers['set-cookie']?.[0] }));
    });
    req.on('error', reject);
    req.end();
  });
}

const cookie = () => `doppel_token=${host.token}`;

function openSocket(headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${host.port}/api`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_req, res) => reject(new Error(`HTTP ${res.statusCode}`)));
    ws.once('error', reject);
  });
}

describe('doppel serve host', () => {
  it('prints a URL with a token on 127.0.0.1', () => {
    expect(host.url).toMatch(new RegExp(`^http://127\\.0\\.0\\.1:${host.port}/\\?token=[0-9a-f]{48}$`));
  });

  it('refuses requests without the token, with a wrong one, or for a foreign Host', async () => {
    expect((await get('/')).status).toBe(403);
    expect((await get('/?token=nope')).status).toBe(403);
    expect((await get(`/?token=${host.token}`, { Host: `evil.example:${host.port}` })).status).toBe(403);
    expect((await get(`/?token=${host.token}`, { Origin: 'http://evil.example' })).status).toBe(403);
  });

  it('serves the app with the token and remembers it in a cookie', async () => {
    const page = await get(`/?token=${host.token}`);
    expect(page.status).toBe(200);
    expect(page.body).toMatch(/<div id="app">/);
    expect(page.cookie).toMatch(/^doppel_token=[0-9a-f]{48}; HttpOnly; SameSite=Strict/);
    expect((await get('/', { Cookie: cookie() })).status).toBe(200);
  });

  it('refuses a WebSocket from a foreign origin or without the token', async () => {
    await expect(openSocket({ Origin: 'http://evil.example', Cookie: cookie() })).rejects.toThrow(/403/);
    await expect(openSocket({ Origin: `http://127.0.0.1:${host.port}` })).rejects.toThrow(/403/);
  });

  it('answers API calls, reports files of a watched folder and hashes them', async () => {
    const ws = await openSocket({ Origin: `http://127.0.0.1:${host.port}`, Cookie: cookie() });
    const events: FileEvent[] = [];
    const outcomes: HashOutcome[] = [];
    const replies = new Map<number, { result?: unknown; error?: string }>();
    ws.on('message', (data) => {
      const message = JSON.parse(String(data));
      if (message.event === 'fileEvents') events.push(...message.payload);
      else if (message.event === 'hashResults') outcomes.push(...message.payload);
      else if (message.id) replies.set(message.id, message);
    });
    /** Resolves once `check` holds, tested again after each message the host sends. */
    const until = (what: string, check: () => boolean, timeoutMs = 10_000) =>
      new Promise<void>((resolve, reject) => {
        const test = () => {
          if (!check()) return;
          clearTimeout(timer);
          ws.off('message', test);
          resolve();
        };
        const timer = setTimeout(() => {
          ws.off('message', test);
          reject(new Error(`timed out waiting for ${what}`));
        }, timeoutMs);
        ws.on('message', test);
        test();
      });
    let id = 0;
    const call = async (method: string, ...args: unknown[]) => {
      const mine = ++id;
      ws.send(JSON.stringify({ id: mine, method, args }));
      await until(`the reply to ${method}`, () => replies.has(mine), 15_000);
      return replies.get(mine)!;
    };
    expect((await call('getAppInfo')).result).toMatchObject({ host: 'browser', initialRoots: [library] });
    expect((await call('watchRoot', library)).error).toBeUndefined();
    await until('ready', () => events.some((e) => e.type === 'ready'));
    const added = events.flatMap((e) => (e.type === 'add' ? [e.file.path.split('/').pop()] : [])).sort();
    expect(added).toEqual(['bar.jpg', 'garden.jpg']);

    // A path outside the watched folders fails alone, with its own outcome: never read.
    expect((await call('hash', [join(outside, 'secret.jpg')])).error).toBeUndefined();
    await until('the outcome outside', () => outcomes.length >= 1);
    expect(outcomes.splice(0)).toEqual([{ ok: false, path: join(outside, 'secret.jpg'), error: { kind: 'outside', message: expect.stringMatching(/not inside a watched folder/) } }]);
    expect((await call('hash', [join(library, 'trip', 'bar.jpg'), join(library, 'garden.jpg')])).error).toBeUndefined();
    await until('two outcomes', () => outcomes.length >= 2);
    expect(outcomes.map((o) => o.ok)).toEqual([true, true]);
    // Each hashed photo got a WebP thumbnail ≤ 320 px, served by digest.
    for (const outcome of outcomes) {
      if (!outcome.ok) continue;
      const thumb = await get(`/thumb/${outcome.fingerprint.digest}`, { Cookie: cookie() });
      expect(thumb.status).toBe(200);
      const meta = await sharp(join(thumbnailDir, outcome.fingerprint.digest.slice(0, 2), `${outcome.fingerprint.digest}.webp`)).metadata();
      expect(meta.format).toBe('webp');
      expect(Math.max(meta.width!, meta.height!)).toBe(320);
      expect(meta.width! / meta.height!).toBeCloseTo(outcome.fingerprint.width / outcome.fingerprint.height, 1);
    }
    expect((await get('/thumb/..%2F..%2Fetc%2Fpasswd', { Cookie: cookie() })).status).toBe(400);
    expect((await get('/thumb/../../etc/passwd', { Cookie: cookie() })).status).toBe(404);
    expect((await call('frobnicate')).error).toBeDefined();
    ws.close();
  });

  it('serves images inside watched folders only', async () => {
    const inside = await get(`/file?path=${encodeURIComponent(join(library, 'garden.jpg'))}`, { Cookie: cookie() });
    expect(inside.status).toBe(200);
    const secret = await get(`/file?path=${encodeURIComponent(join(outside, 'secret.jpg'))}`, { Cookie: cookie() });
    expect(secret.status).toBe(403);
    const escape = await get(`/file?path=${encodeURIComponent(join(library, '..', outside.split('/').pop()!, 'secret.jpg'))}`, { Cookie: cookie() });
    expect(escape.status).toBe(403);
  });

  it('renders full-size view images of files inside watched folders only', async () => {
    // A two-page TIFF, which browsers cannot show: page 1 the photo (800×600), page 2 black.
    const page = await sharp(join(BENCH_ORIGINALS, 'kpa_bar55.jpg')).raw().toBuffer();
    const scan = join(library, 'scan.tif');
    await sharp(Buffer.concat([page, Buffer.alloc(page.length)]), { raw: { width: 800, height: 1200, channels: 3, pageHeight: 600 } }).tiff().toFile(scan);
    const digest = createHash('sha256').update(readFileSync(scan)).digest('hex');
    const view = (name: string, path: string) => fetch(`http://127.0.0.1:${host.port}/view/${name}?path=${encodeURIComponent(path)}`, { headers: { Cookie: cookie() } });

    const response = await view(digest, scan);
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('image/jpeg');
    const meta = await sharp(Buffer.from(await response.arrayBuffer())).metadata();
    expect([meta.format, meta.width, meta.height]).toEqual(['jpeg', 800, 600]);
    expect(readdirSync(viewDir)).toEqual([`${digest}.jpg`]);

    // The same guard as full images: nothing outside the watched folders is read or rendered.
    const photo = join(outside, 'photo.tif');
    await sharp(join(BENCH_ORIGINALS, 'mate_Garden.jpg')).tiff().toFile(photo);
    const photoDigest = createHash('sha256').update(readFileSync(photo)).digest('hex');
    expect((await view(photoDigest, photo)).status).toBe(403);
    expect((await view(photoDigest, join(library, '..', outside.split('/').pop()!, 'photo.tif'))).status).toBe(403);
    expect((await view(photoDigest, '')).status).toBe(403);
    expect(existsSync(join(viewDir, `${photoDigest}.jpg`))).toBe(false);
    expect((await view('..%2F..%2Fetc%2Fpasswd', scan)).status).toBe(400);
    expect((await fetch(`http://127.0.0.1:${host.port}/view/${digest}?path=${encodeURIComponent(scan)}`)).status).toBe(403); // no token

    // A file no decoder reads says so.
    const notes = join(library, 'notes.tif');
    writeFileSync(notes, 'not an image');
    const refused = await view(createHash('sha256').update('not an image').digest('hex'), notes);
    expect(refused.status).toBe(415);
    expect(await refused.text()).toMatch(/not an image, or an image format Doppel cannot read/);
  });
});

// Issue 14: hardening. Hosts that a request could stop run in a process of their own
// (test/host-child.ts): a crash shows as a dead process, not a dead test runner.

const deep = (depth: number, inner: string) => `${'['.repeat(depth)}${inner}${']'.repeat(depth)}`;

describe('one connection cannot stop the host', () => {
  const [thumbs, views] = [tempDir(), tempDir()];
  let child: ChildHost;
  beforeAll(async () => {
    child = await startChildHost({ thumbnailDir: thumbs, viewDir: views, roots: [] });
  });
  afterAll(() => child?.stop());

  it('answers every malformed call with an error and keeps the connection', async () => {
    const ws = await openApiSocket(child);
    const cases: Array<[frame: string, error: RegExp, id: unknown]> = [
      ['null', /not an API call/, null],
      ['[1,2]', /not an API call/, null],
      ['"getAppInfo"', /not an API call/, null],
      ['{"id":1,"method":"getAppInfo","args":[]', /not valid JSON/, null],
      [`{"id":${deep(10_000, '1')},"method":"getAppInfo","args":[]}`, /nested deeper than/, null],
      [`{"id":1,"method":${deep(10_000, '"x"')},"args":[]}`, /nested deeper than/, null],
      [`{"id":1,"method":"hash","args":[${deep(10_000, '"x"')}]}`, /nested deeper than/, null],
      ['{"id":{"a":1},"method":"getAppInfo","args":[]}', /id must be/, null],
      [`{"id":"${'x'.repeat(1000)}","method":"getAppInfo","args":[]}`, /id must be/, null],
      ['{"id":2,"method":["getAppInfo"],"args":[]}', /unknown method/, 2],
      ['{"id":3,"method":"toString","args":[]}', /unknown method/, 3],
      ['{"id":4,"method":"getAppInfo"}', /args must be a list/, 4],
      ['{"id":5,"method":"watchRoot","args":{"0":"/"}}', /args must be a list/, 5],
      ['{"id":6,"method":"watchRoot","args":[1]}', /watchRoot: argument 1 must be a string/, 6],
      ['{"id":7,"method":"hash","args":["/a"]}', /hash: argument 1 must be a list/, 7],
      ['{"id":8,"method":"getAppInfo","args":[1]}', /getAppInfo takes at most 0 arguments/, 8],
      ['{"id":"nine","method":"setHashOptions","args":[[]]}', /argument 1 must be an object/, 'nine'],
    ];
    for (const [frame, error, id] of cases) {
      ws.send(frame);
      const reply = await nextReply(ws);
      expect(reply.error, frame.slice(0, 60)).toMatch(error);
      expect(reply.id).toBe(id);
    }
    ws.send(Buffer.from('{"id":10,"method":"getAppInfo","args":[]}'), { binary: true });
    expect((await nextReply(ws)).error).toMatch(/binary frames are not API calls/);
    expect((await apiCall(ws, 11, 'getAppInfo')).result).toMatchObject({ version: 'test' });
    ws.close();
    expect(child.exited()).toBeUndefined();
  });

  it.each([
    ['a reserved opcode', clientFrame(0x3, Buffer.alloc(0))],
    ['invalid UTF-8 in a text frame', clientFrame(0x1, Buffer.from([0x7b, 0xff, 0xfe, 0x7d]))],
    ['an unmasked frame', clientFrame(0x1, Buffer.from('{}'), { masked: false })],
    ['a length header of 2 GiB', clientFrame(0x1, Buffer.alloc(0), { length: 2 ** 31 })],
    ['a frame just over the limit', clientFrame(0x1, Buffer.alloc(MAX_FRAME_BYTES + 1, 0x20))],
  ])('closes the connection on %s, and answers a valid call on a new one', async (_name, frame) => {
    const raw = await rawApiSocket(child);
    expect(await sendAndWaitClose(raw, frame)).toBe('closed');
    expect(await stillAnswers(child)).toBe(true);
    expect(child.exited()).toBeUndefined();
  });

  it('refuses an upgrade whose Host header no URL can hold, and keeps running', async () => {
    const answer = await new Promise<string>((resolve) => {
      const socket = connectRaw(child.port, `GET /api HTTP/1.1\r\nHost: a b\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\nCookie: doppel_token=${child.token}\r\n\r\n`);
      let text = '';
      socket.on('data', (chunk: Buffer) => (text += chunk));
      socket.on('close', () => resolve(text));
    });
    expect(answer).toMatch(/^HTTP\/1\.1 4\d\d/);
    expect(await stillAnswers(child)).toBe(true);
  });

  it('survives clients that reset the connection in the middle of an upgrade', async () => {
    const closed: Array<Promise<unknown>> = [];
    for (let k = 0; k < 50; k++) {
      const withToken = k % 2 === 0; // refused by the host, or upgraded by ws
      const socket = connectRaw(child.port, `GET /api HTTP/1.1\r\nHost: 127.0.0.1:${child.port}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n${withToken ? `Cookie: doppel_token=${child.token}\r\n` : ''}\r\n`);
      socket.once('connect', () => socket.resetAndDestroy());
      closed.push(new Promise((done) => socket.once('close', done)));
    }
    await Promise.all(closed);
    expect(await stillAnswers(child)).toBe(true);
    expect(child.exited()).toBeUndefined();
  });

  it(`takes the largest legitimate call: 10,000 files to trash with two survivors each (under ${MAX_FRAME_BYTES / 2 ** 20} MiB)`, async () => {
    // Long NAS paths (~200 characters) with non-ASCII names: about 8 MB of JSON.
    const path = (k: number) => `/volume1/photos/${'Familienurlaub 2019 – die lange Reise durch das Land/'.repeat(3)}IMG_${k}.jpg`;
    const copy = (k: number) => ({ path: path(k), size: 4_123_456, mtimeMs: 1_700_000_000_123.456, digest: 'cd'.repeat(32) });
    const items = Array.from({ length: 10_000 }, (_, k) => ({ file: { ...copy(k), digest: 'ab'.repeat(32) }, keep: [copy(k + 1e6), copy(k + 2e6)] }));
    const bytes = Buffer.byteLength(JSON.stringify({ id: 1, method: 'trash', args: [items, []] }));
    expect(bytes).toBeGreaterThan(7e6);
    expect(bytes * 3).toBeLessThan(MAX_FRAME_BYTES);
    const ws = await openApiSocket(child);
    const reply = await apiCall(ws, 1, 'trash', [items, []], 30_000);
    expect(reply.error).toBeUndefined();
    expect((reply.result as Array<{ status: string }>).every((r) => r.status === 'skipped')).toBe(true);
    ws.close();
  });
});

function connectRaw(port: number, text: string): Socket {
  const socket = connect(port, '127.0.0.1', () => socket.write(text));
  socket.on('error', () => undefined);
  return socket;
}

/** Flips `target` through `states` (a hard link to a file, a symlink, or absent) in a tight
 *  loop in a process of its own, for `ms`; each state arrives by an atomic rename. */
function flipper(target: string, states: Array<{ hardLink: string } | { symlink: string } | { absent: true }>, ms: number): ChildProcess {
  const script = `
    const fs = require('fs');
    const [target, states, ms] = [process.argv[1], JSON.parse(process.argv[2]), Number(process.argv[3])];
    const tmp = target + '.flip';
    for (let k = 0, end = Date.now() + ms; Date.now() < end; k++) {
      const state = states[k % states.length];
      try { fs.unlinkSync(tmp); } catch {}
      if (state.absent) { try { fs.unlinkSync(target); } catch {} continue; }
      if (state.symlink) fs.symlinkSync(state.symlink, tmp); else fs.linkSync(state.hardLink, tmp);
      fs.renameSync(tmp, target);
    }`;
  return spawn(process.execPath, ['-e', script, target, JSON.stringify(states), String(ms)], { stdio: 'inherit' });
}

/** Requests /file?path=`path` (8 at a time) until `flipping` ends or `max` were sent. */
async function hammer(child: ChildHost, path: string, flipping: ChildProcess, max = 400): Promise<Array<{ status: number; body: Buffer } | { failed: string }>> {
  let running = true;
  flipping.once('exit', () => (running = false));
  const answers: Array<{ status: number; body: Buffer } | { failed: string }> = [];
  const lane = async () => {
    while (running && answers.length < max) {
      answers.push(await httpGet(child, `/file?path=${encodeURIComponent(path)}`, {}, 5000).catch((error: Error) => ({ failed: error.message })));
    }
  };
  await Promise.all(Array.from({ length: 8 }, lane));
  if (flipping.exitCode === null) flipping.kill();
  return answers;
}

describe('serving files the host cannot or must not read', () => {
  const lib = tempDir();
  const elsewhere = tempDir();
  const thumbs = tempDir();
  const views = tempDir();
  const [lockedDir, lockedHome] = [tempDir(), tempDir()];
  const photoBytes = readFileSync(join(BENCH_ORIGINALS, 'kpa_bar55.jpg'));
  // As long as the photo: a leak then answers a whole, recognisable body (a shorter one would
  // leave the client waiting for the Content-Length the photo's stat promised).
  const secretBytes = Buffer.alloc(photoBytes.length, 'the outside file: nobody may read this over /file. ');
  // The racing files live in a hidden folder of the root: inside it for every check, but not
  // scanned, so thousands of flips a second do not bury the host in watcher events.
  const race = join(lib, '.race');
  let child: ChildHost;
  beforeAll(async () => {
    mkdirSync(race);
    writeFileSync(join(lib, 'photo.jpg'), photoBytes);
    writeFileSync(join(elsewhere, 'secret.jpg'), secretBytes);
    writeFileSync(join(lib, 'passwd'), 'root:x:0:0:root:/root:/bin/bash\n');
    writeFileSync(join(lib, 'notes.txt'), 'notes');
    symlinkSync(join(lib, 'passwd'), join(lib, 'passwd.jpg'));
    execFileSync('mkfifo', [join(lib, 'pipe.jpg'), join(lib, 'pipe.tif')]);
    child = await startChildHost({ thumbnailDir: thumbs, viewDir: views, roots: [lib] });
  });
  afterAll(() => child?.stop());

  it('answers a FIFO named like a photo at once, on /file, /view and /thumb', async () => {
    const digest = 'ab'.repeat(32);
    mkdirSync(dirname(thumbnailPath(thumbs, digest)), { recursive: true });
    execFileSync('mkfifo', [thumbnailPath(thumbs, digest)]);
    const started = Date.now();
    const file = await httpGet(child, `/file?path=${encodeURIComponent(join(lib, 'pipe.jpg'))}`, {}, 3000);
    expect([file.status, String(file.body)]).toEqual([404, 'Not found: not a regular file']);
    const view = await httpGet(child, `/view/${digest}?path=${encodeURIComponent(join(lib, 'pipe.tif'))}`, {}, 3000);
    expect([view.status, String(view.body)]).toEqual([404, 'Not found: not a regular file']);
    expect((await httpGet(child, `/thumb/${digest}`, {}, 3000)).status).toBe(404);
    expect(Date.now() - started).toBeLessThan(3000);
    expect(child.exited()).toBeUndefined();
  });

  it('serves only photos: not a passwd file, nor a photo-named link to one, in a watched folder', async () => {
    const file = (name: string) => httpGet(child, `/file?path=${encodeURIComponent(join(lib, name))}`);
    expect((await file('passwd')).status).toBe(403);
    expect(String((await file('passwd')).body)).toBe('Forbidden: not a photo');
    expect((await file('notes.txt')).status).toBe(403);
    expect((await file('passwd.jpg')).status).toBe(403);
    const photo = await file('photo.jpg');
    expect(photo.status).toBe(200);
    expect(photo.body.equals(photoBytes)).toBe(true);
  });

  it('never serves the outside file while x.jpg flips between a photo and a link to it', async () => {
    const x = join(race, 'x.jpg');
    const answers = await hammer(child, x, flipper(x, [{ hardLink: join(lib, 'photo.jpg') }, { symlink: join(elsewhere, 'secret.jpg') }], 3000));
    const statuses = new Set(answers.map((a) => ('status' in a ? a.status : a.failed)));
    expect(answers.some((a) => 'body' in a && a.body.equals(secretBytes))).toBe(false);
    expect([...statuses].every((s) => s === 200 || s === 403 || s === 404), [...statuses].join()).toBe(true);
    // Every photo sent is the whole photo (the bytes of the file that was opened and checked).
    expect(answers.every((a) => !('body' in a) || a.status !== 200 || a.body.equals(photoBytes))).toBe(true);
    expect(statuses.has(200)).toBe(true);
    expect(child.exited()).toBeUndefined();
  });

  it('answers at once and keeps running while x.jpg flips between a photo, a FIFO and nothing', async () => {
    const x = join(race, 'y.jpg');
    const answers = await hammer(child, x, flipper(x, [{ hardLink: join(lib, 'photo.jpg') }, { hardLink: join(lib, 'pipe.jpg') }, { absent: true }], 3000));
    const statuses = new Set(answers.map((a) => ('status' in a ? a.status : a.failed)));
    expect([...statuses].every((s) => s === 200 || s === 404), [...statuses].join()).toBe(true);
    expect(answers.every((a) => !('body' in a) || a.status !== 200 || a.body.equals(photoBytes))).toBe(true);
    expect(await stillAnswers(child)).toBe(true);
    expect(child.exited()).toBeUndefined();
  });

  it('answers 403 for a photo it may not open, and keeps running (as "nobody" when we are root)', async (context) => {
    const asRoot = process.getuid?.() === 0;
    if (asRoot && !canRunAsNobody()) context.skip('running as root and cannot start a process as "nobody" to make the mode real');
    const [dir, home] = [lockedDir, lockedHome];
    chmodSync(dir, 0o755);
    chmodSync(home, 0o777);
    writeFileSync(join(dir, 'locked.jpg'), photoBytes, { mode: 0o000 });
    writeFileSync(join(dir, 'open.jpg'), photoBytes, { mode: 0o644 });
    const locked = await startChildHost({ thumbnailDir: join(home, 'thumbs'), viewDir: join(home, 'views'), roots: [dir] }, asRoot ? { ...NOBODY, cwd: home } : { cwd: home });
    try {
      const refused = await httpGet(locked, `/file?path=${encodeURIComponent(join(dir, 'locked.jpg'))}`);
      expect([refused.status, String(refused.body)]).toEqual([403, 'Forbidden: permission denied']);
      expect((await httpGet(locked, `/file?path=${encodeURIComponent(join(dir, 'open.jpg'))}`)).status).toBe(200);
      expect(locked.exited()).toBeUndefined();
    } finally {
      await locked.stop();
    }
  });
});

/** True when a process started as "nobody" can read the sources and the built worker. */
function canRunAsNobody(): boolean {
  try {
    const script = `for (const f of ${JSON.stringify([builtWorkerPath(), join(PROJECT_ROOT, 'test/host-child.ts')])}) require('fs').accessSync(f, require('fs').constants.R_OK)`;
    execFileSync(process.execPath, ['-e', script], { ...NOBODY, stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

/** A status for a request to 127.0.0.1:`port` that says it is for `hostHeader`. */
function statusFor(port: number, hostHeader: string, headers: Record<string, string> = {}, path = '/'): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { Host: hostHeader, ...headers } }, (res) => {
      res.resume();
      resolve(res.statusCode!);
    });
    req.on('error', reject);
    req.end();
  });
}

/** How another machine on the network names this one: a LAN address, else its host name. */
function machineAddress(): string {
  const external = Object.values(networkInterfaces())
    .flat()
    .find((a) => a && !a.internal && a.family === 'IPv4');
  return external?.address ?? hostname();
}

describe('bound beyond loopback (--host 0.0.0.0, --allow-host)', () => {
  let open: RunningHost;
  beforeAll(async () => {
    open = await startHost({ rendererDir: join(PROJECT_ROOT, 'out/renderer'), thumbnailDir, viewDir, createWorker: forkWorkerFactory(builtWorkerPath()), version: 'test', initialRoots: [], host: '0.0.0.0', allowHosts: ['nas.example'] });
  });
  afterAll(() => open?.close());

  it("accepts the machine's own addresses and names, and names given with --allow-host", async () => {
    const port = open.port;
    const token = `/?token=${open.token}`;
    for (const name of [machineAddress(), hostname(), `${hostname()}.local`, 'localhost', '127.0.0.1', '[::1]', 'nas.example', 'NAS.Example']) {
      expect(await statusFor(port, `${name}:${port}`, {}, token), name).toBe(200);
    }
    expect(await statusFor(port, `${machineAddress()}:${port}`, { Origin: `http://${machineAddress()}:${port}` }, token)).toBe(200);
  });

  it('refuses a foreign name, a right name at another port, and a foreign Origin', async () => {
    const port = open.port;
    const token = `/?token=${open.token}`;
    expect(await statusFor(port, `evil.example:${port}`, {}, token)).toBe(403);
    expect(await statusFor(port, `${machineAddress()}:${port + 1}`, {}, token)).toBe(403);
    expect(await statusFor(port, `${machineAddress()}:${port}`, { Origin: `http://evil.example:${port}` }, token)).toBe(403);
    expect(await statusFor(port, `${machineAddress()}:${port}`)).toBe(403); // no token
  });

  it("keeps the strict check on loopback: the machine's other names are refused there", async () => {
    const token = `/?token=${host.token}`;
    expect(await statusFor(host.port, `${machineAddress()}:${host.port}`, {}, token)).toBe(403);
    expect(await statusFor(host.port, `${hostname()}:${host.port}`, {}, token)).toBe(403);
    expect(await statusFor(host.port, `localhost:${host.port}`, {}, token)).toBe(200);
  });

  it('reads repeated --allow-host NAME options from the command line, and refuses a name with a port', () => {
    const parsed = parseServeArgs(['--host', '0.0.0.0', '--allow-host', 'nas.example', '--allow-host', 'photos.lan', '/photos']);
    expect(parsed.allowHosts).toEqual(['nas.example', 'photos.lan']);
    expect(parsed.values.host).toBe('0.0.0.0');
    expect(parsed.positionals).toEqual(['/photos']);
    expect(parseServeArgs([]).allowHosts).toEqual([]);
    expect(() => parseServeArgs(['--allow-host', 'nas.example:8080'])).toThrow(UsageError);
    expect(() => parseServeArgs(['--allow-host', 'http://nas.example'])).toThrow(UsageError);
  });
});

describe('system folders are never roots', () => {
  const linkDir = tempDir();
  it('refuses /, /proc, /sys, /dev, /etc however they are spelled (.., a link)', async () => {
    const link = join(linkDir, 'etc-link');
    symlinkSync('/etc', link);
    const ws = await openApiSocket(host);
    let id = 0;
    for (const root of ['/etc', '/etc/../etc', link, '/dev', '/', '/proc', '/sys', '/proc/self/root', '/proc/self', '/sys/kernel']) {
      const reply = await apiCall(ws, ++id, 'watchRoot', [root]);
      expect(reply.error, root).toMatch(/^Cannot watch .*: a system folder, not a photo folder$/);
    }
    expect((await apiCall(ws, ++id, 'watchRoot', [library])).error).toBeUndefined();
    ws.close();
  });
});

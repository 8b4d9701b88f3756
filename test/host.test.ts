// The headless host over real HTTP and a real WebSocket: token, Host and Origin checks, the
// API round trip, file events, hashing, and serving only files inside watched folders.
import { createHash } from 'node:crypto';
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import sharp from 'sharp';
import WebSocket from 'ws';
import type { FileEvent } from '../src-core/api';
import type { HashOutcome } from '../src-core/fingerprint';
import { builtWorkerPath, forkWorkerFactory } from '../src-main/hash/fork-worker';
import { startHost, type RunningHost } from '../src-main/host/server';
import { BENCH_ORIGINALS, PROJECT_ROOT, tempDir } from './helpers';

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
    let id = 0;
    const call = async (method: string, ...args: unknown[]) => {
      const mine = ++id;
      ws.send(JSON.stringify({ id: mine, method, args }));
      for (let t = 0; t < 300 && !replies.has(mine); t++) await new Promise((r) => setTimeout(r, 50));
      return replies.get(mine)!;
    };
    expect((await call('getAppInfo')).result).toMatchObject({ host: 'browser', initialRoots: [library] });
    expect((await call('watchRoot', library)).error).toBeUndefined();
    for (let t = 0; t < 100 && !events.some((e) => e.type === 'ready'); t++) await new Promise((r) => setTimeout(r, 50));
    const added = events.flatMap((e) => (e.type === 'add' ? [e.file.path.split('/').pop()] : [])).sort();
    expect(added).toEqual(['bar.jpg', 'garden.jpg']);

    expect((await call('hash', [join(outside, 'secret.jpg')])).error).toMatch(/not inside a watched folder/);
    expect((await call('hash', [join(library, 'trip', 'bar.jpg'), join(library, 'garden.jpg')])).error).toBeUndefined();
    for (let t = 0; t < 200 && outcomes.length < 2; t++) await new Promise((r) => setTimeout(r, 50));
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

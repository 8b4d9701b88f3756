// The host's WebSocket API under 2,000 random and malformed frames, seeded (DOPPEL_FUZZ_SEED
// replays a run), against a live host in a process of its own over real sockets: random bytes
// as text and binary frames, raw protocol garbage, truncated JSON, every method with arguments
// of the wrong types and sizes, huge and deeply nested values, unknown methods and ids. After
// every hundred frames the host must still answer getAppInfo, and its memory stay bounded. It
// runs over a temp library whose files must all be there, unchanged, at the end (no fuzzed call
// carries a photo's real size and mtime, which trash and moveToFolder re-check).
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type WebSocket from 'ws';
import { API_METHODS } from '../src-core/api';
import { seededRandom } from '../src-core/random';
import { MAX_FRAME_BYTES } from '../src-main/host/frames';
import { BENCH_ORIGINALS, tempDir } from './helpers';
import { apiCall, openApiSocket, rawApiSocket, startChildHost, type ChildHost } from './host-process';

const SEED = Number(process.env.DOPPEL_FUZZ_SEED ?? 14);
const FRAMES = 2000;
const MAX_RSS_GROWTH_MB = 200;

const sandbox = tempDir('doppel-fuzz-');
const library = join(sandbox, 'library');
const photos = ['kpa_bar55.jpg', 'mate_Garden.jpg'].map((name) => join(library, name));
let child: ChildHost;

beforeAll(async () => {
  mkdirSync(join(library, 'sub'), { recursive: true });
  for (const path of photos) copyFileSync(join(BENCH_ORIGINALS, path.split('/').pop()!), path);
  // The host's working folder is the sandbox: relative fuzzed paths resolve inside it.
  child = await startChildHost({ thumbnailDir: join(sandbox, 'thumbs'), viewDir: join(sandbox, 'views'), roots: [library] }, { cwd: sandbox });
});
afterAll(() => child?.stop());

/** Resident memory of the host process, in MB. */
function rssMb(pid: number): number {
  return Number(execFileSync('ps', ['-o', 'rss=', '-p', String(pid)], { encoding: 'utf8' }).trim()) / 1024;
}

class Fuzz {
  private readonly next: () => number;
  constructor(seed: number) {
    this.next = seededRandom(seed);
  }
  int(n: number): number {
    return this.next() % n;
  }
  chance(p: number): boolean {
    return this.next() / 2 ** 32 < p;
  }
  pick<T>(items: readonly T[]): T {
    return items[this.int(items.length)]!;
  }
  bytes(n: number): Buffer {
    return Buffer.from(Array.from({ length: n }, () => this.int(256)));
  }
  string(max = 40): string {
    const alphabet = ['a', 'Z', '0', '/', '.', '..', ' ', '\\', '"', '\0', '\n', 'é', '😀', '\u202e', '%2e', '*', '?'];
    return Array.from({ length: this.int(max) }, () => this.pick(alphabet)).join('');
  }
  /** A path: in the sandbox, relative, junk, empty, too long, or a real photo's. */
  path(): string {
    switch (this.int(8)) {
      case 0:
        return join(sandbox, this.string(12));
      case 1:
        return join(library, 'sub', `${this.string(8)}.jpg`);
      case 2:
        return this.string(30);
      case 3:
        return '';
      case 4:
        return 'x'.repeat(4000 + this.int(2000));
      case 5:
        return this.pick(['/', '/etc', '/etc/passwd', '/proc/self/environ', '../../etc/passwd', '/dev/zero']);
      case 6:
        return this.pick(photos);
      default:
        return join(library, this.string(10));
    }
  }
  /** Any JSON value, at most `depth` levels deep. */
  value(depth = 3): unknown {
    switch (this.int(depth > 0 ? 9 : 6)) {
      case 0:
        return null;
      case 1:
        return this.chance(0.5);
      case 2:
        return this.pick([0, -1, 1.5, 2 ** 53 + 1, -1e308, 1e308, Number.MAX_SAFE_INTEGER]);
      case 3:
        return this.string();
      case 4:
        return this.path();
      case 5:
        return this.pick(['ab'.repeat(32), 'AB'.repeat(32), '0'.repeat(63)]);
      case 6:
        return Array.from({ length: this.int(5) }, () => this.value(depth - 1));
      case 7:
        return Array.from({ length: this.int(300) }, () => this.path());
      default:
        return Object.fromEntries(Array.from({ length: this.int(5) }, () => [this.pick(['path', 'size', 'mtimeMs', 'digest', 'file', 'keep', 'a', 'b', 'networkDrive', 'embedding', '__proto__', 'constructor', this.string(8)]), this.value(depth - 1)]));
    }
  }
  /** A file as trash, moveToFolder and verifyPairs take it, with a wrong part now and then; never
   *  a real photo's size and mtime. */
  file(): Record<string, unknown> {
    const file: Record<string, unknown> = { path: this.path(), size: this.int(10_000_000) + 1, mtimeMs: this.int(2 ** 31) * 1000 + 0.5, digest: this.pick(['ab'.repeat(32), 'nope']) };
    if (this.chance(0.3)) file[this.pick(['path', 'size', 'mtimeMs', 'digest'])] = this.value(1);
    return file;
  }
  /** Arguments for `method`: the right shape with fuzzed contents, or anything. */
  args(method: string): unknown[] {
    if (this.chance(0.3)) return Array.from({ length: this.int(4) }, () => this.value());
    const items = () => Array.from({ length: this.int(20) }, () => ({ file: this.file(), keep: Array.from({ length: this.int(3) }, () => this.file()) }));
    switch (method) {
      case 'watchRoot':
        return [this.pick([join(sandbox, this.string(6)), library, this.path()]), this.pick([undefined, null, { networkDrive: this.value(0) }])];
      case 'unwatchRoot':
        return [this.path()];
      case 'hash':
        return [Array.from({ length: this.int(50) }, () => this.path()).filter((p) => !photos.includes(p))];
      case 'trash':
        return [items(), this.pick([[], [library], this.value(1)])];
      case 'moveToFolder':
        return [items(), join(sandbox, 'moved', this.string(6)), []];
      case 'restore':
        return [Array.from({ length: this.int(5) }, () => this.pick([this.string(20), { from: this.path(), to: this.path() }, this.value(1)]))];
      case 'setHashOptions':
        return [this.pick([{ embedding: false }, { embedding: this.value(0) }, this.value()])];
      case 'verifyPairs':
        return [Array.from({ length: this.int(4) }, () => ({ a: { path: this.path(), digest: 'ab'.repeat(32) }, b: { path: this.path(), digest: this.value(0) } }))];
      default:
        return [];
    }
  }
  id(): unknown {
    return this.pick([this.int(1e6), `s${this.int(1e6)}`, null, -1.5, 'x'.repeat(100), { id: 1 }, [1], true]);
  }
}

type Attack = { text: string } | { binary: Buffer } | { invalidText: Buffer } | { raw: Buffer; upgraded: boolean };

function attack(fuzz: Fuzz): Attack {
  const roll = fuzz.int(100);
  const method = fuzz.chance(0.9) ? fuzz.pick(API_METHODS) : fuzz.pick(['frobnicate', 'toString', '__proto__', 'constructor', 'hasOwnProperty', '', 'GETAPPINFO']);
  const call = () => JSON.stringify({ id: fuzz.id(), method, args: fuzz.args(method) });
  if (roll < 55) return { text: call() };
  if (roll < 62) return { text: call().slice(0, fuzz.int(60)) }; // truncated JSON
  if (roll < 68) {
    const depth = fuzz.pick([20, 500, 10_000, 100_000]);
    const nested = `${'['.repeat(depth)}${']'.repeat(depth)}`;
    return { text: fuzz.pick([`{"id":${nested},"method":"getAppInfo","args":[]}`, `{"id":1,"method":${nested},"args":[]}`, `{"id":1,"method":"${method}","args":[${nested}]}`, nested]) };
  }
  if (roll < 71) {
    // Huge: a few MB in one argument; now and then past the frame limit (closes the socket).
    const size = fuzz.chance(0.15) ? MAX_FRAME_BYTES + 1 : 1 + fuzz.int(3_000_000);
    return { text: JSON.stringify({ id: 1, method, args: [fuzz.pick(['x', '/', '\\u00e9']).repeat(size / 6)] }).padEnd(size, ' ') };
  }
  if (roll < 76) return { text: JSON.stringify(fuzz.value(4)) };
  if (roll < 82) return { binary: fuzz.chance(0.5) ? fuzz.bytes(fuzz.int(200)) : Buffer.from(call()) };
  if (roll < 88) return { invalidText: fuzz.bytes(1 + fuzz.int(100)) };
  return { raw: fuzz.bytes(1 + fuzz.int(64)), upgraded: fuzz.chance(0.7) };
}

/** Raw bytes on a TCP connection (upgraded to a WebSocket, or not), then hang up. */
async function sendRaw(host: ChildHost, bytes: Buffer, upgraded: boolean): Promise<void> {
  const socket = upgraded ? await rawApiSocket(host) : connect(host.port, '127.0.0.1');
  socket.on('error', () => undefined);
  await new Promise<void>((done) => {
    socket.write(bytes);
    const timer = setTimeout(done, 20);
    socket.once('close', () => {
      clearTimeout(timer);
      done();
    });
  });
  socket.destroy();
}

describe('host fuzz', () => {
  it(`answers or closes on ${FRAMES} random frames (seed ${SEED}) and keeps serving, in bounded memory`, async () => {
    const fuzz = new Fuzz(SEED);
    let ws: WebSocket | undefined;
    const socket = async () => {
      if (!ws || ws.readyState !== ws.OPEN) {
        ws = await openApiSocket(child);
        ws.on('error', () => undefined);
      }
      return ws;
    };
    expect((await apiCall(await socket(), 'warm-up', 'getAppInfo')).result).toMatchObject({ version: 'test' });
    const baseline = rssMb(child.process.pid!);
    let peak = baseline;
    for (let k = 1; k <= FRAMES; k++) {
      const frame = attack(fuzz);
      if ('raw' in frame) await sendRaw(child, frame.raw, frame.upgraded);
      else {
        const open = await socket();
        if ('text' in frame) open.send(frame.text);
        else if ('binary' in frame) open.send(frame.binary, { binary: true });
        else open.send(frame.invalidText, { binary: false });
      }
      if (k % 100 === 0) {
        // Replies to calls still running may come first: apiCall waits for its own id.
        const info = await apiCall(await socket(), `check-${k}`, 'getAppInfo', [], 30_000).catch(async () => apiCall(await socket(), `retry-${k}`, 'getAppInfo', [], 30_000));
        expect(info.result, `after ${k} frames`).toMatchObject({ version: 'test' });
        expect(child.exited(), `after ${k} frames`).toBeUndefined();
        peak = Math.max(peak, rssMb(child.process.pid!));
        expect(peak - baseline, `host memory after ${k} frames (MB)`).toBeLessThan(MAX_RSS_GROWTH_MB);
      }
    }
    ws?.close();
    // Nothing was deleted, moved or changed.
    for (const path of photos) expect(readFileSync(path).equals(readFileSync(join(BENCH_ORIGINALS, path.split('/').pop()!))), path).toBe(true);
  }, 180_000);
});

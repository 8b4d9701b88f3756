// Bad input through the real pool and real files: each case gets a clear, typed error,
// and none of them crashes a worker or stops the batch.
import { execFileSync } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, symlinkSync, unlinkSync, writeFileSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { HashOutcome } from '../src-core/fingerprint';
import { walkImageFiles } from '../src-main/files/walk';
import { builtWorkerPath, forkWorkerFactory } from '../src-main/hash/fork-worker';
import { WorkerPool } from '../src-main/hash/pool';
import { BENCH_ORIGINALS, tempDir } from './helpers';

const dir = tempDir();
const PHOTO = join(BENCH_ORIGINALS, 'kpa_bar55.jpg');
let pool: WorkerPool;

beforeAll(() => {
  pool = new WorkerPool({ createWorker: forkWorkerFactory(), size: 2 });
});
afterAll(() => pool.close());

/** A PNG whose header claims `width`×`height` pixels but carries almost no data. */
function pngHeaderOnly(width: number, height: number): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(height, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.alloc(64))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

function crc32(bytes: Buffer): number {
  let crc = 0xffffffff;
  for (const byte of bytes) {
    crc ^= byte;
    for (let k = 0; k < 8; k++) crc = crc & 1 ? (crc >>> 1) ^ 0xedb88320 : crc >>> 1;
  }
  return (crc ^ 0xffffffff) >>> 0;
}

function expectError(outcome: HashOutcome, kind: string, message: RegExp): void {
  expect(outcome.ok).toBe(false);
  if (!outcome.ok) {
    expect(outcome.error.kind).toBe(kind);
    expect(outcome.error.message).toMatch(message);
  }
}

describe('bad input', () => {
  it('zero-byte file → empty', async () => {
    const path = join(dir, 'zero.jpg');
    writeFileSync(path, '');
    expectError(await pool.hash(path), 'empty', /empty/);
  });

  it('truncated JPEG → truncated, not hashed with grey fill', async () => {
    const bytes = readFileSync(PHOTO);
    const path = join(dir, 'truncated.jpg');
    writeFileSync(path, bytes.subarray(0, Math.floor(bytes.length * 0.6)));
    expectError(await pool.hash(path), 'truncated', /ends early/);
  });

  it('truncated PNG → truncated', async () => {
    const png = await sharp(PHOTO).png().toBuffer();
    const path = join(dir, 'truncated.png');
    writeFileSync(path, png.subarray(0, Math.floor(png.length * 0.5)));
    expectError(await pool.hash(path), 'truncated', /ends early/);
  });

  it('a text file named .jpg → unsupported', async () => {
    const path = join(dir, 'notes.jpg');
    writeFileSync(path, 'these are not pixels\n');
    expectError(await pool.hash(path), 'unsupported', /not an image/);
  });

  it('a directory named x.jpg → not-a-file', async () => {
    const path = join(dir, 'x.jpg');
    mkdirSync(path);
    expectError(await pool.hash(path), 'not-a-file', /folder/);
  });

  it('an image over the pixel limit → too-large, without decoding it', async () => {
    const path = join(dir, 'bomb.png');
    writeFileSync(path, pngHeaderOnly(100_000, 100_000));
    expectError(await pool.hash(path), 'too-large', /pixel limit/);
  });

  it('a file deleted between listing and hashing → vanished', async () => {
    const sub = join(dir, 'vanishing');
    mkdirSync(sub);
    copyFileSync(PHOTO, join(sub, 'soon-gone.jpg'));
    const listed: string[] = [];
    for await (const entry of walkImageFiles([sub])) listed.push(entry.path);
    expect(listed).toEqual([join(sub, 'soon-gone.jpg')]);
    unlinkSync(listed[0]!);
    expectError(await pool.hash(listed[0]!), 'vanished', /no longer exists/);
  });

  it('a FIFO named like a photo, asked for explicitly → not-a-file at once; the worker is free for the next file', async () => {
    const fifo = join(dir, 'pipe.jpg');
    execFileSync('mkfifo', [fifo]);
    // Opened for reading, a FIFO waits for a writer: the worker would hang until its job timed out.
    expectError(await pool.hash(fifo), 'not-a-file', /not a regular file/);
    copyFileSync(PHOTO, join(dir, 'after-fifo.jpg'));
    expect((await pool.hash(join(dir, 'after-fifo.jpg'))).ok).toBe(true);
  }, 20_000);

  it('a symlink loop in a folder does not hang the listing', async () => {
    const sub = join(dir, 'loop');
    mkdirSync(join(sub, 'inner'), { recursive: true });
    copyFileSync(PHOTO, join(sub, 'inner', 'photo.jpg'));
    symlinkSync(sub, join(sub, 'inner', 'back-to-top'));
    symlinkSync('self.jpg', join(sub, 'self.jpg')); // a link that points at itself
    const entries = [];
    for await (const entry of walkImageFiles([sub])) entries.push(entry);
    expect(entries.filter((e) => !e.error).map((e) => e.path)).toEqual([join(sub, 'inner', 'photo.jpg')]);
    const selfLink = entries.find((e) => e.error);
    expect(selfLink?.error?.kind).toBe('not-a-file');
    expectError(await pool.hash(join(sub, 'self.jpg')), 'not-a-file', /symlink loop/);
  });

  it('an unreadable file → permission (workers run as an unprivileged user when we are root)', async (context) => {
    const sub = join(dir, 'locked');
    mkdirSync(sub);
    chmodSync(dir, 0o755);
    chmodSync(sub, 0o755);
    const readable = join(sub, 'readable.jpg');
    const locked = join(sub, 'locked.jpg');
    copyFileSync(PHOTO, readable);
    copyFileSync(PHOTO, locked);
    chmodSync(readable, 0o644);
    chmodSync(locked, 0o000);
    // Root reads everything, so as root the workers drop to "nobody", for whom the mode is real.
    const asRoot = process.getuid?.() === 0;
    if (asRoot && !canRunAsNobody()) {
      context.skip('running as root and cannot start a process as "nobody" to make unreadability real');
    }
    const lockedPool = new WorkerPool({
      createWorker: forkWorkerFactory(builtWorkerPath(), asRoot ? { uid: 65534, gid: 65534 } : {}),
      size: 1,
    });
    try {
      expectError(await lockedPool.hash(locked), 'permission', /permission denied/);
      expect((await lockedPool.hash(readable)).ok).toBe(true);
    } finally {
      await lockedPool.close();
    }
  });

  it('1×1 and 3×2 images hash; PDQ gives the all-zero hash with quality 0', async () => {
    const one = join(dir, 'one.png');
    const tiny = join(dir, 'tiny.png');
    await sharp({ create: { width: 1, height: 1, channels: 3, background: '#c04020' } }).png().toFile(one);
    await sharp({ create: { width: 3, height: 2, channels: 3, background: '#20c040' } }).png().toFile(tiny);
    for (const path of [one, tiny]) {
      const outcome = await pool.hash(path);
      expect(outcome.ok).toBe(true);
      if (outcome.ok) {
        expect(outcome.fingerprint.pdq).toBe('0'.repeat(64));
        expect(outcome.fingerprint.pdqQuality).toBe(0);
        expect(outcome.fingerprint.ahash).toMatch(/^[0-9a-f]{16}$/);
      }
    }
  });

  it('a batch mixing every bad case with good photos loses none of the good ones', async () => {
    const good = [join(dir, 'good-1.jpg'), join(dir, 'good-2.jpg')];
    for (const path of good) copyFileSync(PHOTO, path);
    const bad = ['zero.jpg', 'truncated.jpg', 'notes.jpg', 'x.jpg', 'bomb.png', 'gone.jpg'].map((n) => join(dir, n));
    const outcomes = await Promise.all([...bad, ...good].map((p) => pool.hash(p)));
    expect(outcomes.filter((o) => o.ok).length).toBe(2);
    expect(outcomes.filter((o) => !o.ok).length).toBe(bad.length);
    expect(pool.stats().workers).toBeLessThanOrEqual(2);
  });
});

/** True when a process started as "nobody" can read the built worker it has to run. */
function canRunAsNobody(): boolean {
  try {
    const script = `require('fs').accessSync(${JSON.stringify(builtWorkerPath())}, require('fs').constants.R_OK)`;
    execFileSync(process.execPath, ['-e', script], { uid: 65534, gid: 65534, stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
}

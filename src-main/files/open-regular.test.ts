// openRegularFile against real FIFOs, folders, symlinks and a symlink swapped in while files
// are being opened.
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { OpenRefused, openRegularFile } from './open-regular';

const base = mkdtempSync(join(tmpdir(), 'doppel-open-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
const root = join(base, 'root');
const outside = join(base, 'outside');
mkdirSync(root);
mkdirSync(outside);
writeFileSync(join(root, 'photo.jpg'), 'inside bytes');
writeFileSync(join(outside, 'secret.jpg'), 'SECRET');

async function refusal(path: string, within?: string[]): Promise<string> {
  try {
    const { handle } = await openRegularFile(path, within);
    await handle.close();
    return 'opened';
  } catch (error) {
    return error instanceof OpenRefused ? error.refusal : `error ${(error as NodeJS.ErrnoException).code}`;
  }
}

describe('openRegularFile', () => {
  it('opens a regular file inside the folders, and one reached through a symlink that stays inside', async () => {
    symlinkSync(join(root, 'photo.jpg'), join(root, 'alias.jpg'));
    const opened = await openRegularFile(join(root, 'alias.jpg'), [root]);
    expect(opened.realPath).toBe(join(root, 'photo.jpg'));
    expect((await opened.handle.readFile()).toString()).toBe('inside bytes');
    await opened.handle.close();
  });

  it('refuses what is outside, a folder, a missing file, and a symlink leading out', async () => {
    symlinkSync(join(outside, 'secret.jpg'), join(root, 'leak.jpg'));
    expect(await refusal(join(outside, 'secret.jpg'), [root])).toBe('outside');
    expect(await refusal(join(root, 'leak.jpg'), [root])).toBe('outside');
    expect(await refusal(join(root, 'sub', '..', '..', 'outside', 'secret.jpg'), [root])).toBe('outside');
    expect(await refusal(root, [base])).toBe('not-a-file');
    expect(await refusal(join(root, 'nothing.jpg'), [root])).toBe('gone');
  });

  it('refuses a FIFO at once instead of waiting for a writer', async () => {
    const fifo = join(root, 'pipe.jpg');
    expect(spawnSync('mkfifo', [fifo]).status).toBe(0);
    const started = Date.now();
    expect(await refusal(fifo, [root])).toBe('not-a-file');
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it('never hands out the outside file while a symlink to it is swapped in and out', async () => {
    const racing = join(root, 'racing.jpg');
    writeFileSync(racing, 'inside bytes');
    // A separate process swaps racing.jpg between a real file and a link out of the root,
    // each swap an atomic rename, for as long as the test opens it.
    const flipper = spawn(process.execPath, [
      '-e',
      `const fs = require('fs'); const [dir, target] = process.argv.slice(1);
       const end = Date.now() + 3000;
       while (Date.now() < end) {
         fs.writeFileSync(dir + '/real.tmp', 'inside bytes'); fs.renameSync(dir + '/real.tmp', dir + '/racing.jpg');
         try { fs.unlinkSync(dir + '/link.tmp'); } catch {}
         fs.symlinkSync(target, dir + '/link.tmp'); fs.renameSync(dir + '/link.tmp', dir + '/racing.jpg');
       }`,
      root,
      join(outside, 'secret.jpg'),
    ]);
    const exited = new Promise((done) => flipper.on('exit', done));
    const seen = { opened: 0, refused: 0, leaked: 0 };
    const end = Date.now() + 2500;
    while (Date.now() < end) {
      try {
        const { handle } = await openRegularFile(racing, [root]);
        const bytes = (await handle.readFile()).toString();
        await handle.close();
        seen.opened++;
        if (bytes === 'SECRET') seen.leaked++;
      } catch (error) {
        if (!(error instanceof OpenRefused)) throw error;
        seen.refused++;
      }
    }
    await exited;
    expect(seen.leaked).toBe(0);
    // The race was real: both outcomes happened.
    expect(seen.opened).toBeGreaterThan(0);
    expect(seen.refused).toBeGreaterThan(0);
  });
});

// The host's session token is kept in its data folder: a restart keeps it (an open tab keeps
// working), --new-token replaces it, and only its owner can read the file.
import { chmodSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { storedToken } from '../src-main/host/auth';
import { freePort, serve } from '../e2e/browser';
import { tempDir } from './helpers';

const mode = (file: string) => statSync(file).mode & 0o777;

describe('the stored token', () => {
  it('is created once, mode 0600, and read back after that', () => {
    const file = join(tempDir('doppel-token-'), 'state', 'token');
    const first = storedToken(file);
    expect(first).toMatch(/^[0-9a-f]{48}$/);
    expect(mode(file)).toBe(0o600);
    expect(storedToken(file)).toBe(first);
  });

  it('is replaced when asked, or when the file holds no token', () => {
    const file = join(tempDir('doppel-token-'), 'token');
    const first = storedToken(file);
    const rotated = storedToken(file, true);
    expect(rotated).not.toBe(first);
    expect(storedToken(file)).toBe(rotated);
    writeFileSync(file, 'not a token');
    chmodSync(file, 0o644);
    const fresh = storedToken(file);
    expect(fresh).toMatch(/^[0-9a-f]{48}$/);
    expect(mode(file)).toBe(0o600);
  });

  it('tightens a kept file that lost its mode', () => {
    const file = join(tempDir('doppel-token-'), 'token');
    const token = storedToken(file);
    chmodSync(file, 0o644);
    expect(storedToken(file)).toBe(token);
    expect(mode(file)).toBe(0o600);
  });
});

/** The URL the built `doppel serve --data DIR` prints, once it has stopped again. */
async function servedUrl(data: string, extra: string[] = []): Promise<string> {
  const host = await serve(await freePort(), data, extra);
  await host.stop();
  return host.url;
}

describe('doppel serve', () => {
  it('prints the same token after a restart, a new one with --new-token', async () => {
    const data = tempDir('doppel-serve-data-');
    const token = (url: string) => new URL(url).searchParams.get('token');
    const first = token(await servedUrl(data));
    expect(first).toMatch(/^[0-9a-f]{48}$/);
    expect(mode(join(data, 'token'))).toBe(0o600);
    expect(token(await servedUrl(data))).toBe(first);
    const rotated = token(await servedUrl(data, ['--new-token']));
    expect(rotated).not.toBe(first);
    expect(token(await servedUrl(data))).toBe(rotated);
  }, 60_000);
});

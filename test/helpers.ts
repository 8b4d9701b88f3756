// Shared test helpers: temp folders, the reference data set, the built CLI and worker.
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll } from 'vitest';
import { REFERENCE_DIR } from './reference-data';

export { loadExpected, REFERENCE_DIR, type ExpectedImage } from './reference-data';

export const PROJECT_ROOT = fileURLToPath(new URL('..', import.meta.url)).replace(/\/$/, '');
export const SHARED = resolve(PROJECT_ROOT, '../shared');
export const REFERENCE_IMAGES = join(REFERENCE_DIR, 'images');
export const BENCH_ORIGINALS = join(SHARED, 'bench-data/originals');
export const CLI = join(PROJECT_ROOT, 'bin/doppel.mjs');

/** A fresh temp folder, removed after the test file finishes. */
export function tempDir(prefix = 'doppel-test-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

export interface CliRun {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs the built `doppel` command as a user would. */
export function runCli(args: string[], options: { cwd?: string } = {}): Promise<CliRun> {
  return new Promise((done, fail) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd: options.cwd ?? PROJECT_ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', fail);
    child.on('close', (code) => done({ code, stdout, stderr }));
  });
}

export function parseJsonLines<T = Record<string, unknown>>(text: string): T[] {
  return text
    .split('\n')
    .filter((line) => line.trim().length > 0)
    .map((line) => JSON.parse(line) as T);
}

// Argument checks for every API call: the renderer is untrusted (a compromised page must not
// make main read arbitrary files or exhaust it).
import { isAbsolute, resolve } from 'node:path';
import { API_LIMITS, type CompanionToMove, type HashOptions, type PairToVerify, type Survivor, type TrashItem } from '../../src-core/api';
import { isLexicallyInside } from './path-guard';

export class ApiArgumentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ApiArgumentError';
  }
}

export function requirePath(value: unknown, what = 'path'): string {
  if (typeof value !== 'string' || value.length === 0 || value.length > API_LIMITS.maxPathLength || value.includes('\0')) {
    throw new ApiArgumentError(`${what} must be a non-empty string of at most ${API_LIMITS.maxPathLength} characters`);
  }
  return value;
}

/** An absolute path, normalised (`.`, `..`, repeated and trailing separators): file actions
 *  compare paths only in this form, and only after resolving symlinks too. */
export function requireAbsolutePath(value: unknown, what = 'path'): string {
  const path = requirePath(value, what);
  if (!isAbsolute(path)) throw new ApiArgumentError(`${what} must be an absolute path`);
  return resolve(path);
}

/** Folders of the operating system, never photo folders: watched, they would be read as
 *  photos (pseudo-files in /proc and /sys, devices in /dev) or put secrets (/etc) behind the
 *  host's /file route. /private/etc is where macOS's /etc leads. */
const SYSTEM_FOLDERS = process.platform === 'win32' ? [process.env.SystemRoot ?? 'C:\\Windows'] : ['/proc', '/sys', '/dev', '/etc', '/private/etc', '/System'];

/** A root to watch, given as its real path (every link resolved, so `/etc/../etc` or a link to
 *  /etc is /etc here): refused when it is the whole disk (/) or a system folder or inside one. */
export function requireRoot(real: string, asked: string): string {
  const fold = (path: string) => (process.platform === 'win32' ? path.toLowerCase() : path);
  const system = real === '/' || SYSTEM_FOLDERS.some((folder) => isLexicallyInside(fold(real), fold(folder)));
  if (system) throw new ApiArgumentError(`Cannot watch ${asked}: a system folder, not a photo folder`);
  return real;
}

export function requireAbsolutePathList(value: unknown): string[] {
  return requirePathList(value).map((p, k) => requireAbsolutePath(p, `path ${k}`));
}

export function requirePathList(value: unknown): string[] {
  if (!Array.isArray(value) || value.length > API_LIMITS.maxPathsPerCall) {
    throw new ApiArgumentError(`expected a list of at most ${API_LIMITS.maxPathsPerCall} paths`);
  }
  return value.map((p, k) => requirePath(p, `path ${k}`));
}

export function requireRootOptions(value: unknown): { networkDrive?: boolean } {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || value === null) throw new ApiArgumentError('options must be an object');
  const { networkDrive } = value as { networkDrive?: unknown };
  if (networkDrive !== undefined && typeof networkDrive !== 'boolean') throw new ApiArgumentError('options.networkDrive must be true or false');
  return networkDrive === undefined ? {} : { networkDrive };
}

function requireNumber(value: unknown, what: string): number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value < 0) throw new ApiArgumentError(`${what} must be a non-negative number`);
  return value;
}

function requireDigest(value: unknown, what: string): string {
  if (typeof value !== 'string' || !/^[0-9a-f]{64}$/.test(value)) throw new ApiArgumentError(`${what} must be a SHA-256 hex digest`);
  return value;
}

function requireSurvivor(value: unknown, what: string): Survivor {
  const s = (value ?? {}) as Record<string, unknown>;
  return {
    path: requireAbsolutePath(s.path, `${what}.path`),
    size: requireNumber(s.size, `${what}.size`),
    mtimeMs: requireNumber(s.mtimeMs, `${what}.mtimeMs`),
    digest: requireDigest(s.digest, `${what}.digest`),
  };
}

/** Companions of one photo: a few sidecars and a video. */
const MAX_COMPANIONS = 16;

function requireCompanion(value: unknown, what: string): CompanionToMove {
  const c = (value ?? {}) as Record<string, unknown>;
  return { path: requireAbsolutePath(c.path, `${what}.path`), size: requireNumber(c.size, `${what}.size`), mtimeMs: requireNumber(c.mtimeMs, `${what}.mtimeMs`) };
}

export function requireTrashItems(value: unknown): TrashItem[] {
  if (!Array.isArray(value) || value.length > API_LIMITS.maxPathsPerCall) throw new ApiArgumentError(`expected a list of at most ${API_LIMITS.maxPathsPerCall} files`);
  return value.map((raw, k) => {
    const item = (raw ?? {}) as { file?: Record<string, unknown>; keep?: unknown };
    if (!Array.isArray(item.keep) || item.keep.length > API_LIMITS.maxPathsPerCall) throw new ApiArgumentError(`item ${k}: keep must be a list of files`);
    const companions = item.file?.companions;
    if (companions !== undefined && (!Array.isArray(companions) || companions.length > MAX_COMPANIONS)) throw new ApiArgumentError(`item ${k}.file.companions must be a list of at most ${MAX_COMPANIONS} files`);
    const file = requireSurvivor(item.file, `item ${k}.file`);
    return {
      file: companions ? { ...file, companions: companions.map((c: unknown, j) => requireCompanion(c, `item ${k}.file.companions[${j}]`)) } : file,
      keep: item.keep.map((s, j) => requireSurvivor(s, `item ${k}.keep[${j}]`)),
    };
  });
}

/** Files trash() moved, as the renderer recorded them (main re-checks each in the trash). */
export function requireTrashedFiles(value: unknown): Survivor[] {
  if (!Array.isArray(value) || value.length > API_LIMITS.maxPathsPerCall) throw new ApiArgumentError(`expected a list of at most ${API_LIMITS.maxPathsPerCall} files`);
  return value.map((raw, k) => requireSurvivor(raw, `file ${k}`));
}

export function requirePairsToVerify(value: unknown): PairToVerify[] {
  if (!Array.isArray(value) || value.length > API_LIMITS.maxPathsPerCall) throw new ApiArgumentError(`expected a list of at most ${API_LIMITS.maxPathsPerCall} pairs`);
  const image = (raw: unknown, what: string) => {
    const { path, digest } = (raw ?? {}) as Record<string, unknown>;
    if (typeof digest !== 'string' || !/^[0-9a-f]{64}$/.test(digest)) throw new ApiArgumentError(`${what}.digest must be a SHA-256 hex digest`);
    return { path: requirePath(path, `${what}.path`), digest };
  };
  return value.map((raw, k) => {
    const pair = (raw ?? {}) as Record<string, unknown>;
    return { a: image(pair.a, `pair ${k}.a`), b: image(pair.b, `pair ${k}.b`) };
  });
}

export function requireHashOptions(value: unknown): HashOptions {
  const { embedding } = (value ?? {}) as Record<string, unknown>;
  if (typeof embedding !== 'boolean') throw new ApiArgumentError('hash options: embedding must be true or false');
  return { embedding };
}

/** Ids main's move journal handed out (restore takes nothing else: no paths). */
export function requireMoveIds(value: unknown): string[] {
  if (!Array.isArray(value) || value.length > API_LIMITS.maxPathsPerCall) throw new ApiArgumentError(`expected a list of at most ${API_LIMITS.maxPathsPerCall} move ids`);
  return value.map((id, k) => {
    if (typeof id !== 'string' || !/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/.test(id)) throw new ApiArgumentError(`move ${k} must be a move id`);
    return id;
  });
}

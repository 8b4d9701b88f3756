// Argument checks for every API call: the renderer is untrusted (a compromised page must not
// make main read arbitrary files or exhaust it).
import { API_LIMITS, type HashOptions, type MovedFile, type PairToVerify, type Survivor, type TrashItem } from '../../src-core/api';

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

function requireSurvivor(value: unknown, what: string): Survivor {
  const s = (value ?? {}) as Record<string, unknown>;
  return { path: requirePath(s.path, `${what}.path`), size: requireNumber(s.size, `${what}.size`), mtimeMs: requireNumber(s.mtimeMs, `${what}.mtimeMs`) };
}

export function requireTrashItems(value: unknown): TrashItem[] {
  if (!Array.isArray(value) || value.length > API_LIMITS.maxPathsPerCall) throw new ApiArgumentError(`expected a list of at most ${API_LIMITS.maxPathsPerCall} files`);
  return value.map((raw, k) => {
    const item = (raw ?? {}) as { file?: Record<string, unknown>; keep?: unknown };
    const digest = item.file?.digest;
    if (typeof digest !== 'string' || !/^[0-9a-f]{64}$/.test(digest)) throw new ApiArgumentError(`item ${k}: file.digest must be a SHA-256 hex digest`);
    if (!Array.isArray(item.keep) || item.keep.length > API_LIMITS.maxPathsPerCall) throw new ApiArgumentError(`item ${k}: keep must be a list of files`);
    return { file: { ...requireSurvivor(item.file, `item ${k}.file`), digest }, keep: item.keep.map((s, j) => requireSurvivor(s, `item ${k}.keep[${j}]`)) };
  });
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

export function requireMoves(value: unknown): MovedFile[] {
  if (!Array.isArray(value) || value.length > API_LIMITS.maxPathsPerCall) throw new ApiArgumentError(`expected a list of at most ${API_LIMITS.maxPathsPerCall} moves`);
  return value.map((raw, k) => {
    const move = (raw ?? {}) as Record<string, unknown>;
    return { from: requirePath(move.from, `move ${k}.from`), to: requirePath(move.to, `move ${k}.to`) };
  });
}

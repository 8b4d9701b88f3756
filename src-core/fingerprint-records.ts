// Fingerprint records from elsewhere, one a line: `doppel hash --json` output (full or with
// only some hashes, from another machine or another PDQ tool), or the plain PDQ text form other
// tools write (`hash,quality,name`). Each line is checked field by field, so a bad record is
// named by its field instead of failing deep in the engine.
import type { DihedralHashes, Fingerprint, HashErrorInfo, HashOutcome } from './fingerprint';
import { DIHEDRAL_NAMES } from './hash/pdq';
import { WINDOW_NAMES } from './hash/windows';

/** A record that is not a fingerprint: `field` names what is wrong (undefined: the line). */
export class RecordError extends Error {
  constructor(
    readonly field: string | undefined,
    message: string,
  ) {
    super(message);
    this.name = 'RecordError';
  }
}

export interface ParsedRecord {
  outcome: HashOutcome;
  /** The record lacks PDQ's dihedral variants, the window hashes or the imagehash values, so
   *  flips, rotations and crops of it are not matched (and it proposes no verification by aHash). */
  partial: boolean;
}

const HEX64 = /^[0-9a-f]{64}$/i;
const HEX16 = /^[0-9a-f]{16}$/i;
const IMAGEHASHES = ['ahash', 'dhash', 'phash', 'whash'] as const;
const VARIANT_NAMES = DIHEDRAL_NAMES.filter((n) => n !== 'original');

/** One line; undefined for a blank one. Throws RecordError. */
export function parseFingerprintRecord(line: string): ParsedRecord | undefined {
  const text = line.trim();
  if (text.length === 0) return undefined;
  return text.startsWith('{') ? jsonRecord(text) : pdqTextRecord(text);
}

/** ThreatExchange's text form, as its pdq-photo-hasher and pdqhash print it: `hash,quality,name`
 *  (the name may hold commas). The name is the record's path and its id. */
function pdqTextRecord(text: string): ParsedRecord {
  const [hash = '', quality = '', ...name] = text.split(',');
  const path = name.join(',').trim();
  if (name.length === 0) throw new RecordError(undefined, 'is neither JSON nor "hash,quality,name"');
  const pdq = hash.trim().toLowerCase();
  if (!HEX64.test(pdq)) throw new RecordError('hash', 'must be 64 hex digits');
  const pdqQuality = Number(quality.trim());
  if (quality.trim() === '' || !Number.isInteger(pdqQuality) || pdqQuality < 0 || pdqQuality > 100) throw new RecordError('quality', 'must be a whole number from 0 to 100');
  if (path.length === 0) throw new RecordError('name', 'is empty');
  return { outcome: { ok: true, fingerprint: minimalFingerprint(path, path, pdq, pdqQuality) }, partial: true };
}

function jsonRecord(text: string): ParsedRecord {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new RecordError(undefined, 'is not JSON');
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new RecordError(undefined, 'is not a JSON object');
  const record = value as Record<string, unknown>;
  const id = optional<string>(record, 'id', (v) => typeof v === 'string' && v.length > 0, 'must be a non-empty string');
  const path = optional<string>(record, 'path', (v) => typeof v === 'string' && v.length > 0, 'must be a non-empty string') ?? id;
  if (path === undefined) throw new RecordError('path', 'is missing (a record needs "path" or "id")');
  if (record.error !== undefined) return { outcome: { ok: false, path, error: errorInfo(record.error) }, partial: false };
  const digest = optional<string>(record, 'digest', (v) => typeof v === 'string' && v.length > 0, 'must be a non-empty string') ?? id;
  if (digest === undefined) throw new RecordError('digest', 'is missing (a record needs "digest" or "id")');
  const pdq = required<string>(record, 'pdq', isHex64, 'must be 64 hex digits');
  const pdqQuality = optional<number>(record, 'pdqQuality', (v) => Number.isInteger(v) && v >= 0 && v <= 100, 'must be a whole number from 0 to 100') ?? 100;
  for (const field of ['size', 'mtimeMs', 'width', 'height'] as const) optional(record, field, (v) => typeof v === 'number' && v >= 0, 'must be a number ≥ 0');
  optional(record, 'format', (v) => typeof v === 'string', 'must be a string');
  optional(record, 'exif', (v) => typeof v === 'object' && v !== null && !Array.isArray(v), 'must be an object');
  const dihedral = optional<Record<string, unknown>>(record, 'pdqDihedral', (v) => typeof v === 'object' && v !== null, 'must be an object');
  if (dihedral) for (const name of VARIANT_NAMES) required(dihedral, name, isHex64, 'must be 64 hex digits', `pdqDihedral.${name}`);
  optional(record, 'pdqWindows', (v) => Array.isArray(v) && v.length === WINDOW_NAMES.length && v.every(isHex64), `must be an array of ${WINDOW_NAMES.length} hashes of 64 hex digits`);
  optional(record, 'pdqContent', (v) => Array.isArray(v) && v.every(isHex64), 'must be an array of hashes of 64 hex digits');
  for (const field of IMAGEHASHES) optional(record, field, (v) => typeof v === 'string' && HEX16.test(v), 'must be 16 hex digits');
  optional(record, 'embedding', isHex64, 'must be 64 hex digits');
  const fingerprint = { ...minimalFingerprint(path, digest, pdq, pdqQuality), ...record, path, digest, pdqQuality } as Fingerprint;
  if (!dihedral) fingerprint.pdqDihedral = sameHashEverywhere(pdq);
  const partial = !dihedral || record.pdqWindows === undefined || IMAGEHASHES.some((f) => record[f] === undefined);
  return { outcome: { ok: true, fingerprint }, partial };
}

/** What a record must at least say; the rest is unknown (0, "unknown", no EXIF). */
function minimalFingerprint(path: string, digest: string, pdq: string, pdqQuality: number): Fingerprint {
  return { path, digest, pdq, pdqQuality, size: 0, mtimeMs: 0, width: 0, height: 0, format: 'unknown', exif: {}, pdqDihedral: sameHashEverywhere(pdq) } as Fingerprint;
}

/** Variants of a record without them: its PDQ again, which adds no pair (as missing window
 *  hashes do, src-core/similarity/methods.ts). */
function sameHashEverywhere(pdq: string): DihedralHashes {
  return Object.fromEntries(VARIANT_NAMES.map((name) => [name, pdq])) as DihedralHashes;
}

function errorInfo(value: unknown): HashErrorInfo {
  const error = value as Partial<HashErrorInfo> | null;
  if (typeof error !== 'object' || error === null || typeof error.kind !== 'string' || typeof error.message !== 'string') throw new RecordError('error', 'must be {"kind","message"}');
  return { kind: error.kind, message: error.message } as HashErrorInfo;
}

function isHex64(value: unknown): boolean {
  return typeof value === 'string' && HEX64.test(value);
}

function optional<T = unknown>(record: Record<string, unknown>, field: string, valid: (v: any) => boolean, rule: string, name = field): T | undefined {
  const value = record[field];
  if (value === undefined) return undefined;
  if (!valid(value)) throw new RecordError(name, rule);
  return value as T;
}

function required<T = unknown>(record: Record<string, unknown>, field: string, valid: (v: any) => boolean, rule: string, name = field): T {
  if (record[field] === undefined) throw new RecordError(name, 'is missing');
  return optional<T>(record, field, valid, rule, name)!;
}

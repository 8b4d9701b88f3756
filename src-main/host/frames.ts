// What the host accepts as an API call over its WebSocket. A frame is untrusted input from
// whoever holds the token (a page with a bug, a script): it is checked here before anything
// uses it, so no frame can make the host throw outside a call's own error reply. The deep shape
// of each argument is checked by the service (validate.ts, shared with the desktop app's IPC).
import type { ApiMethod } from '../../src-core/api';

/** ws's maxPayload. The largest legitimate call, trash or moveToFolder with 10,000 files and
 *  two survivors each, long (~200 character, non-ASCII) paths, is about 8 MB of JSON (measured
 *  in test/host.test.ts); 32 MiB leaves room for 4× that and bounds what one frame can make
 *  the host buffer and parse. */
export const MAX_FRAME_BYTES = 32 * 1024 * 1024;

/** Legit calls nest 6 deep ({args:[items:[{keep:[{…}]}]]}); nothing walks deeper values
 *  recursively (echoing, logging, cloning), so none can overflow the stack. */
export const MAX_NESTING = 12;

const MAX_ID_LENGTH = 64;

export type RequestId = number | string;

export interface ApiRequest {
  id: RequestId;
  method: ApiMethod;
  args: unknown[];
}

/** A call to make, or the error to answer (with the request's id when it had a usable one). */
export type Frame = { request: ApiRequest } | { id: RequestId | null; error: string };

/** Each method's arguments, by the JSON type at the top; '?' marks one that may be omitted or
 *  null (JSON turns an undefined argument into null). */
type ArgumentKind = 'string' | 'list' | 'object' | 'list?' | 'object?';

const ARGUMENTS: Record<ApiMethod, readonly ArgumentKind[]> = {
  getAppInfo: [],
  watchRoot: ['string', 'object?'],
  unwatchRoot: ['string'],
  relistRoot: ['string'],
  hash: ['list'],
  pauseHashing: [],
  resumeHashing: [],
  cancelHashing: [],
  trash: ['list', 'list?'],
  moveToFolder: ['list', 'string', 'list?'],
  restore: ['list'],
  restoreFromTrash: ['list'],
  setHashOptions: ['object'],
  verifyPairs: ['list'],
};

/** A received message (ws's RawData: a Buffer with the default binaryType), checked. */
export function parseFrame(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): Frame {
  if (isBinary) return { id: null, error: 'binary frames are not API calls: send JSON text' };
  // ws has already checked that a text frame is valid UTF-8.
  const text = (Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data)).toString('utf8');
  if (nestedDeeperThan(text, MAX_NESTING)) return { id: null, error: `malformed API request: nested deeper than ${MAX_NESTING} levels` };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    return { id: null, error: 'malformed API request: not valid JSON' };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return { id: null, error: 'not an API call: expected {"id", "method", "args"}' };
  const { id, method, args } = value as Record<string, unknown>;
  const validId = (typeof id === 'number' && Number.isFinite(id)) || (typeof id === 'string' && id.length <= MAX_ID_LENGTH);
  if (!validId) return { id: null, error: `malformed API request: id must be a number or a string of at most ${MAX_ID_LENGTH} characters` };
  const requestId = id as RequestId;
  // ARGUMENTS has exactly API_METHODS as keys (its type says so); hasOwn: "toString" is none.
  if (typeof method !== 'string' || !Object.hasOwn(ARGUMENTS, method)) {
    return { id: requestId, error: `unknown method: ${typeof method === 'string' ? method.slice(0, 64) : typeof method}` };
  }
  const kinds = ARGUMENTS[method as ApiMethod];
  if (!Array.isArray(args)) return { id: requestId, error: 'malformed API request: args must be a list' };
  if (args.length > kinds.length) return { id: requestId, error: `${method} takes at most ${kinds.length} arguments` };
  for (const [k, kind] of kinds.entries()) {
    const problem = argumentProblem(args[k], kind);
    if (problem) return { id: requestId, error: `${method}: argument ${k + 1} must be ${problem}` };
  }
  return { request: { id: requestId, method: method as ApiMethod, args } };
}

/** Why `value` is not of `kind` (in words), or undefined when it is. */
function argumentProblem(value: unknown, kind: ArgumentKind): string | undefined {
  const optional = kind.endsWith('?');
  if (optional && (value === undefined || value === null)) return undefined;
  if (kind.startsWith('string')) return typeof value === 'string' ? undefined : 'a string';
  if (kind.startsWith('list')) return Array.isArray(value) ? undefined : 'a list';
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? undefined : 'an object';
}

/** True when brackets in the JSON text (outside strings) nest deeper than `max`: checked on the
 *  text, before JSON.parse builds anything. */
function nestedDeeperThan(text: string, max: number): boolean {
  let depth = 0;
  let inString = false;
  for (let k = 0; k < text.length; k++) {
    const c = text.charCodeAt(k);
    if (inString) {
      if (c === 0x5c) k++; // backslash: skip the escaped character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) {
      if (++depth > max) return true;
    } else if (c === 0x5d || c === 0x7d) depth--;
  }
  return false;
}

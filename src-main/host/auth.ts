// Who may talk to the headless host: requests carrying the session token (in the URL once,
// then in a cookie), addressed to our own host name, from our own origin.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { chmodSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { hostname, networkInterfaces } from 'node:os';
import { dirname } from 'node:path';

export const TOKEN_COOKIE = 'doppel_token';

export function newToken(): string {
  return randomBytes(24).toString('hex');
}

const TOKEN_SHAPE = /^[0-9a-f]{48}$/;

/** The token kept in `file`, readable only by its owner (0600). A host restart reuses it, so a
 *  tab left open keeps working; `rotate` (or a missing or unreadable file) makes a new one,
 *  written whole through a rename so a crash never leaves half a token. */
export function storedToken(file: string, rotate = false): string {
  if (!rotate) {
    const kept = readIfExists(file)?.trim();
    if (kept && TOKEN_SHAPE.test(kept)) {
      chmodSync(file, 0o600); // a copy restored from a backup may have lost its mode
      return kept;
    }
  }
  const token = newToken();
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  const temporary = `${file}.${process.pid}.tmp`;
  writeFileSync(temporary, `${token}\n`, { mode: 0o600 });
  renameSync(temporary, file);
  return token;
}

function readIfExists(file: string): string | undefined {
  try {
    return readFileSync(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

function sameToken(given: string | undefined | null, token: string): boolean {
  if (!given || given.length !== token.length) return false;
  return timingSafeEqual(Buffer.from(given), Buffer.from(token));
}

export function cookieToken(request: IncomingMessage): string | undefined {
  const header = request.headers.cookie ?? '';
  for (const part of header.split(';')) {
    const [name, ...value] = part.trim().split('=');
    if (name === TOKEN_COOKIE) return value.join('=');
  }
  return undefined;
}

export interface AccessCheck {
  token: string;
  /** host:port values the server answers to (DNS rebinding defence). */
  allowedHosts: Set<string>;
}

/** A host name or address as it appears in a Host header (IPv6 in brackets, lowercase), or
 *  undefined when it is not one (has a port, a scheme, a path…). */
export function hostHeaderName(name: string): string | undefined {
  const lower = name.toLowerCase();
  if (/^[a-z0-9-]+(\.[a-z0-9-]+)*\.?$/.test(lower)) return lower;
  const ipv6 = /^\[?([0-9a-f:.]+)\]?$/.exec(lower);
  return ipv6 && ipv6[1]!.includes(':') ? `[${ipv6[1]}]` : undefined;
}

function isLoopback(address: string): boolean {
  return address === 'localhost' || address.startsWith('127.') || address === '::1' || address === '[::1]';
}

/**
 * The Host headers the server answers to, as "name:port" (also bare names on port 80, where
 * browsers leave the port out). Any other Host is a DNS-rebinding attempt: a foreign name made
 * to point at this machine. Bound to loopback, only the loopback names. Bound beyond it
 * (0.0.0.0, a LAN address), browsers on other machines name it by one of its addresses or its
 * names, so those are accepted too, and `extra` (--allow-host: a DNS name, a proxy's name).
 */
export function acceptedHosts(bound: string, port: number, extra: readonly string[]): string[] {
  const bad = extra.find((name) => hostHeaderName(name) === undefined);
  if (bad !== undefined) throw new Error(`not a host name or address: "${bad}"`);
  const names = [bound, ...extra, 'localhost', '127.0.0.1'];
  if (!isLoopback(bound)) {
    const addresses = Object.values(networkInterfaces()).flatMap((list) => (list ?? []).map((a) => a.address));
    names.push(...addresses, hostname(), `${hostname()}.local`, '::1');
  }
  const headers = names.map(hostHeaderName).filter((name) => name !== undefined);
  return [...new Set(headers.flatMap((name) => (port === 80 ? [`${name}:${port}`, name] : [`${name}:${port}`])))];
}

/** Null when the request may proceed; otherwise why it is refused (answered with 403). */
export function refusal(request: IncomingMessage, url: URL, check: AccessCheck): string | null {
  const host = request.headers.host ?? '';
  // Host names are case-insensitive; the accepted ones are lowercase.
  if (!check.allowedHosts.has(host.toLowerCase())) return `unexpected Host header "${host}"`;
  const origin = request.headers.origin?.toLowerCase();
  if (origin !== undefined && ![...check.allowedHosts].some((h) => origin === `http://${h}`)) return `foreign Origin "${origin}"`;
  if (!sameToken(url.searchParams.get('token'), check.token) && !sameToken(cookieToken(request), check.token)) {
    return 'missing or wrong session token: open the URL printed by "doppel serve"';
  }
  return null;
}

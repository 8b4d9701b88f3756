// Who may talk to the headless host: requests carrying the session token (in the URL once,
// then in a cookie), addressed to our own host name, from our own origin.
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

export const TOKEN_COOKIE = 'doppel_token';

export function newToken(): string {
  return randomBytes(24).toString('hex');
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

/** Null when the request may proceed; otherwise why it is refused (answered with 403). */
export function refusal(request: IncomingMessage, url: URL, check: AccessCheck): string | null {
  const host = request.headers.host ?? '';
  if (!check.allowedHosts.has(host)) return `unexpected Host header "${host}"`;
  const origin = request.headers.origin;
  if (origin !== undefined && ![...check.allowedHosts].some((h) => origin === `http://${h}`)) return `foreign Origin "${origin}"`;
  if (!sameToken(url.searchParams.get('token'), check.token) && !sameToken(cookieToken(request), check.token)) {
    return 'missing or wrong session token: open the URL printed by "doppel serve"';
  }
  return null;
}

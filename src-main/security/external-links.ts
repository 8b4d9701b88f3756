// What a window may open outside the app: only http(s) pages the app itself links to, in the
// OS browser. Everything else a page asks to open (window.open, target=_blank, another scheme
// that the OS would hand to some program) is refused.

/** The outside pages the app links to, as URL prefixes (scheme, host and path). None today: the
 *  app shows no outside link. A link added to the app needs its prefix here to open. */
export const EXTERNAL_LINKS: readonly string[] = [];

/** The URL to hand to the OS browser for a window-open request to `url`, or undefined to refuse:
 *  http or https, no user name or password in it, and under one of `allowed` (compared after
 *  parsing, so `..` segments or a look-alike host do not slip through). */
export function externalLinkToOpen(url: string, allowed: readonly string[] = EXTERNAL_LINKS): string | undefined {
  const target = parseHttp(url);
  if (!target || target.username || target.password) return undefined;
  const listed = allowed.some((prefix) => {
    const entry = parseHttp(prefix);
    return entry !== undefined && entry.origin === target.origin && target.pathname.startsWith(entry.pathname);
  });
  return listed ? target.href : undefined;
}

function parseHttp(url: string): URL | undefined {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' || parsed.protocol === 'http:' ? parsed : undefined;
  } catch {
    return undefined;
  }
}

// Which pages are the app: the guards of the desktop app's windows, IPC and permissions all ask
// this one question. Pure, so it is tested without Electron (docs/security.md).

/** Where the packaged app's page is served (src-main/electron/main.ts handles app://). */
export const PACKAGED_APP_URL = 'app://doppel/index.html';

/** `scheme://host[:port]` of an absolute URL, lower-cased; undefined for a URL with no host
 *  (data:, about:blank, javascript:, blob:) or a string that is no URL. Spelled out rather than
 *  read from `URL.origin`, which Node gives as "null" for custom schemes such as app://. */
export function originOf(url: string): string | undefined {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return undefined;
  }
  return parsed.host ? `${parsed.protocol}//${parsed.host}`.toLowerCase() : undefined;
}

/** Whether `url` is a page of the app, whose origin is `appOrigin` (see originOf). */
export function isAppUrl(url: string, appOrigin: string): boolean {
  return originOf(url) === appOrigin;
}

/** What main knows of the frame that sent an IPC message (Electron's `event.senderFrame`, null
 *  once that frame has navigated or gone). */
export interface SenderFrame {
  url: string;
  isMainFrame: boolean;
}

/** Whether an IPC message comes from the app's own page: the main frame of a window showing
 *  the app's origin (the preload runs in main frames only, so nothing else speaks for the app). */
export function isAppSender(frame: SenderFrame | null, appOrigin: string): boolean {
  return frame !== null && frame.isMainFrame && isAppUrl(frame.url, appOrigin);
}

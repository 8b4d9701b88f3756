// The web permissions a window may have. Electron grants every request unless the app says
// otherwise; Doppel uses none of them, so every request and check is denied.
import { isAppUrl } from './origin';

/** The permissions the app's page uses (names as Electron's session handlers give them): none.
 *  No camera, microphone, notifications, clipboard, fullscreen, geolocation, MIDI, HID, serial
 *  or USB; IndexedDB and workers need no permission. */
export const PERMISSIONS_USED: ReadonlySet<string> = new Set();

/** Whether `permission`, asked for by a page at `requestingUrl` (a URL or an origin), is
 *  granted: only one the app uses, and only to the app's own origin. */
export function isPermissionGranted(permission: string, requestingUrl: string, appOrigin: string, used: ReadonlySet<string> = PERMISSIONS_USED): boolean {
  return used.has(permission) && isAppUrl(requestingUrl, appOrigin);
}

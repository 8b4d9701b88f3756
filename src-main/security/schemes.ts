// The desktop app's two URL schemes and what Chromium lets them do, each the least its pages
// need. Registered by src-main/electron/main.ts before the app is ready (docs/security.md).

/** The subset of Electron's `Privileges` Doppel grants; the others (bypassCSP,
 *  allowServiceWorkers, stream, codeCache, allowExtensions) stay off. */
export interface SchemePrivileges {
  /** Parsed like http: host and path, relative URLs, an origin of its own. */
  standard?: boolean;
  /** A secure context, so its pages and images are not mixed content. */
  secure?: boolean;
  supportFetchAPI?: boolean;
  corsEnabled?: boolean;
}

export const PRIVILEGED_SCHEMES: readonly { scheme: 'app' | 'doppel'; privileges: SchemePrivileges }[] = [
  // The app's own files: one stable origin, hence one IndexedDB, across runs. Module scripts
  // and the module worker load only from a CORS-enabled scheme that supports fetch.
  { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: true } },
  // Thumbnails and photos, shown by <img> and SVG <image>, and drawn into the compare view's
  // canvas, which reads pixels of another origin only by CORS (image-cors.ts). No fetch().
  { scheme: 'doppel', privileges: { standard: true, secure: true, corsEnabled: true } },
];

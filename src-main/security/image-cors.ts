// Which pages may read the pixels of a doppel:// image. The app's page (app://doppel) draws
// photos into a canvas for the compare view's difference; doppel:// is another origin, so that
// needs CORS: the image requested with `crossorigin` and the answer naming the app's origin.
// Pure, so it is tested without Electron (docs/security.md, item 18).

/** The CORS headers of the doppel:// answer to a request whose Origin header is `origin` (null
 *  when none was sent, as for a plain `<img>`), or undefined when the request must be refused:
 *  it was made by a page that is not the app. Never `*`: only `appOrigin` may read. Electron does
 *  not check Access-Control-Allow-Origin on a custom scheme's answers, hence the refusal here. */
export function imageCorsHeaders(origin: string | null, appOrigin: string): Record<string, string> | undefined {
  if (origin !== null && origin.toLowerCase() !== appOrigin) return undefined;
  return { 'Access-Control-Allow-Origin': appOrigin, Vary: 'Origin' };
}

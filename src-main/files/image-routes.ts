// The image routes, one table for both transports: the host answers them over HTTP
// (host/server.ts), the desktop app over its doppel:// protocol (electron/main.ts); each
// transport only parses its URL into an ImageRequest and turns the RouteAnswer into its own
// response.
import type { Readable } from 'node:stream';
import { isDigest, thumbnailPath } from '../hash/thumbnail';
import type { ViewService } from '../hash/view-service';
import type { OpenedFile } from './open-regular';
import { contentType, openServable, type Refusal } from './open-servable';

export type ImageRoute = 'thumb' | 'view' | 'file';

/** `thumb/<digest>`: a cached thumbnail. `view/<digest>?path=`: a full-size JPEG of a format
 *  browsers cannot show. `file?path=`: the full image. The last two only of photos inside the
 *  watched folders. */
export interface ImageRequest {
  route: ImageRoute;
  /** The digest, for thumb and view. */
  name: string;
  /** The photo, for view and file. */
  path: string;
}

export interface ImageRoutes {
  thumbnailDir: string;
  viewDir: string;
  rootPaths(): readonly string[];
  views: Pick<ViewService, 'answer'>;
}

/** A checked, opened file and the headers to send with it, or a refusal. */
export type RouteAnswer = { headers: Record<string, string>; file: OpenedFile } | Refusal;

/** Content-addressed: a digest's thumbnail or view image never changes. */
const IMMUTABLE = 'private, max-age=31536000, immutable';
const NOT_WATCHED: Refusal = { status: 403, text: 'Forbidden: not inside a watched folder' };

export async function answerImageRequest(request: ImageRequest, routes: ImageRoutes): Promise<RouteAnswer> {
  switch (request.route) {
    case 'thumb':
      return answerThumbnail(request.name, routes);
    case 'view':
      return answerView(request.name, request.path, routes);
    case 'file':
      // Photos only: a page holding the token must not read other files of a watched folder.
      return request.path ? openToSend(request.path, routes.rootPaths(), 'private, max-age=60', true) : NOT_WATCHED;
  }
}

export function isImageRoute(name: string): name is ImageRoute {
  return name === 'thumb' || name === 'view' || name === 'file';
}

async function answerThumbnail(digest: string, routes: ImageRoutes): Promise<RouteAnswer> {
  if (!isDigest(digest)) return { status: 400, text: 'Bad thumbnail name' };
  return openToSend(thumbnailPath(routes.thumbnailDir, digest), [routes.thumbnailDir], IMMUTABLE);
}

async function answerView(digest: string, path: string, routes: ImageRoutes): Promise<RouteAnswer> {
  // The photo is opened here first, as for file: a FIFO or a link swapped in is answered at
  // once, before a worker is asked to read it.
  const photo = path ? await openServable(path, routes.rootPaths(), true) : NOT_WATCHED;
  if ('status' in photo) return photo;
  await photo.handle.close();
  const answer = await routes.views.answer(digest, path);
  if ('status' in answer) return { status: answer.status, text: answer.message };
  return openToSend(answer.file, [routes.viewDir], IMMUTABLE);
}

/** Opens `path` through openServable (a regular file inside `within`, and a photo when
 *  `photosOnly`), with the headers that describe it. */
export async function openToSend(path: string, within: readonly string[], cacheControl: string, photosOnly = false): Promise<RouteAnswer> {
  const opened = await openServable(path, within, photosOnly);
  if ('status' in opened) return opened;
  return {
    headers: { 'Content-Type': contentType(opened.realPath), 'Content-Length': String(opened.stats.size), 'Cache-Control': cacheControl },
    file: opened,
  };
}

/** The bytes of the file that was checked, whatever its path names by now, up to the size
 *  fstat gave (the Content-Length sent); undefined for an empty file, whose handle it closes. */
export async function bodyOf(file: OpenedFile): Promise<Readable | undefined> {
  if (file.stats.size === 0) {
    await file.handle.close();
    return undefined;
  }
  return file.handle.createReadStream({ start: 0, end: file.stats.size - 1 });
}

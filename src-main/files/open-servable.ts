// Opening a file to send it to a window or a browser, for both transports (the host's HTTP
// routes and the desktop app's doppel:// protocol): every failure becomes an HTTP status and a
// reason, never an exception that could end the process.
import { extname } from 'node:path';
import { hasImageExtension } from '../../src-core/image-extensions';
import { openRegularFile, OpenRefused, type OpenedFile } from './open-regular';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.webp': 'image/webp',
  '.gif': 'image/gif',
  '.avif': 'image/avif',
  '.tif': 'image/tiff',
  '.tiff': 'image/tiff',
  '.bmp': 'image/bmp',
};

export function contentType(path: string): string {
  return CONTENT_TYPES[extname(path).toLowerCase()] ?? 'application/octet-stream';
}

export type Refusal = { status: number; text: string };

/** Opens `path` if it is a regular file inside `within` (and a photo when `photosOnly`), through
 *  openRegularFile: resolved and checked, then opened without following a link swapped in
 *  meanwhile and without blocking on a FIFO. Every failure is an HTTP status and a reason. */
export async function openServable(path: string, within: readonly string[], photosOnly = false): Promise<OpenedFile | Refusal> {
  if (photosOnly && !hasImageExtension(path)) return { status: 403, text: 'Forbidden: not a photo' };
  let opened: OpenedFile;
  try {
    opened = await openRegularFile(path, within);
  } catch (error) {
    return openFailure(error);
  }
  // The name asked for may be a link to something else: what is read must be a photo too.
  if (photosOnly && !hasImageExtension(opened.realPath)) {
    await opened.handle.close();
    return { status: 403, text: 'Forbidden: not a photo' };
  }
  return opened;
}

function openFailure(error: unknown): Refusal {
  if (error instanceof OpenRefused) {
    if (error.refusal === 'outside') return { status: 403, text: 'Forbidden: not inside a watched folder' };
    if (error.refusal === 'swapped') return { status: 403, text: `Forbidden: ${error.message}` };
    return { status: 404, text: `Not found: ${error.message}` };
  }
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'EACCES' || code === 'EPERM') return { status: 403, text: 'Forbidden: permission denied' };
  if (code === 'ENAMETOOLONG' || code === 'EINVAL') return { status: 400, text: 'Bad path' };
  return { status: 500, text: `Could not open the file: ${(error as Error).message}` };
}


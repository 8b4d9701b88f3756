/** Camera RAW formats (fingerprinted from their embedded JPEG preview). */
export const RAW_EXTENSIONS: ReadonlySet<string> = new Set(['dng', 'cr2', 'cr3', 'nef', 'nrw', 'arw', 'orf', 'rw2', 'raf', 'pef', 'srw']);

/** File extensions Doppel treats as photos (lowercase, no dot). */
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set([
  'jpg', 'jpeg', 'jpe', 'png', 'webp', 'gif', 'tif', 'tiff', 'avif', 'heic', 'heif', 'bmp', ...RAW_EXTENSIONS,
]);

/** Folder names that hold caches, trash or OS metadata rather than photos. */
export const JUNK_FOLDERS: ReadonlySet<string> = new Set([
  '@eaDir', '$RECYCLE.BIN', 'System Volume Information', '.thumbnails', '.dtrash',
]);

/** The lowercase extension of a file name or path, without the dot ('' when none). */
function extensionOf(name: string): string {
  const dot = name.lastIndexOf('.');
  return dot > 0 && !/[\\/]/.test(name.slice(dot)) ? name.slice(dot + 1).toLowerCase() : '';
}

export function hasImageExtension(name: string): boolean {
  return IMAGE_EXTENSIONS.has(extensionOf(name));
}

export function isRawPath(path: string): boolean {
  return RAW_EXTENSIONS.has(extensionOf(path));
}

/** Hidden folders (".git", ".Trash-1000", …) and known junk are never scanned. */
export function isSkippedFolder(name: string): boolean {
  return name.startsWith('.') || JUNK_FOLDERS.has(name);
}

/** File extensions Doppel treats as photos (lowercase, no dot). */
export const IMAGE_EXTENSIONS: ReadonlySet<string> = new Set([
  'jpg', 'jpeg', 'jpe', 'png', 'webp', 'gif', 'tif', 'tiff', 'avif', 'heic', 'heif', 'bmp',
]);

/** Folder names that hold caches, trash or OS metadata rather than photos. */
export const JUNK_FOLDERS: ReadonlySet<string> = new Set([
  '@eaDir', '$RECYCLE.BIN', 'System Volume Information', '.thumbnails', '.dtrash',
]);

export function hasImageExtension(name: string): boolean {
  const dot = name.lastIndexOf('.');
  return dot > 0 && IMAGE_EXTENSIONS.has(name.slice(dot + 1).toLowerCase());
}

/** Hidden folders (".git", ".Trash-1000", …) and known junk are never scanned. */
export function isSkippedFolder(name: string): boolean {
  return name.startsWith('.') || JUNK_FOLDERS.has(name);
}

// How the screens write sizes, paths and dates: one wording everywhere.

/** The last part of a path: a photo's file name. */
export const fileName = (path: string): string => path.split(/[\\/]/).pop() ?? path;

/** The folder a file is in (the path without its last part). */
export const folderOf = (path: string): string => path.replace(/[\\/][^\\/]*$/, '');

/** A watched folder's own name; a trailing separator does not count ("/a/b/" is "b"). */
export const folderName = (path: string): string => path.split(/[\\/]/).filter(Boolean).pop() ?? path;

/** Space to free: GB or MB with one decimal, small amounts in whole KB. */
export function spaceToFree(bytes: number): string {
  if (bytes >= 1e9) return `${(bytes / 1e9).toFixed(1)} GB`;
  if (bytes >= 1e6) return `${(bytes / 1e6).toFixed(1)} MB`;
  return `${Math.round(bytes / 1e3)} KB`;
}

/** What goes to the Trash, always in MB with one decimal. */
export const megabytes = (bytes: number): string => `${(bytes / 1e6).toFixed(1)} MB`;

/** One file's size where two files are compared: MB with two decimals, or whole KB. */
export const fileSize = (bytes: number): string => (bytes >= 1e6 ? `${(bytes / 1e6).toFixed(2)} MB` : `${Math.round(bytes / 1e3)} KB`);

/** One file's size in a member card: whole KB. */
export const kilobytes = (bytes: number): string => `${Math.round(bytes / 1e3)} KB`;

/** An EXIF date ("2023-07-14T18:22:05") as "2023-07-14 18:22:05". */
export const dateTaken = (iso: string): string => iso.replace('T', ' ');

/** A moment Doppel recorded, in the person's locale. */
export const dateTime = (at: number): string => new Date(at).toLocaleString();

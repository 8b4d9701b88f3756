// RAW+JPEG and HEIC+JPEG pairs: cameras and phones write one shot in two formats on purpose
// (the RAW to develop, the JPEG to share). They look alike but are not duplicates to delete.

export type FormatFamily = 'raw' | 'heif' | 'jpeg' | 'other';

export function formatFamily(format: string | undefined): FormatFamily {
  if (!format) return 'other';
  if (format.startsWith('raw-')) return 'raw';
  if (format === 'heif') return 'heif';
  if (format === 'jpeg') return 'jpeg';
  return 'other';
}

export interface CompanionFacts {
  path: string;
  format?: string;
  dateTaken?: string;
  camera?: string;
}

const folderOf = (path: string) => path.replace(/[\\/][^\\/]*$/, '');
const baseName = (path: string) => path.slice(folderOf(path).length + 1).replace(/\.[^.]*$/, '').toLowerCase();

/** The two files are the two formats of one shot: RAW/HEIC/JPEG of different families, with
 *  the same name in the same folder, or the same capture time from the same camera. */
export function areCompanions(a: CompanionFacts, b: CompanionFacts): boolean {
  const fa = formatFamily(a.format);
  const fb = formatFamily(b.format);
  if (fa === fb || fa === 'other' || fb === 'other') return false;
  if (folderOf(a.path) === folderOf(b.path) && baseName(a.path) === baseName(b.path)) return true;
  return a.dateTaken !== undefined && a.dateTaken === b.dateTaken && a.camera !== undefined && a.camera === b.camera;
}

/** "RAW+JPEG", "HEIC+JPEG", "RAW+HEIC". */
export function companionLabel(a: CompanionFacts, b: CompanionFacts): string {
  const order: FormatFamily[] = ['raw', 'heif', 'jpeg'];
  const names: Record<FormatFamily, string> = { raw: 'RAW', heif: 'HEIC', jpeg: 'JPEG', other: '' };
  return [formatFamily(a.format), formatFamily(b.format)]
    .sort((x, y) => order.indexOf(x) - order.indexOf(y))
    .map((f) => names[f])
    .join('+');
}

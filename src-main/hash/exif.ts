// The few EXIF fields that help choose which copy to keep, read with exifr.
import exifr from 'exifr';
import type { ExifSummary } from '../../src-core/fingerprint';

const PICKED_TAGS = ['DateTimeOriginal', 'CreateDate', 'ModifyDate', 'Make', 'Model', 'Software', 'Orientation', 'GPSLatitude'];
/** One object for every call: exifr caches its parsed options by the object passed, so a new
 *  literal per call kept ~8 KB per file for the life of the worker (a leak over big libraries). */
const PARSE_OPTIONS = { pick: PICKED_TAGS, reviveValues: false, translateValues: false };

/** EXIF "YYYY:MM:DD HH:MM:SS" → "YYYY-MM-DDTHH:MM:SS". EXIF carries no time zone, so we
 *  keep the camera's local time as written rather than guessing one. */
function exifDateToIso(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const m = /^(\d{4}):(\d{2}):(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/.exec(value.trim());
  if (!m || m[1] === '0000') return undefined;
  return `${m[1]}-${m[2]}-${m[3]}T${m[4]}:${m[5]}:${m[6]}`;
}

function cleanText(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.replace(/\0/g, '').trim();
  return text.length > 0 ? text : undefined;
}

/** Metadata is a nicety: a file with broken or missing EXIF still gets a fingerprint. */
export async function readExifSummary(bytes: Buffer): Promise<ExifSummary> {
  let tags: Record<string, unknown> | undefined;
  try {
    tags = await exifr.parse(bytes, PARSE_OPTIONS);
  } catch {
    return {};
  }
  if (!tags) return {};
  const summary: ExifSummary = {};
  const dateTaken = exifDateToIso(tags.DateTimeOriginal) ?? exifDateToIso(tags.CreateDate);
  if (dateTaken) summary.dateTaken = dateTaken;
  const modifyDate = exifDateToIso(tags.ModifyDate);
  if (modifyDate) summary.modifyDate = modifyDate;
  const make = cleanText(tags.Make);
  if (make) summary.make = make;
  const model = cleanText(tags.Model);
  if (model) summary.model = model;
  const software = cleanText(tags.Software);
  if (software) summary.software = software;
  if (typeof tags.Orientation === 'number') summary.orientation = tags.Orientation;
  summary.gpsPresent = tags.GPSLatitude !== undefined;
  return summary;
}

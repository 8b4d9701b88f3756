// What a sidecar says about its photo: an XMP packet's rating, label, keywords, title and
// develop settings (Lightroom / Camera Raw `crs:`, darktable's history), and Google Takeout's
// JSON (photoTakenTime, geoData, description, people, favorited). Plain text parsing: this runs
// in main's listing and in tests, with no DOM.
import type { SidecarFacts } from './discover';

/** Sidecars larger than this are not read (a Lightroom XMP with a long history is ~100 KB). */
export const MAX_SIDECAR_BYTES = 2 * 1024 * 1024;

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };
const decode = (text: string) => text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, code: string) => (code[0] === '#' ? String.fromCodePoint(code[1] === 'x' || code[1] === 'X' ? parseInt(code.slice(2), 16) : Number(code.slice(1))) : (ENTITIES[code] ?? whole)));
const escapeName = (name: string) => name.replace(/[.:]/g, (c) => `\\${c}`);

/** A simple property, written either as an attribute (`xmp:Rating="3"`) or as an element. */
function property(xmp: string, name: string): string | undefined {
  const attribute = new RegExp(`\\s${escapeName(name)}\\s*=\\s*(?:"([^"]*)"|'([^']*)')`).exec(xmp);
  if (attribute) return decode(attribute[1] ?? attribute[2] ?? '');
  const element = new RegExp(`<${escapeName(name)}(?:\\s[^>]*)?>([^<]*)</${escapeName(name)}>`).exec(xmp);
  return element ? decode(element[1]!.trim()) : undefined;
}

/** The `rdf:li` items of a Bag, Seq or Alt property. */
function items(xmp: string, name: string): string[] {
  const block = new RegExp(`<${escapeName(name)}(?:\\s[^>]*)?>([\\s\\S]*?)</${escapeName(name)}>`).exec(xmp);
  if (!block) return [];
  return [...block[1]!.matchAll(/<rdf:li(?:\s[^>]*)?>([^<]*)<\/rdf:li>/g)].map((m) => decode(m[1]!.trim())).filter(Boolean);
}

/** Camera Raw settings that change the picture when not zero (white balance is always
 *  written, edited or not, so it is not among them). */
const CRS_ADJUSTMENTS = ['Exposure2012', 'Contrast2012', 'Highlights2012', 'Shadows2012', 'Whites2012', 'Blacks2012', 'Clarity2012', 'Texture', 'Dehaze', 'Vibrance', 'Saturation', 'Exposure', 'Contrast'];

function crsEdits(xmp: string): string[] {
  const edits: string[] = [];
  const changed = CRS_ADJUSTMENTS.filter((name) => {
    const value = property(xmp, `crs:${name}`);
    return value !== undefined && Number(value) !== 0 && !Number.isNaN(Number(value));
  });
  edits.push(...changed.map((name) => name.replace(/2012$/, '').toLowerCase()));
  if (property(xmp, 'crs:HasCrop') === 'True') edits.push('crop');
  if (property(xmp, 'crs:ConvertToGrayscale') === 'True') edits.push('black and white');
  return edits;
}

function darktableEdits(xmp: string): string[] {
  const end = Number(property(xmp, 'darktable:history_end') ?? '0');
  if (!(end > 0)) return [];
  const operations = [...xmp.matchAll(/darktable:operation="([^"]+)"/g)].map((m) => m[1]!);
  return [`darktable: ${[...new Set(operations.slice(0, end))].join(', ') || `${end} steps`}`];
}

/** "48,51.3N" (XMP's GPS form) or a plain decimal, in degrees. */
function xmpCoordinate(value: string | undefined): number | undefined {
  if (!value) return undefined;
  const m = /^(\d+(?:\.\d+)?)(?:,(\d+(?:\.\d+)?))?(?:,(\d+(?:\.\d+)?))?([NSEW])$/i.exec(value.trim());
  if (!m) return Number.isFinite(Number(value)) ? Number(value) : undefined;
  const degrees = Number(m[1]) + Number(m[2] ?? 0) / 60 + Number(m[3] ?? 0) / 3600;
  return /[SW]/i.test(m[4]!) ? -degrees : degrees;
}

export function parseXmp(xmp: string): SidecarFacts {
  const facts: SidecarFacts = {};
  const rating = Number(property(xmp, 'xmp:Rating'));
  if (Number.isInteger(rating) && rating !== 0 && rating >= -1 && rating <= 5) facts.rating = rating;
  const label = property(xmp, 'xmp:Label');
  if (label) facts.label = label;
  const keywords = items(xmp, 'dc:subject');
  if (keywords.length > 0) facts.keywords = keywords;
  const title = items(xmp, 'dc:title')[0] ?? items(xmp, 'dc:description')[0];
  if (title) facts.title = title;
  const edits = [crsEdits(xmp).join(', '), ...darktableEdits(xmp)].filter(Boolean);
  if (edits.length > 0) facts.edits = edits.join('; ');
  const [latitude, longitude] = [xmpCoordinate(property(xmp, 'exif:GPSLatitude')), xmpCoordinate(property(xmp, 'exif:GPSLongitude'))];
  if (latitude !== undefined && longitude !== undefined) facts.gps = { latitude, longitude };
  return facts;
}

interface TakeoutJson {
  title?: unknown;
  description?: unknown;
  photoTakenTime?: { timestamp?: unknown };
  geoData?: { latitude?: unknown; longitude?: unknown };
  geoDataExif?: { latitude?: unknown; longitude?: unknown };
  people?: Array<{ name?: unknown }>;
  favorited?: unknown;
}

/** Takeout writes 0, 0 where it knows no place. */
function place(geo: TakeoutJson['geoData']): SidecarFacts['gps'] {
  const [latitude, longitude] = [Number(geo?.latitude), Number(geo?.longitude)];
  return Number.isFinite(latitude) && Number.isFinite(longitude) && (latitude !== 0 || longitude !== 0) ? { latitude, longitude } : undefined;
}

/** The facts of a Google Takeout JSON, or undefined when the text is not one (any other JSON
 *  that happens to sit beside a photo). */
export function parseTakeout(text: string): SidecarFacts | undefined {
  let data: TakeoutJson;
  try {
    data = JSON.parse(text) as TakeoutJson;
  } catch {
    return undefined;
  }
  if (typeof data !== 'object' || data === null || (data.photoTakenTime === undefined && data.geoData === undefined && typeof data.title !== 'string')) return undefined;
  const facts: SidecarFacts = {};
  const seconds = Number(data.photoTakenTime?.timestamp);
  if (Number.isFinite(seconds) && seconds > 0) facts.dateTaken = new Date(seconds * 1000).toISOString().slice(0, 19);
  const gps = place(data.geoData) ?? place(data.geoDataExif);
  if (gps) facts.gps = gps;
  if (typeof data.description === 'string' && data.description.trim()) facts.title = data.description.trim();
  const people = (Array.isArray(data.people) ? data.people : []).map((p) => p?.name).filter((n): n is string => typeof n === 'string' && n.length > 0);
  if (people.length > 0) facts.keywords = people;
  if (data.favorited === true) facts.favorite = true;
  return facts;
}

/** What a sidecar adds, in short words for the member card and the compare table. */
export function describeFacts(facts: SidecarFacts | undefined): string[] {
  if (!facts) return [];
  const said: string[] = [];
  if (facts.rating !== undefined) said.push(facts.rating < 0 ? 'rejected' : `${'★'.repeat(facts.rating)} rating`);
  if (facts.label) said.push(`label ${facts.label}`);
  if (facts.favorite) said.push('favourite');
  if (facts.title) said.push(`“${facts.title}”`);
  if (facts.keywords?.length) said.push(`${facts.keywords.length === 1 ? 'keyword' : 'keywords'} ${facts.keywords.join(', ')}`);
  if (facts.edits) said.push(`edits (${facts.edits})`);
  if (facts.dateTaken) said.push(`taken ${facts.dateTaken.replace('T', ' ')} UTC`);
  if (facts.gps) said.push(`GPS ${facts.gps.latitude.toFixed(4)}, ${facts.gps.longitude.toFixed(4)}`);
  return said;
}

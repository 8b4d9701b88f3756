// The evidence each keeper rule weighs. A rule narrows a field of copies to those it prefers
// (all of them when it cannot tell them apart) and says in words why the keeper beat a copy.
// Narrowing instead of sorting lets a rule use a tolerance (a 4 % border is not "more of the
// photo") without an intransitive comparison.
import { formatFamily } from '../companions';
import type { Companion, SidecarFacts } from '../companions/discover';
import { describeFacts } from '../companions/sidecar-facts';
import type { ExifSummary, ImageEvidence } from '../fingerprint';
import type { SharedContent } from './overlap';
import type { KeeperRuleId } from './rules';

export interface KeeperCandidate {
  path: string;
  /** SHA-256 of the bytes: a byte-identical copy is no rival to explain a choice against. */
  digest?: string;
  width: number;
  height: number;
  size: number;
  dateTaken?: string;
  format?: string;
  /** Other names of the same physical file (symlinks to it, hard links). */
  otherNames?: readonly string[];
  mtimeMs?: number;
  exif?: ExifSummary;
  evidence?: ImageEvidence;
  /** Mean similarity to the other members of its group (set for groups of three or more). */
  centrality?: number;
  /** Its XMP sidecars, Takeout JSON and Live Photo video, with what they add. */
  companions?: readonly Companion[];
}

export interface RuleContext {
  lessPreferredFolders: (path: string) => boolean;
  /** The content two candidates share, where the verifier aligned them. */
  shared?: (x: KeeperCandidate, y: KeeperCandidate) => SharedContent | undefined;
}

export interface EvidenceRule {
  /** The copies this rule prefers among `field` (never empty). */
  narrow(field: readonly KeeperCandidate[], context: RuleContext): KeeperCandidate[];
  /** Why `keeper` was preferred over `other`, which this rule set aside. */
  explain(keeper: KeeperCandidate, other: KeeperCandidate, context: RuleContext): string;
}

/** Keeps the candidates whose score is within `slack` of the best (higher is better). */
function best(field: readonly KeeperCandidate[], score: (c: KeeperCandidate) => number, slack: (top: number) => number = () => 0): KeeperCandidate[] {
  const top = Math.max(...field.map(score));
  return field.filter((c) => score(c) >= top - slack(top));
}

/** Narrows to those without `flaw` when some have it and some do not. */
function without(field: readonly KeeperCandidate[], flaw: (c: KeeperCandidate) => boolean): KeeperCandidate[] {
  const clean = field.filter((c) => !flaw(c));
  return clean.length > 0 ? clean : [...field];
}

/** Applies narrowing steps in turn (the sub-rules of one rule). */
function steps(field: readonly KeeperCandidate[], ...narrowers: Array<(f: readonly KeeperCandidate[]) => KeeperCandidate[]>): KeeperCandidate[] {
  return narrowers.reduce<KeeperCandidate[]>((f, narrow) => (f.length > 1 ? narrow(f) : f), [...field]);
}

// ---- content: the photo inside borders, at its resolution ----

/** Within this share of the largest, contents count as the same size (a border's resampling,
 *  the trim's rounding). */
const CONTENT_SLACK = 0.03;

/** The content's size: the frame without the bars found around it, on an axis only where they
 *  are centred (a bar on each side, about as wide): added borders and letterbox bars are, a
 *  photo's own dark sky or shadow along one edge is not. */
function contentSize(c: KeeperCandidate): [number, number] {
  const [left, top, w, h] = c.evidence?.content ?? [0, 0, 1, 1];
  return [Math.round(c.width * (centred(left, 1 - left - w) ? w : 1)), Math.round(c.height * (centred(top, 1 - top - h) ? h : 1))];
}

/** Opposite bars within this share of the frame, or of the wider bar, of each other. */
const BAR_MISMATCH = 0.01;
function centred(before: number, after: number): boolean {
  return before > 0 && after > 0 && Math.abs(before - after) <= Math.max(BAR_MISMATCH, 0.25 * Math.max(before, after));
}
const contentPixels = (c: KeeperCandidate) => contentSize(c)[0] * contentSize(c)[1];

/** Aligned copies: a photo lying wholly inside another image that shows it at more pixels (a
 *  screenshot, a page) or a crop of a larger photo scaled down: the alignment alone cannot tell
 *  which was made from which (an upscaled photo has pixels but no detail), so their sizes are
 *  not compared. Within this share the photo counts as wholly inside. */
const INSIDE_SLACK = 0.05;
/** …and the other has at least this share of its content around it. */
const AROUND = 0.1;

function insideLarger(x: KeeperCandidate, y: KeeperCandidate, context: RuleContext): boolean {
  const o = context.shared?.(x, y);
  return o !== undefined && o.outsideX <= INSIDE_SLACK && o.outsideY >= AROUND && o.inY > o.inX * (1 + CONTENT_SLACK);
}
const undecidable = (x: KeeperCandidate, y: KeeperCandidate, context: RuleContext) => insideLarger(x, y, context) || insideLarger(y, x, context);

const content: EvidenceRule = {
  narrow: (field, context) => without(field, (x) => field.some((y) => contentPixels(y) * (1 - CONTENT_SLACK) > contentPixels(x) && !undecidable(x, y, context))),
  explain: (k, o) => `more of the photo: ${contentSize(k).join('×')} vs ${contentSize(o).join('×')}${framed(o) ? ' inside its border' : ''}`,
};

function framed(c: KeeperCandidate): boolean {
  const [w, h] = contentSize(c);
  return w < c.width || h < c.height;
}

// ---- camera: what a camera writes and apps drop ----

/** A later write than the capture, or a program other than a camera's firmware. */
export function editTrace(exif: ExifSummary | undefined): string | undefined {
  if (!exif) return undefined;
  if (exif.modifyDate && (!exif.dateTaken || exif.modifyDate > exif.dateTaken)) return exif.dateTaken ? `modified ${exif.modifyDate.slice(0, 10)}, after it was taken` : `its EXIF says it was written ${exif.modifyDate.slice(0, 10)}, with no date taken`;
  if (exif.software && !exif.make && !exif.model) return `written by ${exif.software}`;
  return undefined;
}

const hasExifBlock = (exif: ExifSummary | undefined) => exif !== undefined && Object.keys(exif).length > 0;

/** Both carry an EXIF modify date, and `c`'s is over a day after `d`'s. */
function writtenLater(c: KeeperCandidate, d: KeeperCandidate): boolean {
  const [mc, md] = [c.exif?.modifyDate, d.exif?.modifyDate];
  if (!mc || !md) return false;
  return Date.parse(mc) - Date.parse(md) > 86_400_000;
}

function cameraScore(c: KeeperCandidate): number {
  const exif = c.exif;
  if (!exif) return c.dateTaken ? 2 : 0;
  const camera = (exif.make || exif.model ? 4 : 0) + (exif.dateTaken ? 2 : 0) + (exif.gpsPresent ? 1 : 0) + (exif.orientation !== undefined && exif.orientation !== 1 ? 1 : 0);
  // An EXIF block alone is the weakest sign (apps that share photos drop it whole), and none
  // when an editor wrote it.
  return camera > 0 ? camera : hasExifBlock(exif) && !editTrace(exif) ? 1 : 0;
}

function cameraFacts(c: KeeperCandidate): string {
  const exif = c.exif ?? {};
  const facts = [
    exif.make || exif.model ? [exif.make, exif.model].filter(Boolean).join(' ') : '',
    exif.dateTaken ? 'date taken' : '',
    exif.gpsPresent ? 'GPS' : '',
    exif.orientation !== undefined && exif.orientation !== 1 ? 'orientation tag' : '',
  ].filter(Boolean);
  return facts.length > 0 ? facts.join(', ') : 'an EXIF block';
}

const camera: EvidenceRule = {
  narrow: (field) => best(field, cameraScore),
  explain: (k, o) => {
    const trace = editTrace(o.exif);
    if (cameraFacts(k) === 'an EXIF block') return trace ? `its EXIF shows no edit; the other's does (${trace})` : 'keeps its EXIF block; the other has none';
    return `keeps its camera metadata (${cameraFacts(k)})${hasExifBlock(o.exif) ? `; the other has less (${cameraFacts(o)})` : '; the other has none'}`;
  },
};

// ---- sidecars: what a photo manager wrote beside the copy ----

/** Each thing a sidecar adds counts once; edits twice (the work a person would lose); a
 *  Lightroom rejection counts against the copy. */
function sidecarScore(c: KeeperCandidate): number {
  const facts = sidecarFacts(c);
  return (facts.edits ? 2 : 0) + (facts.rating !== undefined ? Math.sign(facts.rating) : 0) + [facts.label, facts.keywords?.length, facts.title, facts.dateTaken, facts.gps, facts.favorite].filter(Boolean).length;
}

/** What the copy's sidecars add, merged (the first sidecar saying a thing wins). */
function sidecarFacts(c: KeeperCandidate): SidecarFacts {
  const merged: SidecarFacts = {};
  for (const companion of c.companions ?? []) for (const [key, value] of Object.entries(companion.adds ?? {})) (merged as Record<string, unknown>)[key] ??= value;
  return merged;
}

const sidecarNames = (c: KeeperCandidate) => (c.companions ?? []).filter((x) => x.adds).map((x) => x.path.slice(x.path.search(/[^\\/]*$/)));

const sidecars: EvidenceRule = {
  narrow: (field) => best(field, sidecarScore),
  explain: (k, o) => {
    const other = describeFacts(sidecarFacts(o));
    if (sidecarScore(k) === 0) return `the other was rejected in its sidecar (${sidecarNames(o).join(', ')})`;
    return `its sidecar ${sidecarNames(k).join(', ')} holds ${describeFacts(sidecarFacts(k)).join(', ')}; ${other.length ? `the other's has less (${other.join(', ')})` : 'the other has none'}`;
  },
};

// ---- encoding: what the bytes can hold ----

const CAMERA_FORMATS = new Set(['jpeg', 'heif', 'raw']);
const isCameraFormat = (c: KeeperCandidate) => CAMERA_FORMATS.has(formatFamily(c.format) ?? '');
const isRaw = (c: KeeperCandidate) => formatFamily(c.format) === 'raw';
/** JPEG qualities this close are one setting read from slightly different tables. */
const QUALITY_SLACK = 2;
/** Under libjpeg's default quality a JPEG has visibly lost detail. Above it, a higher quality
 *  says nothing of which came first: apps re-encode at 90 what cameras wrote at 80. */
const VISIBLY_COMPRESSED = 75;

const encoding: EvidenceRule = {
  narrow: (field) =>
    steps(
      field,
      (f) => without(f, (c) => !isCameraFormat(c)),
      (f) => without(f, (c) => !isRaw(c)),
      (f) => {
        const rated = f.filter((c) => c.evidence?.jpegQuality !== undefined);
        if (rated.length < f.length) return [...f];
        const top = Math.max(...f.map((c) => c.evidence!.jpegQuality!));
        return f.filter((c) => c.evidence!.jpegQuality! >= Math.min(VISIBLY_COMPRESSED, top - QUALITY_SLACK));
      },
    ),
  explain: (k, o) =>
    isRaw(k) && !isRaw(o)
      ? `the camera's RAW; the ${formatName(o)} was rendered from it`
      : isCameraFormat(o)
      ? `higher JPEG quality: ${k.evidence?.jpegQuality} vs ${o.evidence?.jpegQuality}`
      : `${formatName(k)} as a camera writes it; the ${formatName(o)} holds no more than the ${formatName(k)} it was likely made from`,
};

const formatName = (c: KeeperCandidate) => (c.format ?? 'unknown').toUpperCase().replace('HEIF', 'HEIC');

// ---- edits: what editing leaves behind ----

/** `d` has colour `c` lacks: chroma over three times c's plus 3 levels (a grey photo, toned or
 *  not, stays near 1–3; a coloured logo on a nearly monochrome photo adds a few levels). */
function moreColour(d: KeeperCandidate, c: KeeperCandidate): boolean {
  const [dc, cc] = [d.evidence?.chroma, c.evidence?.chroma];
  if (dc === undefined || cc === undefined) return d.evidence?.grey === false && c.evidence?.grey === true;
  return dc >= 3 * cc + 3;
}
/** Detail this many times under the most detailed copy's means a blur or a softening. */
const BLUR_RATIO = 1.5;
/** Noise this far above the quietest copy was added. */
const noiseExcess = (least: number) => least * 0.5 + 0.5;


/** Fine detail independent of contrast: gradient energy less what the noise explains (4σ² for
 *  neighbour differences of independent noise), over the luma variance. */
function detail(c: KeeperCandidate): number | undefined {
  const e = c.evidence;
  if (!e?.contrast || e.contrast < 1) return undefined;
  return Math.max(0, e.sharpness - 4 * e.noise ** 2) / e.contrast ** 2;
}

const edits: EvidenceRule = {
  narrow: (field) =>
    steps(
      field,
      (f) => without(f, (c) => f.some((d) => moreColour(d, c))),
      // Only against a copy whose EXIF shows no edit: a file without EXIF says nothing.
      (f) => (f.some((c) => hasExifBlock(c.exif) && !editTrace(c.exif)) ? without(f, (c) => editTrace(c.exif) !== undefined) : [...f]),
      // Edited both: the one whose EXIF was written later was written from the other.
      (f) => without(f, (c) => f.some((d) => writtenLater(c, d))),
      (f) => {
        const most = Math.max(...f.map((c) => detail(c) ?? 0));
        return without(f, (c) => (detail(c) ?? most) < most / BLUR_RATIO);
      },
      // Not clipped pixels: brightening clips them, darkening or noise takes them out of the clip.
      (f) => lowest(f, (c) => c.evidence?.noise, noiseExcess),
    ),
  explain: (k, o) => {
    if (moreColour(k, o)) return o.evidence?.grey ? 'in colour; the other is black-and-white' : 'in colour; the other is toned (its colour only follows brightness)';
    const trace = editTrace(o.exif);
    if (trace && !editTrace(k.exif)) return `no sign of editing; the other was edited (${trace})`;
    if (writtenLater(o, k)) return `its EXIF was written earlier: ${k.exif!.modifyDate!.slice(0, 10)} vs ${o.exif!.modifyDate!.slice(0, 10)}`;
    const [dk, dO] = [detail(k), detail(o)];
    if (dk !== undefined && dO !== undefined && dO < dk / BLUR_RATIO) return `sharper: ${(dk / Math.max(dO, 1e-9)).toFixed(1)}× the fine detail of the other (blurred or softened)`;
    return `less noise: ${k.evidence?.noise?.toFixed(1)} vs ${o.evidence?.noise?.toFixed(1)} grey levels (noise was added to the other)`;
  },
};

/** Keeps those within `excess(least)` of the least value; unknown values stay. */
function lowest(field: readonly KeeperCandidate[], value: (c: KeeperCandidate) => number | undefined, excess: (least: number) => number): KeeperCandidate[] {
  const known = field.map(value).filter((v): v is number => v !== undefined);
  if (known.length < 2) return [...field];
  const least = Math.min(...known);
  return field.filter((c) => (value(c) ?? least) <= least + excess(least));
}


// ---- central: the copy the others were derived from ----

const CENTRAL_SLACK = 0.02;

const central: EvidenceRule = {
  narrow: (field) => (field.some((c) => c.centrality === undefined) ? [...field] : best(field, (c) => c.centrality!, () => CENTRAL_SLACK)),
  explain: (k, o) => `closest to the other copies (mean similarity ${k.centrality!.toFixed(2)} vs ${o.centrality!.toFixed(2)}): they look derived from it`,
};

// ---- time, folders, links, size ----

const NO_DATE = '\uffff';
/** Copies written within this of each other were written together (a copy keeps no time). */
const MTIME_SLACK_MS = 2000;

const dateTaken: EvidenceRule = {
  narrow: (field) => {
    const first = field.map((c) => c.dateTaken ?? NO_DATE).reduce((a, b) => (b < a ? b : a));
    return field.filter((c) => (c.dateTaken ?? NO_DATE) === first);
  },
  explain: (k, o) => `earliest date taken: ${k.dateTaken} vs ${o.dateTaken ?? 'none'}`,
};

const modified: EvidenceRule = {
  narrow: (field) => (field.some((c) => c.mtimeMs === undefined) ? [...field] : best(field, (c) => -c.mtimeMs!, () => MTIME_SLACK_MS)),
  explain: (k, o) => `modified earlier: ${isoDay(k.mtimeMs!)} vs ${isoDay(o.mtimeMs!)}`,
};

const isoDay = (ms: number) => new Date(ms).toISOString().slice(0, 16).replace('T', ' ');

const folders: EvidenceRule = {
  narrow: (field, context) => without(field, (c) => context.lessPreferredFolders(c.path)),
  explain: () => 'not in a less-preferred folder',
};

const linked: EvidenceRule = {
  narrow: (field) => without(field, (c) => (c.otherNames?.length ?? 0) === 0),
  // Deleting a file other names lead to breaks its symlinks, and frees nothing while a hard
  // link to it remains.
  explain: (k) => `other names lead to this file (${k.otherNames!.length}): deleting it would break them or free nothing`,
};

const size: EvidenceRule = {
  narrow: (field) => best(field, (c) => -c.size),
  explain: (k, o) => `smallest file: ${formatSizes(k.size, o.size)}`,
};

export const EVIDENCE_RULES: Readonly<Record<KeeperRuleId, EvidenceRule>> = { content, camera, sidecars, encoding, edits, central, 'date-taken': dateTaken, modified, folders, linked, size };

/** Two sizes in the same unit, precise enough to show they differ. */
function formatSizes(a: number, b: number): string {
  const [unit, scale] = a >= 1e6 ? ['MB', 1e6] : a >= 1e3 ? ['KB', 1e3] : ['bytes', 1];
  for (const digits of [1, 2, 3]) {
    const [x, y] = [(a / scale).toFixed(digits), (b / scale).toFixed(digits)];
    if (x !== y) return `${x} ${unit} vs ${y} ${unit}`;
  }
  return `${a.toLocaleString('en-US')} bytes vs ${b.toLocaleString('en-US')} bytes`;
}

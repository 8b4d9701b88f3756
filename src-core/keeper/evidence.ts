// The evidence each keeper rule weighs. A rule narrows a field of copies to those it prefers
// (all of them when it cannot tell them apart) and says in words why the keeper beat a copy.
// Narrowing instead of sorting lets a rule use a tolerance (a 4 % border is not "more of the
// photo") without an intransitive comparison.
import { formatFamily } from '../companions';
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

/** Aligned copies: within this share the shared part is shown at the same resolution. */
const ALIGNED_SLACK = 0.1;

/** How `y` beats `x` on the content they share, if it does: it shows the shared part larger,
 *  or it shows as much of it and more around it (x is a part of y: a crop, a cut-out). */
function alignedAdvantage(x: KeeperCandidate, y: KeeperCandidate, context: RuleContext): 'larger' | 'contains' | undefined {
  const o = context.shared?.(x, y);
  if (!o) return undefined;
  if (o.inY > o.inX * (1 + ALIGNED_SLACK)) return 'larger';
  if (o.inY >= o.inX * (1 - ALIGNED_SLACK) && o.outsideX <= ALIGNED_SLACK / 2 && o.outsideY >= ALIGNED_SLACK) return 'contains';
  return undefined;
}

const content: EvidenceRule = {
  narrow: (field, context) => {
    const undominated = without(field, (x) => field.some((y) => y !== x && alignedAdvantage(x, y, context) !== undefined));
    return best(undominated, contentPixels, (top) => top * CONTENT_SLACK);
  },
  explain: (k, o, context) => {
    const shared = context.shared?.(o, k);
    switch (shared && alignedAdvantage(o, k, context)) {
      case 'larger':
        return `shows the photo larger: the other holds it at ${Math.sqrt(shared!.inX / shared!.inY).toFixed(2)}× this size`;
      case 'contains':
        return `more of the photo: the other is a part of it (${Math.round((1 - shared!.outsideY) * 100)}% of it, aligned)`;
      default:
        return `more of the photo: ${contentSize(k).join('×')} vs ${contentSize(o).join('×')}${framed(o) ? ' inside its border' : ''}`;
    }
  },
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

// ---- encoding: what the bytes can hold ----

const CAMERA_FORMATS = new Set(['jpeg', 'heif', 'raw']);
const isCameraFormat = (c: KeeperCandidate) => CAMERA_FORMATS.has(formatFamily(c.format) ?? '');
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
      (f) => {
        const rated = f.filter((c) => c.evidence?.jpegQuality !== undefined);
        if (rated.length < f.length) return [...f];
        const top = Math.max(...f.map((c) => c.evidence!.jpegQuality!));
        return f.filter((c) => c.evidence!.jpegQuality! >= Math.min(VISIBLY_COMPRESSED, top - QUALITY_SLACK));
      },
    ),
  explain: (k, o) =>
    isCameraFormat(o)
      ? `higher JPEG quality: ${k.evidence?.jpegQuality} vs ${o.evidence?.jpegQuality}`
      : `${formatName(k)} as a camera writes it; the ${formatName(o)} holds no more than the ${formatName(k)} it was likely made from`,
};

const formatName = (c: KeeperCandidate) => (c.format ?? 'unknown').toUpperCase().replace('HEIF', 'HEIC');

// ---- edits: what editing leaves behind ----

/** Clipped pixels this much above the least clipped copy mean a tone edit pushed them out. */
const clipExcess = (least: number) => least * 1 + 0.01;
/** Noise this far above the quietest copy was added. */
const noiseExcess = (least: number) => least * 0.5 + 0.5;

const edits: EvidenceRule = {
  narrow: (field) =>
    steps(
      field,
      (f) => without(f, (c) => c.evidence?.grey === true),
      // Only against a copy whose EXIF shows no edit: a file without EXIF says nothing.
      (f) => (f.some((c) => hasExifBlock(c.exif) && !editTrace(c.exif)) ? without(f, (c) => editTrace(c.exif) !== undefined) : [...f]),
      (f) => lowest(f, (c) => c.evidence?.clipped, clipExcess),
      (f) => lowest(f, (c) => c.evidence?.noise, noiseExcess),
    ),
  explain: (k, o) => {
    if (o.evidence?.grey && !k.evidence?.grey) return 'in colour; the other is black-and-white';
    const trace = editTrace(o.exif);
    if (trace && !editTrace(k.exif)) return `no sign of editing; the other was edited (${trace})`;
    const [kc, oc] = [k.evidence?.clipped ?? 0, o.evidence?.clipped ?? 0];
    if (oc > clipExcess(kc) + kc) return `fewer clipped highlights and shadows: ${percent(kc)} vs ${percent(oc)} of its pixels (the other's tones were pushed)`;
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

const percent = (share: number) => `${(share * 100).toFixed(1)}%`;

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
  narrow: (field) => best(field, (c) => c.size),
  explain: (k, o) => `largest file: ${formatSizes(k.size, o.size)}`,
};

export const EVIDENCE_RULES: Readonly<Record<KeeperRuleId, EvidenceRule>> = { content, camera, encoding, edits, central, 'date-taken': dateTaken, modified, folders, linked, size };

/** Two sizes in the same unit, precise enough to show they differ. */
function formatSizes(a: number, b: number): string {
  const [unit, scale] = a >= 1e6 ? ['MB', 1e6] : a >= 1e3 ? ['KB', 1e3] : ['bytes', 1];
  for (const digits of [1, 2, 3]) {
    const [x, y] = [(a / scale).toFixed(digits), (b / scale).toFixed(digits)];
    if (x !== y) return `${x} ${unit} vs ${y} ${unit}`;
  }
  return `${a.toLocaleString('en-US')} bytes vs ${b.toLocaleString('en-US')} bytes`;
}

// Files that travel with a photo (its companions): XMP sidecars, Google Takeout's metadata JSON
// and a Live Photo's video, found by name among the files of the photo's folder. Names only:
// what a sidecar says is read elsewhere (./sidecar-facts.ts).
//
// A companion belongs to the photos its name leads to. A name two photos can claim (IMG_1.xmp
// beside IMG_1.CR2 and IMG_1.JPG, IMG_1.MOV beside IMG_1.HEIC and IMG_1.JPG) belongs to the
// pair: it moves only when every photo it belongs to goes.
import { hasImageExtension } from '../image-extensions';

export type CompanionKind = 'xmp' | 'takeout' | 'live';

/** What a companion adds to its photo: what would be lost with it. */
export interface SidecarFacts {
  /** XMP rating 1..5; -1 is Lightroom's "rejected". */
  rating?: number;
  /** XMP colour label. */
  label?: string;
  /** XMP keywords (dc:subject); Takeout: the people named in it. */
  keywords?: string[];
  /** XMP dc:title or description; Takeout's description. */
  title?: string;
  /** XMP develop settings (Lightroom, Camera Raw, darktable): the edits live in the sidecar. */
  edits?: string;
  /** Takeout's photoTakenTime, UTC, `YYYY-MM-DDTHH:MM:SS`. */
  dateTaken?: string;
  /** Takeout's or the XMP's location. */
  gps?: { latitude: number; longitude: number };
  /** Takeout: marked as a favourite. */
  favorite?: true;
}

/** A companion as the watcher lists it and the renderer stores it with its photo. */
export interface Companion {
  path: string;
  kind: CompanionKind;
  size: number;
  mtimeMs: number;
  /** The other photos this one also belongs to (a shared sidecar): it moves only with them. */
  sharedWith?: string[];
  adds?: SidecarFacts;
}

const LIVE_OWNERS = new Set(['heic', 'heif', 'jpg', 'jpeg']);
const SUPPLEMENTAL = '.supplemental-metadata';

const extension = (name: string) => {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(dot + 1).toLowerCase() : '';
};
const stem = (name: string) => {
  const dot = name.lastIndexOf('.');
  return dot > 0 ? name.slice(0, dot) : name;
};

/** Could this name be a companion of some photo (so a listing reads it)? */
export function isCompanionName(name: string): boolean {
  return !name.startsWith('.') && ['xmp', 'json', 'mov', 'mp4'].includes(extension(name));
}

/** A folder's photo names, findable by name and by name without extension. */
export class FolderPhotos {
  private readonly byStem = new Map<string, string[]>();

  constructor(private readonly names: ReadonlySet<string>) {
    for (const name of [...names].sort()) {
      if (!hasImageExtension(name)) continue;
      const list = this.byStem.get(stem(name)) ?? [];
      list.push(name);
      this.byStem.set(stem(name), list);
    }
  }

  has(name: string): boolean {
    return this.names.has(name);
  }

  withStem(wanted: string): string[] {
    return this.byStem.get(wanted) ?? [];
  }
}

/** The photo names (among `photos`) a companion name belongs to, and its kind; undefined when
 *  it belongs to none of them. */
export function ownersOf(name: string, photos: FolderPhotos): { kind: CompanionKind; owners: string[] } | undefined {
  const ext = extension(name);
  if (ext === 'xmp') {
    // IMG_1.CR2.xmp names its photo whole; IMG_1.xmp every photo called IMG_1.
    const whole = stem(name);
    if (hasImageExtension(whole) && photos.has(whole)) return { kind: 'xmp', owners: [whole] };
    return found('xmp', photos.withStem(stem(name)));
  }
  if (ext === 'json') return found('takeout', takeoutOwner(stem(name), photos));
  if (ext === 'mov' || ext === 'mp4') return found('live', photos.withStem(stem(name)).filter((p) => LIVE_OWNERS.has(extension(p))));
  return undefined;
}

const found = (kind: CompanionKind, owners: string[]) => (owners.length > 0 ? { kind, owners } : undefined);

/**
 * Takeout's names for IMG_1.jpg's JSON: IMG_1.jpg.json, IMG_1.jpg.supplemental-metadata.json
 * (cut short on long names: .supplemental-metad.json, .suppl.json), and for the numbered copy
 * IMG_1(1).jpg: IMG_1.jpg(1).json, IMG_1.jpg.supplemental-metadata(1).json.
 */
function takeoutOwner(base: string, photos: FolderPhotos): string[] {
  const numbered = /^(.*)\((\d+)\)$/.exec(base);
  const [named, copy] = numbered ? [numbered[1]!, numbered[2]!] : [base, undefined];
  const dot = named.lastIndexOf('.');
  const tail = dot > 0 ? named.slice(dot) : '';
  const photo = tail.length > 2 && SUPPLEMENTAL.startsWith(tail) ? named.slice(0, dot) : named;
  if (!hasImageExtension(photo)) return [];
  const name = copy === undefined ? photo : `${stem(photo)}(${copy}).${photo.slice(photo.lastIndexOf('.') + 1)}`;
  return photos.has(name) ? [name] : [];
}

/** Every companion of every photo of one folder: photo name → its companions' names, each with
 *  its kind and the other photos it also belongs to. */
export function companionsInFolder(names: readonly string[], photoNames: ReadonlySet<string>): Map<string, Array<{ name: string; kind: CompanionKind; sharedWith: string[] }>> {
  const photos = new FolderPhotos(photoNames);
  const byPhoto = new Map<string, Array<{ name: string; kind: CompanionKind; sharedWith: string[] }>>();
  for (const name of names) {
    if (!isCompanionName(name)) continue;
    const owned = ownersOf(name, photos);
    if (!owned) continue;
    for (const owner of owned.owners) {
      const list = byPhoto.get(owner) ?? [];
      list.push({ name, kind: owned.kind, sharedWith: owned.owners.filter((o) => o !== owner) });
      byPhoto.set(owner, list);
    }
  }
  return byPhoto;
}

/** The date taken a photo's Takeout JSON gives (used when the image has no EXIF date). */
export function companionDateTaken(companions: readonly Companion[] | undefined): string | undefined {
  return companions?.find((c) => c.kind === 'takeout' && c.adds?.dateTaken)?.adds?.dateTaken;
}

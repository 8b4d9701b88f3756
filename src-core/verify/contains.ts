// "Appears inside": a collage or a page that holds a photo among other pictures. The verifier
// aligns them but reports the pair as `contains` rather than a match (src-main/verify), so the
// photo is never grouped with the collage nor offered for deletion against it; the relation is
// listed on its own, both ways (the collage holds the photo, the photo appears in the collage).
import type { PairDecision } from './verified-pairs';

export interface Containment {
  /** Path and content of the image holding the other (the collage, the page). */
  container: string;
  containerDigest: string;
  /** Path and content of the photo inside it. */
  photo: string;
  photoDigest: string;
}

/** Every decided pair the verifier found to be one image inside another, by path (the first
 *  file holding each content). */
export function containments(decisions: Iterable<PairDecision>, files: ReadonlyArray<{ path: string; digest: string }>): Containment[] {
  const pathOf = new Map<string, string>();
  for (const f of files) if (!pathOf.has(f.digest)) pathOf.set(f.digest, f.path);
  const found: Containment[] = [];
  for (const d of decisions) {
    if (!d.contains) continue;
    const [container, photo] = d.contains === 'a' ? [d.a, d.b] : [d.b, d.a];
    const [containerPath, photoPath] = [pathOf.get(container), pathOf.get(photo)];
    if (containerPath && photoPath) found.push({ container: containerPath, containerDigest: container, photo: photoPath, photoDigest: photo });
  }
  return found;
}

// A photo's companions in words: what the confirm dialog says goes with it ("and its sidecar
// IMG_1.xmp"), what History and the results say went or stayed, and what the member card and
// the compare table say each adds.
import type { CompanionResult } from '../../../src-core/api';
import type { Companion } from '../../../src-core/companions/discover';
import { describeFacts } from '../../../src-core/companions/sidecar-facts';
import { fileName } from '../format';

const isVideo = (path: string) => /\.(mov|mp4)$/i.test(path);

/** "and its sidecar IMG_1.xmp", "and its sidecars A.xmp, A.jpg.json and its Live Photo video
 *  A.MOV"; '' without companions. */
export function companionPhrase(companions: ReadonlyArray<Pick<Companion, 'path'>> | undefined): string {
  const sidecars = (companions ?? []).filter((c) => !isVideo(c.path)).map((c) => fileName(c.path));
  const videos = (companions ?? []).filter((c) => isVideo(c.path)).map((c) => fileName(c.path));
  const parts = [
    ...(sidecars.length ? [`its ${sidecars.length === 1 ? 'sidecar' : 'sidecars'} ${sidecars.join(', ')}`] : []),
    ...(videos.length ? [`its Live Photo ${videos.length === 1 ? 'video' : 'videos'} ${videos.join(', ')}`] : []),
  ];
  return parts.length ? `and ${parts.join(' and ')}` : '';
}

/** The confirm dialog's line for a photo that goes: what goes with it, and each shared sidecar
 *  that stays because another photo it belongs to stays (main leaves it in place). */
export function goingWith(path: string, companions: readonly Companion[] | undefined, going: ReadonlySet<string>): string {
  const stayingOwners = (c: Companion) => (c.sharedWith ?? []).filter((owner) => !going.has(owner));
  const goes = (companions ?? []).filter((c) => stayingOwners(c).length === 0);
  const stays = (companions ?? []).filter((c) => stayingOwners(c).length > 0).map((c) => `${fileName(c.path)} stays with ${stayingOwners(c).map(fileName).join(', ')}`);
  return [`${fileName(path)}${goes.length ? ` ${companionPhrase(goes)}` : ''}`, ...stays].join('; ');
}

const KIND_NAMES: Record<Companion['kind'], string> = { xmp: 'XMP sidecar', takeout: 'Google Takeout metadata', live: 'Live Photo video' };

/** One line per companion: its name, what it is and what it adds. */
export function companionLines(companions: readonly Companion[] | undefined): string[] {
  return (companions ?? []).map((c) => {
    const adds = describeFacts(c.adds);
    const shared = c.sharedWith?.length ? `, shared with ${c.sharedWith.map(fileName).join(', ')}` : '';
    return `${fileName(c.path)} (${KIND_NAMES[c.kind]}${shared})${adds.length ? `: ${adds.join(', ')}` : ''}`;
  });
}

/** What became of the companions of one file of an action, for History and the results. */
export function companionOutcome(companions: readonly CompanionResult[] | undefined): { went: string; stayed: string[] } {
  const list = companions ?? [];
  return {
    went: companionPhrase(list.filter((c) => c.status === 'moved')).replace(/^and /, 'with '),
    stayed: list.filter((c) => c.status !== 'moved').map((c) => `${fileName(c.path)} ${c.status === 'failed' ? 'failed' : 'stayed'}: ${c.reason ?? ''}`),
  };
}

/** History's line for one file: "IMG_1.jpg with its sidecar IMG_1.xmp; IMG_1.MOV stayed: …". */
export function outcomeLine(path: string, companions: readonly CompanionResult[] | undefined): string {
  const { went, stayed } = companionOutcome(companions);
  return [`${fileName(path)}${went ? ` ${went}` : ''}`, ...stayed].join('; ');
}

// What the trash/move confirmation shows: the marked files group by group, beside the copy that
// stays, small enough to render for thousands of marked files: each group shows a few of its
// files ("and N more"), and only the rows in view are rendered.
import type { DuplicateGroup, GroupMember } from '../../../src-core/cluster/groups';

/** Files shown per group; the rest are counted. */
export const GOING_SHOWN = 4;

export interface PreviewRow {
  /** The group's first member: stable while the dialog is open. */
  key: string;
  /** The copy that stays and is shown (the keeper unless it is marked too); none when every
   *  copy is marked (main then refuses them all). */
  stays?: GroupMember;
  /** How many other members of the group stay. */
  alsoStay: number;
  /** The first GOING_SHOWN marked members. */
  going: GroupMember[];
  /** Marked members not shown. */
  more: number;
}

export function deletionPreview(groups: readonly DuplicateGroup[], marked: ReadonlySet<string>): PreviewRow[] {
  const rows: PreviewRow[] = [];
  for (const group of groups) {
    const going = group.members.filter((m) => marked.has(m.path));
    const staying = group.members.filter((m) => !marked.has(m.path));
    if (going.length === 0) continue;
    rows.push({ key: group.members[0]!.path, stays: staying[0], alsoStay: Math.max(0, staying.length - 1), going: going.slice(0, GOING_SHOWN), more: Math.max(0, going.length - GOING_SHOWN) });
  }
  return rows;
}

/** A file name short enough for a thumbnail's caption. It keeps the end, where copies of one
 *  photo differ ("-small", " copy", the extension); the whole path is in the tooltip. */
export const captionName = (name: string, max = 15): string => (name.length <= max ? name : `…${name.slice(-(max - 1))}`);

/** The rows of a fixed-height list to render for a scroll position: those in view plus
 *  `overscan` on each side. */
export function rowsInView(count: number, scrollTop: number, viewHeight: number, rowHeight: number, overscan = 2): { first: number; last: number } {
  const first = Math.max(0, Math.floor(scrollTop / rowHeight) - overscan);
  const last = Math.min(count, Math.ceil((scrollTop + viewHeight) / rowHeight) + overscan);
  return { first, last: Math.max(first, last) };
}

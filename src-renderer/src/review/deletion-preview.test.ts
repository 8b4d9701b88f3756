// The confirmation's preview: every marked file counted group by group beside what stays, and a
// bounded number of thumbnails rendered however many files are marked.
import { describe, expect, it } from 'vitest';
import { captionName, deletionPreview, GOING_SHOWN, rowsInView } from './deletion-preview';
import { group, member } from './review-test-support';

describe('deletion preview', () => {
  it('puts the copy that stays beside the marked ones, and counts those not shown', () => {
    const groups = [group([member('/p/a.jpg', 'A'), member('/p/b.jpg', 'B'), member('/p/c.jpg', 'C')]), group([member('/q/x.jpg', 'X'), member('/q/y.jpg', 'Y')])];
    const rows = deletionPreview(groups, new Set(['/p/b.jpg']));
    expect(rows).toHaveLength(1);
    expect(rows[0]).toMatchObject({ stays: { path: '/p/a.jpg' }, alsoStay: 1, going: [{ path: '/p/b.jpg' }], more: 0 });
  });

  it('renders a bounded number of thumbnails for 5,000 marked files', () => {
    // 990 groups of a keeper and 5 marked copies, and one of a keeper and 50.
    const groups = Array.from({ length: 990 }, (_, g) => group(Array.from({ length: 6 }, (_, k) => member(`/g${g}/${k}.jpg`, `${g}-${k}`))));
    groups.push(group(Array.from({ length: 51 }, (_, k) => member(`/big/${k}.jpg`, `big-${k}`))));
    const marked = new Set(groups.flatMap((g) => g.members.slice(1).map((m) => m.path)));
    expect(marked.size).toBe(5_000);

    const rows = deletionPreview(groups, marked);
    expect(rows.reduce((n, r) => n + r.going.length + r.more, 0)).toBe(5_000);
    expect(rows.at(-1)).toMatchObject({ more: 50 - GOING_SHOWN });

    // The dialog's list: 320 px tall, 96 px rows, scrolled anywhere.
    for (const scrollTop of [0, 40_000, rows.length * 96]) {
      const { first, last } = rowsInView(rows.length, scrollTop, 320, 96);
      const thumbnails = rows.slice(first, last).reduce((n, r) => n + 1 + r.going.length, 0);
      expect(thumbnails).toBeLessThanOrEqual(8 * (1 + GOING_SHOWN));
    }
    expect(rowsInView(rows.length, 0, 320, 96)).toEqual({ first: 0, last: 6 });
  });

  it('shortens a caption from the front, keeping where copies differ', () => {
    expect(captionName('bar.jpg')).toBe('bar.jpg');
    expect(captionName('holiday-export-2024-06-15-bar-small.jpg')).toBe('…-bar-small.jpg');
  });
});

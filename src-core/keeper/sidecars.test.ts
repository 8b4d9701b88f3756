// Sidecars as keeper evidence: what a photo manager wrote beside a copy (XMP edits, rating,
// keywords; Takeout's date and place) speaks for keeping it, and Takeout's photoTakenTime is
// the date taken of a photo without an EXIF one.
import { describe, expect, it } from 'vitest';
import { groupsAt } from '../cluster/groups';
import { syntheticFingerprints } from '../cluster/synthetic-fingerprints';
import type { Companion } from '../companions/discover';
import { parseTakeout, parseXmp } from '../companions/sidecar-facts';
import { lightroomXmp, takeoutJson } from '../companions/sidecar-fixtures';
import { clusterFingerprints } from '../grouping/pipeline';
import { chooseKeeper, DEFAULT_KEEPER_RULES, type KeeperCandidate, type KeeperRuleId } from '../keeper';

const xmp = (path: string, text: string): Companion => ({ path, kind: 'xmp', size: text.length, mtimeMs: 1, adds: parseXmp(text) });
const takeout = (path: string, text: string): Companion => ({ path, kind: 'takeout', size: text.length, mtimeMs: 1, adds: parseTakeout(text) });
const only = (...ids: KeeperRuleId[]) => ({ keeperRules: DEFAULT_KEEPER_RULES.map((r) => ({ ...r, enabled: ids.includes(r.id) })) });

// Two copies alike in every way the other rules weigh.
const plain: KeeperCandidate = { path: '/photos/export/IMG_1.jpg', digest: 'a', format: 'jpeg', width: 2000, height: 1500, size: 900_000, exif: {} };
const managed = (companions: Companion[]): KeeperCandidate => ({ ...plain, path: '/photos/lr/IMG_1.jpg', digest: 'b', companions });

describe('the sidecars rule', () => {
  it('keeps the copy whose XMP holds edits, a rating and keywords, and says what they are', () => {
    const edited = managed([xmp('/photos/lr/IMG_1.xmp', lightroomXmp({ rating: 4, keywords: ['harbour', 'boats'], exposure: '+0.40' }))]);
    const choice = chooseKeeper([plain, edited]);
    expect(choice.index).toBe(1);
    expect(choice.reason).toBe('its sidecar IMG_1.xmp holds ★★★★ rating, keywords harbour, boats, edits (exposure); the other has none');
  });

  it('keeps the copy with Takeout’s date taken and place over one with a bare Takeout JSON', () => {
    const placed = managed([takeout('/photos/lr/IMG_1.jpg.json', takeoutJson({ title: 'IMG_1.jpg', takenAt: new Date('2018-06-01T12:00:00Z'), latitude: 45.1, longitude: 6.2 }))]);
    const bare = { ...plain, companions: [takeout('/photos/export/IMG_1.jpg.json', '{"title":"IMG_1.jpg"}')] };
    const choice = chooseKeeper([bare, placed], only('sidecars'));
    expect(choice.index).toBe(1);
    expect(choice.reason).toBe('its sidecar IMG_1.jpg.json holds taken 2018-06-01 12:00:00 UTC, GPS 45.1000, 6.2000; the other has none');
  });

  it('sets aside a copy Lightroom marked rejected', () => {
    const rejected = managed([xmp('/photos/lr/IMG_1.xmp', lightroomXmp({ rating: -1 }))]);
    const choice = chooseKeeper([rejected, plain], only('sidecars'));
    expect(choice).toEqual({ index: 1, reason: 'the other was rejected in its sidecar (IMG_1.xmp)' });
  });

  it('tells nothing apart when neither copy has a sidecar', () => {
    expect(chooseKeeper([plain, { ...plain, path: '/photos/b/IMG_1.jpg', digest: 'c' }], only('sidecars')).reason).toMatch(/^no clear original/);
  });
});

describe('Takeout’s photoTakenTime as the date taken', () => {
  const { photo, flip } = syntheticFingerprints(11);
  const fromTakeout = photo({ exif: {} });
  const other = photo({ pdq: flip(fromTakeout.pdq, 4), exif: {} });
  const json = takeout(`${fromTakeout.path}.json`, takeoutJson({ title: 'x.jpg', takenAt: new Date('2016-03-05T08:09:10Z') }));
  const files = [{ ...other }, { ...fromTakeout, companions: [json] }];
  const clustering = clusterFingerprints(files, { method: 'pdq-dihedral', linkage: 'average' });

  it('counts when the image has no EXIF date: the earliest-date rule sees it and the member shows it', () => {
    const [group] = groupsAt(clustering, files, 0.9, only('date-taken'));
    const keeper = group!.members[0]!;
    expect(keeper.path).toBe(fromTakeout.path);
    expect(keeper.reason).toBe('earliest date taken: 2016-03-05T08:09:10 vs none');
    expect(keeper.dateTaken).toBe('2016-03-05T08:09:10');
    expect(keeper.companions?.map((c) => c.path)).toEqual([json.path]);
  });

  it('gives way to an EXIF date', () => {
    const withExif = [{ ...files[0]! }, { ...files[1]!, exif: { dateTaken: '2017-01-01T00:00:00' } }];
    const [group] = groupsAt(clusterFingerprints(withExif, { method: 'pdq-dihedral', linkage: 'average' }), withExif, 0.9, only('date-taken'));
    expect(group!.members.find((m) => m.path === fromTakeout.path)!.dateTaken).toBe('2017-01-01T00:00:00');
  });
});

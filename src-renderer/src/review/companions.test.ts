import { describe, expect, it } from 'vitest';
import type { Companion } from '../../../src-core/companions/discover';
import type { ActionRow } from '../data/db';
import { companionLines, companionOutcome, companionPhrase, goingWith } from './companions';
import { restorableMoves, trashedFiles } from './deletion-store';

const xmp: Companion = { path: '/p/IMG_1.xmp', kind: 'xmp', size: 10, mtimeMs: 1, adds: { rating: 3, keywords: ['sea'] } };
const json: Companion = { path: '/p/IMG_1.jpg.json', kind: 'takeout', size: 20, mtimeMs: 2, adds: { dateTaken: '2019-01-02T03:04:05' } };
const mov: Companion = { path: '/p/IMG_1.MOV', kind: 'live', size: 30, mtimeMs: 3 };
const D = (c: string) => c.repeat(64);

describe('companions in words', () => {
  it('says what goes with a photo', () => {
    expect(companionPhrase([xmp])).toBe('and its sidecar IMG_1.xmp');
    expect(companionPhrase([xmp, json, mov])).toBe('and its sidecars IMG_1.xmp, IMG_1.jpg.json and its Live Photo video IMG_1.MOV');
    expect(companionPhrase(undefined)).toBe('');
  });

  it('says a shared sidecar stays while another photo it belongs to stays', () => {
    const shared = { ...xmp, sharedWith: ['/p/IMG_1.CR2'] };
    expect(goingWith('/p/IMG_1.JPG', [shared, mov], new Set(['/p/IMG_1.JPG']))).toBe('IMG_1.JPG and its Live Photo video IMG_1.MOV; IMG_1.xmp stays with IMG_1.CR2');
    expect(goingWith('/p/IMG_1.JPG', [shared], new Set(['/p/IMG_1.JPG', '/p/IMG_1.CR2']))).toBe('IMG_1.JPG and its sidecar IMG_1.xmp');
  });

  it('lists each companion with what it adds', () => {
    expect(companionLines([{ ...xmp, sharedWith: ['/p/IMG_1.CR2'] }, json, mov])).toEqual([
      'IMG_1.xmp (XMP sidecar, shared with IMG_1.CR2): ★★★ rating, keyword sea',
      'IMG_1.jpg.json (Google Takeout metadata): taken 2019-01-02 03:04:05 UTC',
      'IMG_1.MOV (Live Photo video)',
    ]);
  });

  it('says what went and what stayed, with why', () => {
    expect(companionOutcome([{ path: xmp.path, status: 'moved' }, { path: mov.path, status: 'skipped', reason: 'changed since it was listed: left in place' }])).toEqual({
      went: 'with its sidecar IMG_1.xmp',
      stayed: ['IMG_1.MOV stayed: changed since it was listed: left in place'],
    });
  });
});

describe('restoring an action brings its companions back', () => {
  const file = { path: '/p/IMG_1.jpg', size: 100, mtimeMs: 5, digest: D('a'), state: 'done' as const };
  it('names the moved companions’ move ids, and the trashed ones as checked', () => {
    const move: ActionRow = { kind: 'move', at: 1, state: 'done', files: [{ ...file, moveId: 'm1', companions: [{ path: xmp.path, status: 'moved', moveId: 'm2' }, { path: mov.path, status: 'skipped', reason: 'changed' }] }] };
    expect(restorableMoves(move)).toEqual(['m1', 'm2']);
    const trash: ActionRow = { kind: 'trash', at: 1, state: 'done', files: [{ ...file, companions: [{ path: xmp.path, status: 'moved', size: 10, mtimeMs: 1, digest: D('b') }] }, { ...file, path: '/p/x.jpg', state: 'failed', companions: [{ path: '/p/x.xmp', status: 'moved', size: 1, mtimeMs: 1, digest: D('c') }] }] };
    expect(trashedFiles(trash)).toEqual([
      { path: file.path, size: 100, mtimeMs: 5, digest: D('a') },
      { path: xmp.path, size: 10, mtimeMs: 1, digest: D('b') },
    ]);
  });
});

import { describe, expect, it } from 'vitest';
import { areCompanions, companionLabel, formatFamily } from './companions';

describe('RAW+JPEG and HEIC+JPEG companions', () => {
  it('sorts formats into families', () => {
    expect(['raw-nef', 'raw-dng', 'heif', 'jpeg', 'png', undefined].map(formatFamily)).toEqual(['raw', 'raw', 'heif', 'jpeg', 'other', 'other']);
  });

  it('pairs two formats of one shot by name and folder, case aside', () => {
    expect(areCompanions({ path: '/p/DSC_0042.NEF', format: 'raw-nef' }, { path: '/p/dsc_0042.jpg', format: 'jpeg' })).toBe(true);
    expect(areCompanions({ path: '/p/IMG_1.HEIC', format: 'heif' }, { path: '/p/IMG_1.JPG', format: 'jpeg' })).toBe(true);
    // Same name elsewhere, same family, or a format outside the three: not a pair.
    expect(areCompanions({ path: '/p/DSC_0042.NEF', format: 'raw-nef' }, { path: '/q/DSC_0042.jpg', format: 'jpeg' })).toBe(false);
    expect(areCompanions({ path: '/p/a.jpg', format: 'jpeg' }, { path: '/p/a.jpeg', format: 'jpeg' })).toBe(false);
    expect(areCompanions({ path: '/p/a.png', format: 'png' }, { path: '/p/a.jpg', format: 'jpeg' })).toBe(false);
  });

  it('pairs by capture time and camera when the names differ', () => {
    const raw = { path: '/raw/DSC_0042.ARW', format: 'raw-arw', dateTaken: '2024-05-01T10:00:00', camera: 'SONY ILCE-7M3' };
    expect(areCompanions(raw, { path: '/export/holiday-12.jpg', format: 'jpeg', dateTaken: '2024-05-01T10:00:00', camera: 'SONY ILCE-7M3' })).toBe(true);
    expect(areCompanions(raw, { path: '/export/holiday-12.jpg', format: 'jpeg', dateTaken: '2024-05-01T10:00:01', camera: 'SONY ILCE-7M3' })).toBe(false);
    expect(areCompanions(raw, { path: '/export/holiday-12.jpg', format: 'jpeg', dateTaken: '2024-05-01T10:00:00' })).toBe(false);
  });

  it('names the pair', () => {
    expect(companionLabel({ path: 'a.jpg', format: 'jpeg' }, { path: 'a.cr3', format: 'raw-cr3' })).toBe('RAW+JPEG');
    expect(companionLabel({ path: 'a.heic', format: 'heif' }, { path: 'a.jpg', format: 'jpeg' })).toBe('HEIC+JPEG');
  });
});

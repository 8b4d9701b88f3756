import { describe, expect, it } from 'vitest';
import { companionDateTaken, companionsInFolder } from './discover';
import { describeFacts, parseTakeout, parseXmp } from './sidecar-facts';
import { lightroomXmp, takeoutJson } from './sidecar-fixtures';

const inFolder = (names: string[]) => {
  const photos = new Set(names.filter((n) => /\.(jpe?g|heic|cr2|png)$/i.test(n)));
  return Object.fromEntries([...companionsInFolder(names, photos)].map(([photo, list]) => [photo, list.map((c) => `${c.name}:${c.kind}${c.sharedWith.length ? `+${c.sharedWith.join('+')}` : ''}`)]));
};

describe('finding companions by name', () => {
  it('finds XMP sidecars in both forms, and shares IMG_1.xmp between the RAW and the JPEG', () => {
    expect(inFolder(['IMG_1.CR2', 'IMG_1.JPG', 'IMG_1.xmp', 'IMG_2.CR2', 'IMG_2.CR2.xmp', 'IMG_3.jpg'])).toEqual({
      'IMG_1.CR2': ['IMG_1.xmp:xmp+IMG_1.JPG'],
      'IMG_1.JPG': ['IMG_1.xmp:xmp+IMG_1.CR2'],
      'IMG_2.CR2': ['IMG_2.CR2.xmp:xmp'],
    });
  });

  it('finds every Takeout JSON name, numbered copies included', () => {
    const names = ['IMG_1.jpg', 'IMG_1.jpg.json', 'IMG_1(1).jpg', 'IMG_1.jpg(1).json', 'IMG_2.jpg', 'IMG_2.jpg.supplemental-metadata.json', 'IMG_2(2).jpg', 'IMG_2.jpg.supplemental-metadata(2).json', 'PXL_20230101_120000123.jpg', 'PXL_20230101_120000123.jpg.supplemental-metad.json', 'notes.json', 'IMG_9.jpg.json'];
    expect(inFolder(names)).toEqual({
      'IMG_1.jpg': ['IMG_1.jpg.json:takeout'],
      'IMG_1(1).jpg': ['IMG_1.jpg(1).json:takeout'],
      'IMG_2.jpg': ['IMG_2.jpg.supplemental-metadata.json:takeout'],
      'IMG_2(2).jpg': ['IMG_2.jpg.supplemental-metadata(2).json:takeout'],
      'PXL_20230101_120000123.jpg': ['PXL_20230101_120000123.jpg.supplemental-metad.json:takeout'],
    });
  });

  it('finds a Live Photo video beside a HEIC or JPEG only', () => {
    expect(inFolder(['IMG_5.HEIC', 'IMG_5.MOV', 'IMG_6.jpg', 'IMG_6.mp4', 'IMG_7.png', 'IMG_7.mov', 'IMG_8.HEIC', 'IMG_8.JPG', 'IMG_8.MOV'])).toEqual({
      'IMG_5.HEIC': ['IMG_5.MOV:live'],
      'IMG_6.jpg': ['IMG_6.mp4:live'],
      'IMG_8.HEIC': ['IMG_8.MOV:live+IMG_8.JPG'],
      'IMG_8.JPG': ['IMG_8.MOV:live+IMG_8.HEIC'],
    });
  });
});

describe('what sidecars say', () => {
  it('reads a Lightroom XMP: rating, label, keywords, title and develop edits', () => {
    const facts = parseXmp(lightroomXmp({ rating: 4, label: 'Red', keywords: ['beach', 'Sète & co'], title: 'Evening', exposure: '+0.65', crop: true }));
    expect(facts).toEqual({ rating: 4, label: 'Red', keywords: ['beach', 'Sète & co'], title: 'Evening', edits: 'exposure, crop' });
    expect(describeFacts(facts)).toEqual(['★★★★ rating', 'label Red', '“Evening”', 'keywords beach, Sète & co', 'edits (exposure, crop)']);
  });

  it('finds nothing in an untouched Lightroom XMP (white balance and zeros are not edits)', () => {
    expect(parseXmp(lightroomXmp())).toEqual({});
    expect(parseXmp(lightroomXmp({ rating: -1 })).rating).toBe(-1);
  });

  it('reads element-form properties and darktable history', () => {
    const xmp = `<x:xmpmeta xmlns:x="adobe:ns:meta/"><rdf:RDF><rdf:Description rdf:about="" darktable:history_end="2"><xmp:Rating>2</xmp:Rating>
      <darktable:history><rdf:Seq><rdf:li darktable:operation="exposure"/><rdf:li darktable:operation="crop"/><rdf:li darktable:operation="sharpen"/></rdf:Seq></darktable:history>
      <exif:GPSLatitude>48,51.3N</exif:GPSLatitude><exif:GPSLongitude>2,21.1E</exif:GPSLongitude></rdf:Description></rdf:RDF></x:xmpmeta>`;
    const facts = parseXmp(xmp);
    expect(facts.rating).toBe(2);
    expect(facts.edits).toBe('darktable: exposure, crop');
    expect(facts.gps!.latitude).toBeCloseTo(48.855, 3);
    expect(facts.gps!.longitude).toBeCloseTo(2.3517, 3);
  });

  it('reads Google Takeout JSON: photoTakenTime in UTC, geoData, description and people', () => {
    const facts = parseTakeout(takeoutJson({ title: 'IMG_1.jpg', takenAt: new Date('2020-07-14T09:30:00Z'), latitude: 43.4, longitude: 3.69, description: 'Feu', people: ['Ana'] }))!;
    expect(facts).toEqual({ dateTaken: '2020-07-14T09:30:00', gps: { latitude: 43.4, longitude: 3.69 }, title: 'Feu', keywords: ['Ana'] });
    // 0, 0 is Google's "no place".
    expect(parseTakeout(takeoutJson({ title: 'a.jpg', takenAt: new Date('2020-07-14T09:30:00Z') }))!.gps).toBeUndefined();
    expect(parseTakeout('{"name":"package"}')).toBeUndefined();
    expect(parseTakeout('not json')).toBeUndefined();
  });

  it('gives the Takeout date as a photo date', () => {
    expect(companionDateTaken([{ path: '/a.xmp', kind: 'xmp', size: 1, mtimeMs: 1 }, { path: '/a.jpg.json', kind: 'takeout', size: 1, mtimeMs: 1, adds: { dateTaken: '2020-07-14T09:30:00' } }])).toBe('2020-07-14T09:30:00');
    expect(companionDateTaken(undefined)).toBeUndefined();
  });
});

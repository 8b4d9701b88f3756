// The held-out set's photos: none of them is among the dev set's 30 originals
// (../shared/bench-data/originals/SOURCES.json). Each comes from a pinned Debian bookworm package.

export interface DebianPackage {
  name: string;
  version: string;
  license: string;
  /** Words of /usr/share/doc/<name>/copyright that state that licence, checked on extraction. */
  licenseText: string;
}

export const PACKAGES = {
  kphotoalbum: { name: 'kphotoalbum', version: '5.9.1-1', license: 'GPL-2+', licenseText: 'either version 2 of the License, or\n    (at your option) any later version' },
  plasma: { name: 'plasma-workspace-wallpapers', version: '4:5.27.5-2', license: 'GPL-2+', licenseText: 'Files: *\nCopyright: 2014 KDE Visual Design Group http://vdesign.kde.org/\nLicense: GPL-2+' },
  skimage: { name: 'python3-skimage', version: '0.19.3-8', license: 'BSD-3-Clause', licenseText: 'Files: *\nCopyright: 2009-2018 the scikit-image team\nLicense: BSD-3-Clause' },
} satisfies Record<string, DebianPackage>;

export interface PhotoSource {
  group: string;
  package: DebianPackage;
  /** Path inside the package. */
  path: string;
  role: 'query' | 'distractor';
  /** True when the original carries a camera's EXIF (Make/Model/DateTimeOriginal); read from the file when not given. */
  cameraExif?: boolean;
  description: string;
  author: string;
  /** Per-file licence statement where the package gives one, beside the package's. */
  licenseNote: string;
}

const KPA_DEMO = '/usr/share/kphotoalbum/demo/';
const KPA_AUTHOR = 'KPhotoAlbum demo (Jesper K. Pedersen et al.)';
const KPA_NOTE = 'debian/copyright of kphotoalbum covers the whole package (incl. demo/) as GPL-2+';
const kpa = (name: string, role: PhotoSource['role'], cameraExif: boolean, description: string): PhotoSource => ({
  group: `kpa_${name}`,
  package: PACKAGES.kphotoalbum,
  path: `${KPA_DEMO}${name}.jpg`,
  role,
  cameraExif,
  description,
  author: KPA_AUTHOR,
  licenseNote: KPA_NOTE,
});

const plasma = (name: string, role: PhotoSource['role'], cameraExif: boolean, description: string, author: string): PhotoSource => ({
  group: `plasma_${name}`,
  package: PACKAGES.plasma,
  path: `/usr/share/wallpapers/${name}/contents/images/2560x1600.jpg`,
  role,
  cameraExif,
  description,
  author,
  licenseNote: `package copyright GPL-2+; the wallpaper's metadata.json says LGPLv3`,
});

const SKIMAGE_DATA = '/usr/lib/python3/dist-packages/skimage/data/';
const skimage = (file: string, role: PhotoSource['role'], description: string, author: string, licenseNote: string): PhotoSource => ({
  group: `skimage_${file.replace(/\.[^.]+$/, '')}`,
  package: PACKAGES.skimage,
  path: `${SKIMAGE_DATA}${file}`,
  role,
  cameraExif: false,
  description,
  author,
  licenseNote: `package copyright BSD-3-Clause; skimage.data docstring: ${licenseNote}`,
});

const RISTO = 'Risto Saukonpää';

export const PHOTOS: PhotoSource[] = [
  kpa('grand_canyon_1', 'query', false, 'two men at the Grand Canyon rim (stored sideways)'),
  kpa('grand_canyon_2', 'query', true, 'man in a woollen hat at the Grand Canyon, dusk'),
  kpa('grand_canyon_3', 'distractor', true, 'Grand Canyon at dusk, no people, same camera 18 minutes earlier'),
  kpa('new_wave_1', 'query', false, 'man in a black shirt leaning on a door (stored sideways)'),
  kpa('new_wave_2', 'distractor', false, 'smiling man with spiky hair in an office'),
  kpa('qt-logo', 'query', false, 'three men showing Qt logo tattoos'),
  kpa('skagen', 'query', true, 'grey-green sea waves, Skagen'),
  kpa('skagen_2', 'query', true, 'aerial view of the Skagen spit'),
  kpa('snow', 'query', true, 'snowy airport apron with aircraft'),
  kpa('wayne', 'query', true, 'two men in a wooden cabin (stored sideways)'),
  plasma('BytheWater', 'query', true, 'wooden jetty boards in low sun over a lake', 'Maciej Wiklo'),
  plasma('ColdRipple', 'query', true, 'grey pier in fog over still water', RISTO),
  plasma('DarkestHour', 'distractor', true, 'blue misty lake at night, same camera 22 minutes earlier than ColdRipple', RISTO),
  plasma('EveningGlow', 'query', false, 'rowing boats on a shore at sunset', 'Ian Hex'),
  plasma('FallenLeaf', 'query', true, 'autumn maple leaf, shallow depth of field', 'Martin Klapetek'),
  plasma('Kite', 'query', true, 'small kite in a blue sky with clouds', RISTO),
  plasma('OneStandsOut', 'query', true, 'moss close-up with one orange star', RISTO),
  plasma('Path', 'distractor', true, 'path through a green spruce forest', RISTO),
  plasma('summer_1am', 'query', false, 'purple lake horizon at 1 am in summer', RISTO),
  plasma('Grey', 'query', false, 'black-and-white facade of curved slats', 'Sigi Sagi'),
  plasma('ColorfulCups', 'query', true, 'rows of colourful plastic cups from above', 'Dmitri Popov'),
  skimage('motorcycle_left.png', 'query', 'motorcycle in a garage (left view of a stereo pair)', 'Middlebury 2014 stereo benchmark (Scharstein et al.)', 'Middlebury stereo dataset, no separate statement'),
  skimage('motorcycle_right.png', 'distractor', 'same motorcycle, right view of the stereo pair', 'Middlebury 2014 stereo benchmark (Scharstein et al.)', 'Middlebury stereo dataset, no separate statement'),
  skimage('camera.png', 'query', 'man with a film camera on a tripod, greyscale', 'Lav Varshney', 'CC0 by the photographer'),
  skimage('coins.png', 'query', 'Greek coins from Pompeii, greyscale', 'Brooklyn Museum', 'no known copyright restrictions'),
  skimage('retina.jpg', 'query', 'fundus photograph of a left eye', 'Mikael Häggström', 'CC0 1.0'),
  skimage('hubble_deep_field.jpg', 'query', 'Hubble eXtreme Deep Field', 'NASA', 'NASA, public domain'),
  skimage('ihc.png', 'query', 'immunohistochemistry stain of colonic glands (microscope)', 'Center for Microscopy And Molecular Imaging (CMMI)', 'no known copyright restrictions'),
  skimage('gravel.png', 'query', 'gravel texture, greyscale', 'scikit-image data', 'no separate statement'),
  skimage('brick.png', 'distractor', 'brick wall texture, greyscale', 'scikit-image data', 'no separate statement'),
];

/** Different photos of a similar scene: a good detector keeps them apart. */
export const HARD_NEGATIVES: Array<[string, string, string]> = [
  ['kpa_grand_canyon_2', 'kpa_grand_canyon_3', 'same canyon, same camera, same dusk'],
  ['kpa_grand_canyon_1', 'kpa_grand_canyon_2', 'same trip, people at the canyon rim'],
  ['kpa_new_wave_1', 'kpa_new_wave_2', 'same party, portraits'],
  ['plasma_ColdRipple', 'plasma_DarkestHour', 'same lake, same camera, same night'],
  ['plasma_DarkestHour', 'plasma_summer_1am', 'misty lake horizons at night'],
  ['plasma_BytheWater', 'plasma_ColdRipple', 'jetty over a lake'],
  ['plasma_OneStandsOut', 'plasma_Path', 'green forest floor, same photographer'],
  ['skimage_motorcycle_left', 'skimage_motorcycle_right', 'stereo pair: the same scene from two viewpoints'],
  ['skimage_gravel', 'skimage_brick', 'greyscale ground textures'],
];

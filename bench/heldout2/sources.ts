// The second held-out set's photos: none of them is among the dev set's originals
// (../shared/bench-data/originals/SOURCES.json) or held-out 1's (bench/heldout/sources.ts), and
// neither set uses these packages. Each comes from a pinned Debian bookworm package.
import type { DebianPackage, PhotoSource } from '../heldout/sources';

export const PACKAGES = {
  opencv: {
    name: 'opencv-doc',
    version: '4.6.0+dfsg-12',
    license: 'Apache-2.0 AND BSD-3-Clause',
    licenseText: 'Files: *\nCopyright: 2000-2022, Intel Corporation, all rights reserved.',
  },
  digikam: { name: 'digikam-data', version: '4:7.9.0-1', license: 'GPL-2+', licenseText: 'almost all software is GPL' },
} satisfies Record<string, DebianPackage>;

const OPENCV_DATA = '/usr/share/doc/opencv-doc/examples/data/';
const OPENCV_NOTE = "debian/copyright of opencv covers samples/data under 'Files: *' (Apache-2.0 AND BSD-3-Clause); the photos carry no statement of their own";
const opencv = (file: string, role: PhotoSource['role'], description: string): PhotoSource => ({
  group: `ocv_${file.replace(/\.[^.]+$/, '')}`,
  package: PACKAGES.opencv,
  path: `${OPENCV_DATA}${file}`,
  role,
  description,
  author: 'OpenCV samples/data (contributors)',
  licenseNote: OPENCV_NOTE,
});

export const PHOTOS: PhotoSource[] = [
  opencv('aero1.jpg', 'query', 'aerial view of a town by a lake'),
  opencv('aero3.jpg', 'distractor', 'aerial view of the same town from another point'),
  opencv('aloeL.jpg', 'query', 'aloe in a pot before patterned paper (left view of a stereo pair)'),
  opencv('aloeR.jpg', 'distractor', 'the same aloe, right view of the stereo pair'),
  opencv('apple.jpg', 'query', 'red apple on green'),
  opencv('baboon.jpg', 'query', 'mandrill face'),
  opencv('basketball1.png', 'query', 'two men with a basketball in a corridor, greyscale'),
  opencv('board.jpg', 'query', 'circuit board close-up'),
  opencv('box_in_scene.png', 'query', 'tea box among clutter, greyscale'),
  opencv('building.jpg', 'query', 'hotel block behind a lawn'),
  opencv('butterfly.jpg', 'query', 'black-and-white butterfly on a striped leaf'),
  opencv('ela_original.jpg', 'query', 'notebook with a green band (phone photo)'),
  opencv('fruits.jpg', 'query', 'cut citrus fruits and kiwi'),
  opencv('graf1.png', 'query', 'graffiti wall, frontal'),
  opencv('graf3.png', 'distractor', 'the same graffiti wall from a steep angle'),
  opencv('home.jpg', 'query', 'yellow palace tower under a blue sky'),
  opencv('left01.jpg', 'query', 'calibration chessboard held in a room, greyscale'),
  opencv('left02.jpg', 'distractor', 'the same chessboard in another pose'),
  opencv('leuvenA.jpg', 'query', 'brick houses on a cobbled street (phone photo)'),
  opencv('leuvenB.jpg', 'distractor', 'the same street 14 s earlier, from a step to the left'),
  opencv('licenseplate_motion.jpg', 'query', 'rear of a silver car, motion blur'),
  opencv('messi5.jpg', 'query', 'footballer kicking a ball in a stadium'),
  opencv('orange.jpg', 'query', 'orange on grey'),
  opencv('pca_test1.jpg', 'distractor', 'black shapes on a light box'),
  opencv('rubberwhale1.png', 'query', 'toys and a knitted cloth (optical-flow scene)'),
  opencv('squirrel_cls.jpg', 'query', 'squirrel on a branch'),
  opencv('stuff.jpg', 'query', 'pencil, lighter, coin and a cap on a table'),
  opencv('text_defocus.jpg', 'query', 'page of a paper, out of focus'),
  opencv('text_motion.jpg', 'distractor', 'another page of the paper, motion blur, same camera'),
  {
    group: 'dkm_body_background',
    package: PACKAGES.digikam,
    path: '/usr/share/digikam/about/images/body-background.jpg',
    role: 'query',
    description: 'red hills over a lake, reflection (phone photo, 4032×3024)',
    author: 'digiKam team',
    licenseNote: 'debian/copyright of digikam: almost all GPL-2+; the about page images carry no statement of their own',
  },
];

/** Different photos of the same scene: a good detector keeps them apart. */
export const HARD_NEGATIVES: Array<[string, string, string]> = [
  ['ocv_aero1', 'ocv_aero3', 'same town from the air, another viewpoint'],
  ['ocv_aloeL', 'ocv_aloeR', 'stereo pair: the same scene from two viewpoints'],
  ['ocv_graf1', 'ocv_graf3', 'same wall, strong change of viewpoint'],
  ['ocv_left01', 'ocv_left02', 'same chessboard and room, another pose'],
  ['ocv_leuvenA', 'ocv_leuvenB', 'same street, same phone, 14 s apart, another viewpoint'],
  ['ocv_text_defocus', 'ocv_text_motion', 'same paper, same camera, another page region'],
];

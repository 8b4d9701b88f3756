// Sidecars as the programs that write them lay them out, for tests: an XMP sidecar as Lightroom
// Classic writes it (no xpacket wrapper, one rdf:Description with simple properties as
// attributes and arrays as elements) and a Google Takeout JSON in Google's shape.

export interface LightroomXmp {
  rating?: number;
  label?: string;
  keywords?: string[];
  title?: string;
  exposure?: string;
  crop?: boolean;
}

export function lightroomXmp({ rating, label, keywords = [], title, exposure = '0.00', crop = false }: LightroomXmp = {}): string {
  const attributes = [
    'xmp:ModifyDate="2023-05-02T10:11:12+02:00"',
    'xmp:CreatorTool="Adobe Photoshop Lightroom Classic 12.3 (Macintosh)"',
    ...(rating !== undefined ? [`xmp:Rating="${rating}"`] : []),
    ...(label ? [`xmp:Label="${label}"`] : []),
    'tiff:Make="Canon"',
    'tiff:Model="Canon EOS 5D Mark IV"',
    'exif:DateTimeOriginal="2023-04-30T18:04:05.00"',
    'crs:Version="15.3"',
    'crs:ProcessVersion="11.0"',
    'crs:WhiteBalance="As Shot"',
    'crs:Temperature="5200"',
    'crs:Tint="+8"',
    `crs:Exposure2012="${exposure}"`,
    'crs:Contrast2012="0"',
    'crs:Highlights2012="0"',
    'crs:Shadows2012="0"',
    `crs:HasCrop="${crop ? 'True' : 'False'}"`,
    'crs:HasSettings="True"',
  ];
  const subject = keywords.length ? `\n   <dc:subject>\n    <rdf:Bag>\n${keywords.map((k) => `     <rdf:li>${escapeXml(k)}</rdf:li>`).join('\n')}\n    </rdf:Bag>\n   </dc:subject>` : '';
  const titled = title ? `\n   <dc:title>\n    <rdf:Alt>\n     <rdf:li xml:lang="x-default">${escapeXml(title)}</rdf:li>\n    </rdf:Alt>\n   </dc:title>` : '';
  return `<x:xmpmeta xmlns:x="adobe:ns:meta/" x:xmptk="Adobe XMP Core 7.0-c000 1.000000, 0000/00/00-00:00:00        ">
 <rdf:RDF xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#">
  <rdf:Description rdf:about=""
    xmlns:xmp="http://ns.adobe.com/xap/1.0/"
    xmlns:tiff="http://ns.adobe.com/tiff/1.0/"
    xmlns:exif="http://ns.adobe.com/exif/1.0/"
    xmlns:dc="http://purl.org/dc/elements/1.1/"
    xmlns:crs="http://ns.adobe.com/camera-raw-settings/1.0/"
   ${attributes.join('\n   ')}>${subject}${titled}
  </rdf:Description>
 </rdf:RDF>
</x:xmpmeta>
`;
}

const escapeXml = (text: string) => text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export interface TakeoutJson {
  title: string;
  takenAt: Date;
  latitude?: number;
  longitude?: number;
  description?: string;
  people?: string[];
}

/** A Takeout JSON with every field Google writes; unknown places are 0.0 as Google writes them. */
export function takeoutJson({ title, takenAt, latitude = 0, longitude = 0, description = '', people }: TakeoutJson): string {
  const seconds = Math.floor(takenAt.getTime() / 1000);
  const geo = { latitude, longitude, altitude: 0, latitudeSpan: 0, longitudeSpan: 0 };
  const formatted = `${takenAt.toUTCString().replace('GMT', 'UTC')}`;
  return `${JSON.stringify(
    {
      title,
      description,
      imageViews: '3',
      creationTime: { timestamp: String(seconds + 86_400), formatted },
      photoTakenTime: { timestamp: String(seconds), formatted },
      geoData: geo,
      geoDataExif: geo,
      ...(people ? { people: people.map((name) => ({ name })) } : {}),
      url: 'https://photos.google.com/photo/AF1QipN',
      googlePhotosOrigin: { mobileUpload: { deviceType: 'IOS_PHONE' } },
    },
    null,
    2,
  )}\n`;
}

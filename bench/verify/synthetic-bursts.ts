// A stress test the dev set lacks: "the subject moved" between two otherwise identical frames.
// A central region of the photo (where the subject usually is) is replaced by the same region
// taken a little to the side, so everything else lines up exactly. The verifier should refuse
// these once the moved region is large; how large is what this measures.
import sharp from 'sharp';

export interface BurstSpec {
  label: string;
  /** Moved region as a share of the photo's width and height. */
  width: number;
  height: number;
  /** How far the region's content comes from, as a share of the width. */
  shift: number;
}

export const BURSTS: BurstSpec[] = [
  { label: 'synthetic burst, 10% of frame moved', width: 0.25, height: 0.4, shift: 0.05 },
  { label: 'synthetic burst, 15% of frame moved', width: 0.3, height: 0.5, shift: 0.08 },
  { label: 'synthetic burst, 24% of frame moved', width: 0.4, height: 0.6, shift: 0.1 },
];

/** The moved frame as a JPEG (q90, like the dev set's copies). */
export async function movedSubject(path: string, spec: BurstSpec): Promise<Buffer> {
  const { data, info } = await sharp(path, { autoOrient: true }).raw().toBuffer({ resolveWithObject: true });
  const decoded = () => sharp(data, { raw: { width: info.width, height: info.height, channels: info.channels } });
  const width = Math.round(info.width * spec.width);
  const height = Math.round(info.height * spec.height);
  const left = Math.round((info.width - width) / 2);
  const top = Math.round((info.height - height) / 2);
  const patch = await decoded().extract({ left: left + Math.round(info.width * spec.shift), top, width, height }).png().toBuffer();
  return decoded().composite([{ input: patch, left, top }]).jpeg({ quality: 90 }).toBuffer();
}

// Turning whatever went wrong into one typed, human-readable HashError.
import type { HashErrorInfo, HashErrorKind } from '../../src-core/fingerprint';

export class HashError extends Error {
  constructor(
    readonly kind: HashErrorKind,
    message: string,
  ) {
    super(message);
    this.name = 'HashError';
  }

  toInfo(): HashErrorInfo {
    return { kind: this.kind, message: this.message };
  }
}

const FS_ERROR_KINDS: Record<string, [HashErrorKind, string]> = {
  ENOENT: ['vanished', 'the file no longer exists (deleted or moved before it could be read)'],
  EACCES: ['permission', 'permission denied: the file cannot be read by this user'],
  EPERM: ['permission', 'operation not permitted by the operating system'],
  EISDIR: ['not-a-file', 'this is a folder, not a file'],
  ELOOP: ['not-a-file', 'too many levels of symbolic links (a symlink loop)'],
  ENOTDIR: ['vanished', 'a folder on the path no longer exists'],
};

/** Errors thrown by node:fs. */
export function classifyFsError(error: unknown): HashError {
  const code = (error as NodeJS.ErrnoException | undefined)?.code ?? '';
  const known = FS_ERROR_KINDS[code];
  if (known) return new HashError(known[0], known[1]);
  return new HashError('io', `could not read the file: ${(error as Error)?.message ?? String(error)}`);
}

/** Errors thrown by sharp/libvips while reading the header or the pixels. */
export function classifyDecodeError(error: unknown, bytes: Uint8Array): HashError {
  const raw = (error as Error)?.message ?? String(error);
  const detail = raw.split('\n')[0]?.trim() ?? raw;
  if (/exceeds pixel limit/i.test(raw)) {
    return new HashError('too-large', 'the image is larger than the pixel limit (possible decompression bomb); not decoded');
  }
  if (/unsupported image format/i.test(raw)) {
    return new HashError('unsupported', 'not an image, or an image format Doppel cannot read');
  }
  if (/premature end|truncat|unexpected end|end of (file|stream|data)/i.test(raw) || lacksEndMarker(bytes)) {
    return new HashError('truncated', `the image data ends early (file truncated or still being copied): ${detail}`);
  }
  return new HashError('corrupt', `the image data is damaged: ${detail}`);
}

/** JPEG and PNG files end with a marker: without it the file was cut short. */
function lacksEndMarker(bytes: Uint8Array): boolean {
  const n = bytes.length;
  const isJpeg = n > 3 && bytes[0] === 0xff && bytes[1] === 0xd8;
  if (isJpeg) return !tailContains(bytes, [0xff, 0xd9], 4096);
  const isPng = n > 8 && bytes[0] === 0x89 && bytes[1] === 0x50 && bytes[2] === 0x4e && bytes[3] === 0x47;
  if (isPng) return !tailContains(bytes, [0x49, 0x45, 0x4e, 0x44], 64); // "IEND"
  return false;
}

function tailContains(bytes: Uint8Array, needle: number[], window: number): boolean {
  const start = Math.max(0, bytes.length - window);
  outer: for (let i = bytes.length - needle.length; i >= start; i--) {
    for (let j = 0; j < needle.length; j++) if (bytes[i + j] !== needle[j]) continue outer;
    return true;
  }
  return false;
}

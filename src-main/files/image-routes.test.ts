// The image route table without a transport: what each route sends or refuses, with a fake
// view renderer (the HTTP side is tested end to end in test/host.test.ts).
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { thumbnailPath } from '../hash/thumbnail';
import { answerImageRequest, bodyOf, type ImageRequest, type ImageRoutes, type RouteAnswer } from './image-routes';

const base = mkdtempSync(join(tmpdir(), 'doppel-routes-'));
afterAll(() => rmSync(base, { recursive: true, force: true }));
const [root, outside, thumbnailDir, viewDir] = ['root', 'outside', 'thumbnails', 'views'].map((name) => join(base, name)) as [string, string, string, string];
for (const dir of [root, outside, viewDir]) mkdirSync(dir);
const DIGEST = 'ab'.repeat(32);
mkdirSync(join(thumbnailDir, 'ab'), { recursive: true });
writeFileSync(thumbnailPath(thumbnailDir, DIGEST), 'webp bytes');
writeFileSync(join(root, 'photo.jpg'), 'jpeg bytes');
writeFileSync(join(root, 'scan.tif'), 'tiff bytes');
writeFileSync(join(root, 'notes.txt'), 'text');
writeFileSync(join(outside, 'secret.jpg'), 'secret');
writeFileSync(join(viewDir, `${DIGEST}.jpg`), 'view bytes');

const routes: ImageRoutes = {
  thumbnailDir,
  viewDir,
  rootPaths: () => [root],
  views: { answer: async (digest) => (digest === DIGEST ? { file: join(viewDir, `${digest}.jpg`) } : { status: 400, message: 'Bad view name' }) },
};

/** The status, and the headers and body of a file sent. */
async function ask(request: ImageRequest): Promise<{ status: number; headers?: Record<string, string>; body: string }> {
  const answer: RouteAnswer = await answerImageRequest(request, routes);
  if ('status' in answer) return { status: answer.status, body: answer.text };
  const chunks: Buffer[] = [];
  for await (const chunk of (await bodyOf(answer.file)) ?? []) chunks.push(chunk as Buffer);
  return { status: 200, headers: answer.headers, body: Buffer.concat(chunks).toString() };
}

describe('image routes', () => {
  it('sends a thumbnail by digest, immutable; refuses a name that is not a digest', async () => {
    expect(await ask({ route: 'thumb', name: DIGEST, path: '' })).toEqual({
      status: 200,
      headers: { 'Content-Type': 'image/webp', 'Content-Length': '10', 'Cache-Control': 'private, max-age=31536000, immutable' },
      body: 'webp bytes',
    });
    expect(await ask({ route: 'thumb', name: '..%2F..%2Fetc%2Fpasswd', path: '' })).toEqual({ status: 400, body: 'Bad thumbnail name' });
  });

  it('sends a photo inside the watched folders only', async () => {
    expect(await ask({ route: 'file', name: '', path: join(root, 'photo.jpg') })).toMatchObject({ status: 200, headers: { 'Content-Type': 'image/jpeg', 'Cache-Control': 'private, max-age=60' }, body: 'jpeg bytes' });
    expect(await ask({ route: 'file', name: '', path: join(outside, 'secret.jpg') })).toMatchObject({ status: 403 });
    expect(await ask({ route: 'file', name: '', path: join(root, 'notes.txt') })).toEqual({ status: 403, body: 'Forbidden: not a photo' });
    expect(await ask({ route: 'file', name: '', path: '' })).toEqual({ status: 403, body: 'Forbidden: not inside a watched folder' });
  });

  it('sends the view image of a watched photo, and passes on the view renderer refusal', async () => {
    expect(await ask({ route: 'view', name: DIGEST, path: join(root, 'scan.tif') })).toMatchObject({ status: 200, headers: { 'Content-Type': 'image/jpeg' }, body: 'view bytes' });
    expect(await ask({ route: 'view', name: 'nope', path: join(root, 'scan.tif') })).toEqual({ status: 400, body: 'Bad view name' });
    expect(await ask({ route: 'view', name: DIGEST, path: join(outside, 'secret.jpg') })).toMatchObject({ status: 403 });
    expect(await ask({ route: 'view', name: DIGEST, path: '' })).toEqual({ status: 403, body: 'Forbidden: not inside a watched folder' });
  });
});

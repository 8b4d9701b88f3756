// Reading an image's pixels from another origin, in Debian's Chromium. The desktop app's page
// (app://doppel) draws doppel:// images into the compare view's canvas: two origins. Electron's
// binary is not available here, so two http origins stand in for them: an image server answering
// with the headers of src-main/security/image-cors.ts (as the doppel:// handler does), and pages
// on two other ports, one of them "the app". Also: the page `doppel serve` serves carries the
// Content-Security-Policy of src-renderer/index.html, and Chromium enforces it.
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { imageCorsHeaders } from '../src-main/security/image-cors';
import { PROJECT_ROOT, tempDir } from '../test/helpers';
import { chromiumFor, freePort, launchBrowser, serve, type ServeProcess } from './browser';
import { readPixels } from './canvas-read';

const chromiumPath = chromiumFor('e2e/cors-canvas.test.ts');

/** 4×2 pixels, each one different, lossless: what the canvas reads must be these. */
const WIDTH = 4;
const HEIGHT = 2;
const PIXELS = Buffer.from(Array.from({ length: WIDTH * HEIGHT * 4 }, (_, i) => (i % 4 === 3 ? 255 : (i * 37 + 11) % 256)));

function listen(server: Server, port: number): Promise<string> {
  return new Promise((resolve) => server.listen(port, '127.0.0.1', () => resolve(`http://127.0.0.1:${port}`)));
}
const close = (server: Server) => new Promise<void>((resolve) => server.close(() => resolve()));

describe.skipIf(!chromiumPath)('an image of another origin read by a canvas', () => {
  const servers: Server[] = [];
  let context: BrowserContext;
  let page: Page;
  let imageOrigin: string;
  let appOrigin: string;
  let foreignOrigin: string;
  let png: Buffer;
  let expected: number[];
  /** What the image server answered: the request's Origin header and the status. */
  const answered: { origin: string | undefined; status: number }[] = [];
  let requests = 0;
  /** A fresh URL each time: Chromium's image cache must not answer for the server. */
  const imageUrl = (route: 'cors' | 'plain') => `${imageOrigin}/${route}.png?request=${++requests}`;

  beforeAll(async () => {
    png = await sharp(PIXELS, { raw: { width: WIDTH, height: HEIGHT, channels: 4 } }).png().toBuffer();
    expected = [...(await sharp(png).ensureAlpha().raw().toBuffer())];
    const [imagePort, appPort, foreignPort] = [await freePort(), await freePort(), await freePort()];
    appOrigin = `http://127.0.0.1:${appPort}`;
    // /cors.png answers as the doppel:// handler does for the app's origin; /plain.png with no
    // CORS header, as doppel:// did before.
    const images = createServer((request, response) => {
      const headers = { 'Content-Type': 'image/png', 'Cache-Control': 'no-store' };
      const cors = request.url!.startsWith('/cors.png') ? imageCorsHeaders(request.headers.origin ?? null, appOrigin) : {};
      const status = cors ? 200 : 403;
      answered.push({ origin: request.headers.origin, status });
      response.writeHead(status, { ...headers, ...cors });
      response.end(cors ? png : 'Forbidden');
    });
    const pages = createServer((_request, response) => {
      response.writeHead(200, { 'Content-Type': 'text/html' });
      response.end('<!doctype html><title>page</title>');
    });
    servers.push(images, pages);
    imageOrigin = await listen(images, imagePort);
    await listen(pages, appPort);
    // The same server on a second port: another origin, a page that is not the app.
    const foreign = createServer(pages.listeners('request')[0] as Parameters<typeof createServer>[1]);
    servers.push(foreign);
    foreignOrigin = await listen(foreign, foreignPort);
    context = await launchBrowser(chromiumPath!, tempDir('doppel-cors-canvas-profile-'));
    page = await context.newPage();
  });

  afterAll(async () => {
    await context?.close();
    await Promise.all(servers.map(close));
  });

  it("lets the app's page read the pixels of an image requested with crossorigin and answered for its origin", async () => {
    await page.goto(`${appOrigin}/`);
    expect(await readPixels(page, imageUrl('cors'), true)).toEqual(expected);
    expect(answered.at(-1)).toEqual({ origin: appOrigin, status: 200 });
  });

  it('taints the canvas without crossorigin, even with the header: getImageData throws (the bug)', async () => {
    await page.goto(`${appOrigin}/`);
    expect(await readPixels(page, imageUrl('cors'), false)).toBe('SecurityError');
  });

  it('does not load the image with crossorigin when the answer names no origin (doppel:// before the fix)', async () => {
    await page.goto(`${appOrigin}/`);
    expect(await readPixels(page, imageUrl('plain'), true)).toBe('load failed');
    expect(await readPixels(page, imageUrl('plain'), false)).toBe('SecurityError');
  });

  it("refuses another origin's page: the server answers 403 and the page reads nothing", async () => {
    await page.goto(`${foreignOrigin}/`);
    expect(await readPixels(page, imageUrl('cors'), true)).toBe('load failed');
    expect(answered.at(-1)).toEqual({ origin: foreignOrigin, status: 403 });
  });
});

describe.skipIf(!chromiumPath)("the page's Content-Security-Policy under doppel serve", () => {
  let host: ServeProcess;
  let context: BrowserContext;
  let page: Page;

  beforeAll(async () => {
    host = await serve(await freePort(), tempDir('doppel-csp-data-'), []);
    context = await launchBrowser(chromiumPath!, tempDir('doppel-csp-profile-'));
    page = await context.newPage();
    await page.goto(host.url);
  });

  afterAll(async () => {
    await context?.close();
    await host?.stop();
  });

  it('is the policy of src-renderer/index.html', async () => {
    const source = readFileSync(join(PROJECT_ROOT, 'src-renderer/index.html'), 'utf8');
    const policy = /http-equiv="Content-Security-Policy" content="([^"]+)"/.exec(source)![1];
    expect(await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content')).toBe(policy);
  });

  it('refuses a <base>, a form post and an <object>, and still lets the page reach the host over its WebSocket', async () => {
    const refused = await page.evaluate(async () => {
      const directives: string[] = [];
      document.addEventListener('securitypolicyviolation', (event) => directives.push(event.effectiveDirective));
      const base = document.createElement('base');
      base.href = 'https://elsewhere.example/';
      document.head.append(base);
      const object = document.createElement('object');
      object.data = '/elsewhere';
      document.body.append(object);
      const form = document.createElement('form');
      form.action = '/elsewhere';
      form.method = 'post';
      document.body.append(form);
      form.submit();
      // Violation events are queued as tasks: wait for all three.
      for (let waited = 0; directives.length < 3 && waited < 100; waited++) await new Promise((resolve) => setTimeout(resolve, 50));
      return directives.sort();
    });
    expect(refused).toEqual(['base-uri', 'form-action', 'object-src']);
    expect(new URL(page.url()).pathname).toBe('/');
    // The app's calls go over ws://host/api: connect-src 'self' must let it open.
    const socket = await page.evaluate(
      () =>
        new Promise<string>((resolve) => {
          const ws = new WebSocket(`ws://${location.host}/api`);
          ws.onopen = () => resolve('open');
          ws.onerror = () => resolve('error');
        }),
    );
    expect(socket).toBe('open');
  });
});

import { describe, expect, it } from 'vitest';
import { imageCorsHeaders } from './image-cors';
import { originOf, PACKAGED_APP_URL } from './origin';

const APP = originOf(PACKAGED_APP_URL)!;

describe('the CORS answer of doppel:// images', () => {
  it("lets the app's page read the pixels: its own origin, by name", () => {
    expect(imageCorsHeaders('app://doppel', APP)).toEqual({ 'Access-Control-Allow-Origin': 'app://doppel', Vary: 'Origin' });
  });

  it("names the dev server's origin under npm run dev, not the packaged one", () => {
    const dev = originOf('http://localhost:5173/')!;
    expect(imageCorsHeaders('http://localhost:5173', dev)?.['Access-Control-Allow-Origin']).toBe('http://localhost:5173');
  });

  it('serves a plain <img>, which sends no Origin, with the same headers (never *)', () => {
    expect(imageCorsHeaders(null, APP)?.['Access-Control-Allow-Origin']).toBe('app://doppel');
  });

  it('refuses any other page, look-alikes and opaque origins included', () => {
    for (const origin of ['app://doppel.evil', 'app://evil', 'https://doppel', 'http://localhost:5173', 'null', 'file://', '*', '']) {
      expect(imageCorsHeaders(origin, APP), origin).toBeUndefined();
    }
  });
});

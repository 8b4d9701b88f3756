import { describe, expect, it } from 'vitest';
import { isAppSender, isAppUrl, originOf } from './origin';

const APP = 'app://doppel';

describe('originOf', () => {
  it('is scheme and host, port included, lower-cased, for custom schemes as for http', () => {
    expect(originOf('app://doppel/index.html')).toBe('app://doppel');
    expect(originOf('http://localhost:5173/src/main.ts?x=1#y')).toBe('http://localhost:5173');
    expect(originOf('HTTP://LocalHost:5173/')).toBe('http://localhost:5173');
    expect(originOf('https://example.org:443/')).toBe('https://example.org');
  });

  it('is undefined for URLs without a host and for what is no URL', () => {
    for (const url of ['data:text/html,<p>x</p>', 'about:blank', 'javascript:alert(1)', 'blob:app://doppel/5b1c', 'file:///etc/passwd', 'index.html', '']) {
      expect(originOf(url), url).toBeUndefined();
    }
  });
});

describe('isAppUrl', () => {
  it('accepts any page of the app origin', () => {
    expect(isAppUrl('app://doppel/index.html', APP)).toBe(true);
    expect(isAppUrl('app://doppel/assets/../index.html#group', APP)).toBe(true);
    expect(isAppUrl('http://localhost:5173/', 'http://localhost:5173')).toBe(true);
  });

  it('refuses look-alikes: another host, scheme or port, a host suffix, userinfo tricks', () => {
    for (const url of ['app://doppel.evil.example/', 'app://evil/doppel', 'https://doppel/', 'doppel://doppel/', 'app://doppel:8080/', 'app://evil.example?app://doppel', 'https://app//doppel']) {
      expect(isAppUrl(url, APP), url).toBe(false);
    }
    expect(isAppUrl('http://localhost:5174/', 'http://localhost:5173')).toBe(false);
  });
});

describe('isAppSender', () => {
  it('trusts only the main frame of an app page', () => {
    expect(isAppSender({ url: 'app://doppel/index.html', isMainFrame: true }, APP)).toBe(true);
    expect(isAppSender({ url: 'app://doppel/index.html', isMainFrame: false }, APP)).toBe(false);
    expect(isAppSender({ url: 'https://evil.example/', isMainFrame: true }, APP)).toBe(false);
    expect(isAppSender({ url: 'about:blank', isMainFrame: true }, APP)).toBe(false);
  });

  it('refuses a sender whose frame has navigated away or gone (senderFrame null)', () => {
    expect(isAppSender(null, APP)).toBe(false);
  });
});

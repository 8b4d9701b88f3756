import { describe, expect, it } from 'vitest';
import { externalLinkToOpen } from './external-links';

const ALLOWED = ['https://example.org/docs/'];

describe('externalLinkToOpen', () => {
  it('opens an http(s) page under a listed prefix, normalised', () => {
    expect(externalLinkToOpen('https://example.org/docs/guide#keeper', ALLOWED)).toBe('https://example.org/docs/guide#keeper');
    expect(externalLinkToOpen('https://EXAMPLE.org/docs/a b', ALLOWED)).toBe('https://example.org/docs/a%20b');
  });

  it('refuses what only looks listed: dot segments, a host suffix, another scheme or port', () => {
    for (const url of ['https://example.org/docs/../admin', 'https://example.org/doc', 'https://example.org.evil.example/docs/', 'http://example.org/docs/', 'https://example.org:8443/docs/']) {
      expect(externalLinkToOpen(url, ALLOWED), url).toBeUndefined();
    }
  });

  it('refuses credentials in the URL', () => {
    expect(externalLinkToOpen('https://user:secret@example.org/docs/', ALLOWED)).toBeUndefined();
    expect(externalLinkToOpen('https://example.org@evil.example/docs/', ALLOWED)).toBeUndefined();
  });

  it('never opens a scheme the OS would hand to another program, even when listed', () => {
    const listed = ['file:///', 'smb://server/', 'mailto:someone@example.org', 'javascript:alert(1)', 'ms-settings:'];
    for (const url of ['file:///etc/passwd', 'smb://server/share', 'mailto:someone@example.org', 'javascript:alert(1)', 'ms-settings:privacy']) {
      expect(externalLinkToOpen(url, listed), url).toBeUndefined();
    }
  });

  it('refuses everything by default: the app shows no outside link', () => {
    expect(externalLinkToOpen('https://example.org/docs/')).toBeUndefined();
    expect(externalLinkToOpen('https://github.com/')).toBeUndefined();
  });
});

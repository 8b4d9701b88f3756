import { describe, expect, it } from 'vitest';
import { PRIVILEGED_SCHEMES } from './schemes';

const privilegesOf = (scheme: string) => PRIVILEGED_SCHEMES.find((s) => s.scheme === scheme)?.privileges;

describe('the privileged schemes', () => {
  it('are app:// and doppel://, each an origin of its own in a secure context', () => {
    expect(PRIVILEGED_SCHEMES.map((s) => s.scheme).sort()).toEqual(['app', 'doppel']);
    for (const { privileges } of PRIVILEGED_SCHEMES) expect(privileges).toMatchObject({ standard: true, secure: true });
  });

  it('let only the app fetch; both share by CORS (the images so that a canvas may read them)', () => {
    expect(privilegesOf('app')).toMatchObject({ supportFetchAPI: true, corsEnabled: true });
    expect(privilegesOf('doppel')?.supportFetchAPI).toBeFalsy();
    expect(privilegesOf('doppel')?.corsEnabled).toBe(true);
  });

  it('grant none of the privileges that weaken a page: CSP bypass, service workers, streaming, code cache, extensions', () => {
    for (const { privileges } of PRIVILEGED_SCHEMES) {
      expect(Object.keys(privileges).filter((name) => !['standard', 'secure', 'supportFetchAPI', 'corsEnabled'].includes(name))).toEqual([]);
    }
  });
});

import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { isPermissionGranted } from './permissions';

const APP = 'app://doppel';

/** Every permission name the installed Electron can pass to a session's permission handlers,
 *  read from its own type declarations (importing 'electron' would need its binary). */
function electronPermissionNames(): string[] {
  const types = readFileSync(createRequire(import.meta.url).resolve('electron/electron.d.ts'), 'utf8');
  const signature = types.split('\n').find((line) => line.includes('setPermissionRequestHandler(handler:'));
  if (!signature) throw new Error('setPermissionRequestHandler not found in electron.d.ts');
  const permissions = signature.slice(signature.indexOf('permission:'), signature.indexOf('callback:'));
  return [...permissions.matchAll(/'([\w-]+)'/g)].map((m) => m[1]!);
}

describe('isPermissionGranted', () => {
  it("denies every permission Electron knows, to the app's own page as to any other", () => {
    const names = electronPermissionNames();
    expect(names).toEqual(expect.arrayContaining(['media', 'notifications', 'geolocation', 'clipboard-read', 'openExternal', 'hid', 'serial', 'usb']));
    for (const permission of names) {
      expect(isPermissionGranted(permission, 'app://doppel/index.html', APP), permission).toBe(false);
      expect(isPermissionGranted(permission, 'https://evil.example/', APP), permission).toBe(false);
    }
  });

  it('would grant a permission the app used only to its own origin', () => {
    const used = new Set(['fullscreen']);
    expect(isPermissionGranted('fullscreen', 'app://doppel/index.html', APP, used)).toBe(true);
    expect(isPermissionGranted('fullscreen', 'app://doppel', APP, used)).toBe(true);
    expect(isPermissionGranted('fullscreen', 'https://evil.example/', APP, used)).toBe(false);
    expect(isPermissionGranted('fullscreen', '', APP, used)).toBe(false);
    expect(isPermissionGranted('media', 'app://doppel/index.html', APP, used)).toBe(false);
  });
});

import { describe, it, expect } from 'vitest';
import { homepage } from '../../../../package.json';
import { isAllowedExternalUrl, isPermissionGranted } from '../../../../electron/main/page-policy';

const OWN = 'app://renderer/index.html';

describe('web permissions', () => {
  it('grants the clipboard write the copy buttons use, to our own top-level page', () => {
    expect(isPermissionGranted('clipboard-sanitized-write', OWN, true)).toBe(true);
    expect(isPermissionGranted('clipboard-sanitized-write', 'app://renderer', true)).toBe(true);
  });

  it.each(['notifications', 'clipboard-read', 'media', 'geolocation', 'openExternal', 'fileSystem', 'hid', 'serial', 'usb'])('refuses %s', (permission) => {
    expect(isPermissionGranted(permission, OWN, true)).toBe(false);
  });

  it('refuses a sub-frame, a foreign page and a missing origin', () => {
    expect(isPermissionGranted('clipboard-sanitized-write', OWN, false)).toBe(false);
    expect(isPermissionGranted('clipboard-sanitized-write', 'https://evil.example/', true)).toBe(false);
    expect(isPermissionGranted('clipboard-sanitized-write', undefined, true)).toBe(false);
  });
});

describe('links opened in the browser', () => {
  it('allows the project’s own pages', () => {
    expect(isAllowedExternalUrl(homepage)).toBe(true);
    expect(isAllowedExternalUrl(`${homepage}/blob/main/docs/user-guide.md#devices`)).toBe(true);
  });

  it.each([
    ['another site', 'https://evil.example/'],
    ['a look-alike repository', `${homepage}-evil/`],
    ['a path that climbs out', `${homepage}/../../evil/repo`],
    ['plain http', homepage.replace('https:', 'http:')],
    ['credentials in the URL', homepage.replace('https://', 'https://user:pw@')],
    ['a file', 'file:///etc/passwd'],
    ['a custom protocol', 'ms-settings:network'],
    ['not a URL', 'github.com'],
  ])('refuses %s', (_label, url) => {
    expect(isAllowedExternalUrl(url)).toBe(false);
  });
});

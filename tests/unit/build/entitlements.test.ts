import { describe, it, expect } from 'vitest';
import { readFileSync } from 'node:fs';
import config from '../../../build/electron-builder.config.mjs';

/** The boolean keys a flat entitlements plist sets to true (comments stripped). */
function trueKeys(path: string): string[] {
  const xml = readFileSync(path, 'utf8').replace(/<!--[\s\S]*?-->/g, '');
  expect(xml).toMatch(/^<\?xml[\s\S]*<plist version="1.0">\s*<dict>[\s\S]*<\/dict>\s*<\/plist>\s*$/);
  const keys = [...xml.matchAll(/<key>([^<]+)<\/key>\s*<(true|false)\/>/g)];
  expect(keys.length).toBe([...xml.matchAll(/<key>/g)].length);
  return keys.filter((k) => k[2] === 'true').map((k) => k[1]!);
}

const SANDBOX_ONLY = /^com\.apple\.security\.(app-sandbox|inherit|network\.|files\.|device\.|print|personal-information\.)/;

describe('macOS hardened-runtime entitlements', () => {
  const app = trueKeys(config.mac!.entitlements!);
  const helpers = trueKeys(config.mac!.entitlementsInherit!);

  it('are separate files for the app and for its helpers', () => {
    expect(config.mac!.hardenedRuntime).toBe(true);
    expect(config.mac!.entitlements).toBe('build/entitlements.mac.plist');
    expect(config.mac!.entitlementsInherit).toBe('build/entitlements.mac.inherit.plist');
  });

  it('let V8 compile code, in the app and in every helper (without it the app dies at launch)', () => {
    expect(app).toContain('com.apple.security.cs.allow-jit');
    expect(helpers).toContain('com.apple.security.cs.allow-jit');
  });

  it('let the app load its native keychain add-on, and keep library validation in the helpers', () => {
    expect(app).toEqual(expect.arrayContaining(['com.apple.security.cs.allow-unsigned-executable-memory', 'com.apple.security.cs.disable-library-validation']));
    expect(helpers).not.toContain('com.apple.security.cs.disable-library-validation');
  });

  it('carry no App Sandbox keys, which do nothing outside the Mac App Store sandbox', () => {
    expect(app.filter((k) => SANDBOX_ONLY.test(k))).toEqual([]);
    expect(helpers.filter((k) => SANDBOX_ONLY.test(k))).toEqual([]);
  });

  it('never open the runtime further than the three code-signing exceptions above', () => {
    expect([...app, ...helpers].filter((k) => /allow-dyld-environment-variables|disable-executable-page-protection|debugger/.test(k))).toEqual([]);
  });
});

import { describe, it, expect } from 'vitest';
import { existsSync } from 'node:fs';
import identity from '../../../build/app-identity.json';
import pkg from '../../../package.json';
import flipReleaseFuses from '../../../build/after-pack.mjs';
import config, { NODE_ONLY_ADDONS } from '../../../build/electron-builder.config.mjs';
import notarizeAfterSign from '../../../build/notarize.mjs';

describe('the packaging configuration', () => {
  it('has a real, reverse-DNS app id, shared with the main process', () => {
    expect(config.appId).toBe(identity.appId);
    expect(identity.appId).toMatch(/^[a-z][a-z0-9]*(\.[a-z0-9-]+){2,}$/);
    expect(identity.appId).not.toMatch(/example/);
    expect(config.productName).toBe(identity.productName);
  });

  it('has the metadata a deb needs: homepage, an author with an e-mail, a maintainer', () => {
    expect(pkg.homepage).toMatch(/^https:\/\//);
    expect(pkg.author.email).toMatch(/^[^@\s]+@[^@\s]+$/);
    expect(config.deb!.maintainer).toBe(`${pkg.author.name} <${pkg.author.email}>`);
  });

  it('keeps electron-builder’s default deb dependencies (no `depends` override)', () => {
    expect(config.deb).not.toHaveProperty('depends');
    expect(config.linux).not.toHaveProperty('depends');
  });

  it('ships the deb as the Linux artifact, not an AppImage (no sandbox on Ubuntu 24.04+)', () => {
    expect(config.linux!.target).toEqual(['deb']);
  });

  it('names the desktop entry after package.json’s desktopName, the app_id Electron gives its windows', () => {
    expect(pkg.desktopName).toBe(`${config.linux!.executableName}.desktop`);
    expect(config.linux!.syncDesktopName).toBe(true);
  });

  it('publishes nowhere until an update channel exists', () => {
    expect(config.publish).toBeNull();
  });

  it('does not rebuild native modules (keytar is N-API) and leaves the Node-only add-ons out', () => {
    expect(config.npmRebuild).toBe(false);
    for (const glob of NODE_ONLY_ADDONS) expect(config.files).toContain(`!${glob}`);
    expect(config.asarUnpack).toContain('**/node_modules/keytar/**');
  });

  it('flips the fuses after packing and notarises after signing, with our own hooks', () => {
    expect(config.afterPack).toBe(flipReleaseFuses);
    expect(config.afterSign).toBe(notarizeAfterSign);
    expect(config.mac!.notarize).toBe(false);
    expect(config).not.toHaveProperty('electronFuses');
  });

  it('has an icon for every target, as files electron-builder uses without converting', () => {
    for (const icon of [config.mac!.icon, config.win!.icon, config.linux!.icon]) expect(existsSync(icon!)).toBe(true);
  });

  it('asks macOS for local-network access with a reason, for mDNS and SSH', () => {
    expect(config.mac!.extendInfo).toMatchObject({ NSLocalNetworkUsageDescription: expect.stringMatching(/local network/), NSBonjourServices: ['_ssh._tcp'] });
  });

  it('installs per machine on Windows, with the firewall include', () => {
    expect(config.nsis).toMatchObject({ perMachine: true, include: 'build/installer.nsh' });
    expect(existsSync(config.nsis!.include!)).toBe(true);
  });
});

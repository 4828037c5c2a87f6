import { describe, it, expect, beforeEach } from 'vitest';
import { getCurrentFuseWire, FuseV1Options } from '@electron/fuses';
import { Arch } from 'electron-builder';
import type { AfterPackContext } from 'electron-builder';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import flipReleaseFuses, { electronBinaryPath, RELEASE_FUSES } from '../../../build/after-pack.mjs';
import { DEFAULT_FUSES, writeElectronStandIn } from '../../../scripts/electron-binary.mjs';

const ON = 49; // '1'
const OFF = 48; // '0'

/** A FAKE AfterPackContext: only the fields the hook reads. */
function context(appOutDir: string, electronPlatformName: string): AfterPackContext {
  return {
    appOutDir,
    electronPlatformName,
    arch: Arch.x64,
    packager: { executableName: 'electron', appInfo: { productFilename: 'Provisioning Workstation' } },
  } as unknown as AfterPackContext;
}

describe('the release fuses', () => {
  it('are exactly the ones the release needs', () => {
    expect(RELEASE_FUSES).toEqual({
      [FuseV1Options.RunAsNode]: false,
      [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
      [FuseV1Options.EnableNodeCliInspectArguments]: false,
      [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
      [FuseV1Options.OnlyLoadAppFromAsar]: true,
      [FuseV1Options.EnableCookieEncryption]: true,
    });
  });

  describe('the afterPack hook, on a stand-in binary that carries the fuse wire', () => {
    let dir: string;
    beforeEach(() => {
      dir = writeElectronStandIn(mkdtempSync(join(tmpdir(), 'pws-fuses-')));
    });

    it('flips them and leaves the other fuses as they were', async () => {
      const before = await getCurrentFuseWire(join(dir, 'electron'));
      expect([...DEFAULT_FUSES].map((_c, i) => before[i as FuseV1Options])).toEqual([...DEFAULT_FUSES].map((c) => c.charCodeAt(0)));
      await flipReleaseFuses(context(dir, 'linux'));
      const wire = await getCurrentFuseWire(join(dir, 'electron'));
      expect(wire[FuseV1Options.RunAsNode]).toBe(OFF);
      expect(wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable]).toBe(OFF);
      expect(wire[FuseV1Options.EnableNodeCliInspectArguments]).toBe(OFF);
      expect(wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation]).toBe(ON);
      expect(wire[FuseV1Options.OnlyLoadAppFromAsar]).toBe(ON);
      expect(wire[FuseV1Options.EnableCookieEncryption]).toBe(ON);
      expect(wire[FuseV1Options.LoadBrowserProcessSpecificV8Snapshot]).toBe(DEFAULT_FUSES.charCodeAt(6));
      expect(wire[FuseV1Options.GrantFileProtocolExtraPrivileges]).toBe(DEFAULT_FUSES.charCodeAt(7));
    });

    it('fails the packaging when the binary has no fuse wire, rather than ship it unflipped', async () => {
      await expect(flipReleaseFuses(context(join(dir, 'missing'), 'linux'))).rejects.toThrow();
    });
  });

  it('finds the binary where electron-builder puts it on each platform', () => {
    expect(electronBinaryPath(context('/out/linux-unpacked', 'linux'))).toBe('/out/linux-unpacked/electron');
    expect(electronBinaryPath(context('/out/mac', 'darwin'))).toBe('/out/mac/Provisioning Workstation.app');
    expect(electronBinaryPath(context('/out/win-unpacked', 'win32'))).toBe('/out/win-unpacked/Provisioning Workstation.exe');
  });
});

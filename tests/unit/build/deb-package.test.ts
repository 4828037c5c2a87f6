import { describe, it, expect, beforeAll } from 'vitest';
import { extractFile, listPackage } from '@electron/asar';
import { getCurrentFuseWire, FuseV1Options } from '@electron/fuses';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync, chmodSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pkg from '../../../package.json';

// `npm run pack:deb` as far as it goes here: electron-builder packs the Electron STAND-IN, runs every check
// and hook, and hands the package to fpm. fpm is downloaded, which this machine can't, so CUSTOM_FPM_PATH
// points at a FAKE fpm that records what it was asked to build (and the .desktop file it was given).
const FpmTarget = createRequire(import.meta.url)('app-builder-lib/out/targets/FpmTarget').default as {
  prototype: { getDefaultDepends(target: string): string[] };
};

let out: string;
let fpm: { args: string[]; desktopEntry: string };
let packOutput: string;

/** The values of every `--flag value` pair with this flag. */
const values = (flag: string) => fpm.args.flatMap((arg, i) => (arg === flag ? [fpm.args[i + 1]!] : []));
/** Where fpm is told to install each file: `source=destination` pairs. */
const installs = () =>
  Object.fromEntries(
    fpm.args
      .filter((a) => /^[^-].*=\//.test(a))
      .map((a) => a.split('=') as [string, string])
      .map(([from, to]) => [to, from]),
  );

beforeAll(async () => {
  for (const built of ['dist/main/main.cjs', 'dist/main/preload.cjs']) {
    if (!existsSync(built)) throw new Error(`${built} is missing: run \`npm run build\` first`);
  }
  out = mkdtempSync(join(tmpdir(), 'pws-deb-'));
  const fakeFpm = join(out, 'fake-fpm');
  writeFileSync(
    fakeFpm,
    `#!${process.execPath}\n` +
      `const fs = require('fs');\n` +
      `const args = process.argv.slice(2);\n` +
      `const desktop = args.find((a) => a.endsWith('.desktop') && a.includes('='));\n` +
      `fs.writeFileSync(${JSON.stringify(join(out, 'fpm.json'))}, JSON.stringify({ args, desktopEntry: fs.readFileSync(desktop.split('=')[0], 'utf8') }));\n`,
  );
  chmodSync(fakeFpm, 0o755);
  const child = spawn(process.execPath, ['scripts/pack-linux.mjs', 'deb', '--no-build', '--out', out], { env: { ...process.env, CUSTOM_FPM_PATH: fakeFpm } });
  packOutput = '';
  child.stdout.on('data', (chunk) => (packOutput += chunk));
  child.stderr.on('data', (chunk) => (packOutput += chunk));
  const code = await new Promise((resolve) => child.on('close', resolve));
  if (code !== 0) throw new Error(`pack:deb failed (${code}):\n${packOutput}`);
  fpm = JSON.parse(readFileSync(join(out, 'fpm.json'), 'utf8'));
}, 300_000);

describe('the deb, packed with the stand-in Electron', () => {
  it('passes electron-builder’s metadata checks: name, maintainer, vendor, homepage', () => {
    const maintainer = `${pkg.author.name} <${pkg.author.email}>`;
    expect(values('--name')).toEqual(['provisioning-workstation']);
    expect(values('--maintainer')).toEqual([maintainer]);
    expect(values('--vendor')).toEqual([maintainer]);
    expect(values('--url')).toEqual([pkg.homepage]);
    expect(values('--license')).toEqual([pkg.license]);
  });

  it('depends on electron-builder’s whole default list, libsecret (the keychain) included', () => {
    const defaults = FpmTarget.prototype.getDefaultDepends('deb');
    expect(defaults).toEqual(expect.arrayContaining(['libgtk-3-0', 'libnss3', 'libsecret-1-0']));
    expect(values('-d')).toEqual(defaults);
  });

  it('installs a desktop entry named after desktopName, whose windows it claims, and the icons', () => {
    const entry = installs()['/usr/share/applications/provisioning-workstation.desktop'];
    expect(entry).toBeDefined();
    expect(fpm.desktopEntry).toMatch(/^Name=Provisioning Workstation$/m);
    expect(fpm.desktopEntry).toMatch(/^StartupWMClass=provisioning-workstation$/m);
    expect(fpm.desktopEntry).toMatch(/^Icon=provisioning-workstation$/m);
    for (const size of [16, 32, 48, 128, 256, 512]) {
      expect(installs()[`/usr/share/icons/hicolor/${size}x${size}/apps/provisioning-workstation.png`]).toMatch(
        new RegExp(`build/icons/${size}x${size}\\.png$`),
      );
    }
  });

  it('ran the afterPack hook: the packed binary’s release fuses are flipped', async () => {
    const wire = await getCurrentFuseWire(join(out, 'linux-unpacked', 'provisioning-workstation'));
    expect([
      wire[FuseV1Options.RunAsNode],
      wire[FuseV1Options.EnableNodeOptionsEnvironmentVariable],
      wire[FuseV1Options.EnableNodeCliInspectArguments],
    ]).toEqual([48, 48, 48]);
    expect([
      wire[FuseV1Options.EnableEmbeddedAsarIntegrityValidation],
      wire[FuseV1Options.OnlyLoadAppFromAsar],
      wire[FuseV1Options.EnableCookieEncryption],
    ]).toEqual([49, 49, 49]);
  });

  it('holds the main process’s dependencies only, with keytar unpacked and no Node-only add-ons', () => {
    const resources = join(out, 'linux-unpacked', 'resources');
    const files = listPackage(join(resources, 'app.asar'), { isPack: false });
    const packages = new Set(files.map((f) => f.match(/^\/node_modules\/((?:@[^/]+\/)?[^/]+)/)?.[1]).filter(Boolean));
    for (const name of Object.keys(pkg.dependencies)) expect(packages).toContain(name);
    for (const name of ['react', 'react-dom', 'zustand', 'scheduler', 'ws', 'electron', 'cpu-features']) expect(packages).not.toContain(name);
    expect(files).toEqual(expect.arrayContaining(['/dist/main/main.cjs', '/dist/main/preload.cjs', '/package.json']));
    expect(files.filter((f) => f.endsWith('.map'))).toEqual([]);
    expect(files.filter((f) => f.endsWith('.node'))).toEqual(['/node_modules/keytar/build/Release/keytar.node']);
    expect(existsSync(join(resources, 'app.asar.unpacked', 'node_modules', 'keytar', 'build', 'Release', 'keytar.node'))).toBe(true);
    expect(existsSync(join(resources, 'app-update.yml'))).toBe(false);
  });

  it('keeps the packaged package.json’s name, so the app’s data folder stays the one the CLI uses', () => {
    const packed = JSON.parse(extractFile(join(out, 'linux-unpacked', 'resources', 'app.asar'), 'package.json').toString('utf8'));
    expect(packed).toMatchObject({ name: 'provisioning-workstation', desktopName: pkg.desktopName, main: 'dist/main/main.cjs' });
    expect(packed).not.toHaveProperty('productName');
  });
});

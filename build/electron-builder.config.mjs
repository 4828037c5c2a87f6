// @ts-check
// electron-builder configuration: the Linux deb, the macOS dmg and the Windows NSIS installer.
// How to build each one, and what is checked where: docs/release.md.
import { readFileSync } from 'node:fs';
import flipReleaseFuses from './after-pack.mjs';
import notarizeAfterSign from './notarize.mjs';

/** The app's identity, shared with the main process (which gives Windows the same AppUserModelID). */
const identity = JSON.parse(readFileSync(new URL('./app-identity.json', import.meta.url), 'utf8'));
const { author } = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8'));

/**
 * Native add-ons built for Node's ABI, not Electron's. ssh2 loads both inside try/catch and falls back to
 * Node's own crypto, so in the app they would only fail to load: leave them out (see npmRebuild).
 */
export const NODE_ONLY_ADDONS = ['**/node_modules/cpu-features/**', '**/node_modules/ssh2/lib/protocol/crypto/build/**'];

/** @type {import('electron-builder').Configuration} */
const config = {
  appId: identity.appId,
  productName: identity.productName,
  copyright: 'Copyright © 2026 the Provisioning Workstation authors',
  directories: { output: 'out', buildResources: 'build' },
  files: ['dist/main/**', 'dist/renderer/**', 'package.json', '!**/*.map', ...NODE_ONLY_ADDONS.map((glob) => `!${glob}`)],
  // keytar is a native module: keep it outside the asar archive so it can be loaded.
  asarUnpack: ['**/node_modules/keytar/**'],
  // Deliberately off. keytar, the one add-on the app needs, is N-API: the binary `npm ci` built loads in
  // Electron unchanged. A rebuild would need Electron's headers from the network and a compiler, and would
  // also try the optional Node-only add-ons above. Build each installer on its own OS (docs/release.md).
  npmRebuild: false,
  // No update channel exists yet: electron-builder must not guess one, nor write app-update.yml.
  publish: null,
  extraMetadata: { main: 'dist/main/main.cjs' },
  afterPack: flipReleaseFuses,
  afterSign: notarizeAfterSign,
  linux: {
    // The deb is the supported Linux artifact. Its post-install script gives the app an AppArmor profile,
    // which Ubuntu 24.04 needs for Chromium's sandbox; an AppImage can't have one (electron-builder #8440).
    target: ['deb'],
    category: 'Development',
    executableName: 'provisioning-workstation',
    // The .desktop file is named after package.json's desktopName, the app_id Electron gives its windows.
    syncDesktopName: true,
    icon: 'build/icons',
  },
  deb: {
    maintainer: `${author.name} <${author.email}>`,
    // No `depends`: electron-builder's default list (GTK, NSS, libnotify, libsecret for the keychain …) is
    // what Electron needs on a minimal system, and setting one would replace that list, not extend it.
  },
  mac: {
    target: 'dmg',
    category: 'public.app-category.developer-tools',
    icon: 'build/icon.icns',
    hardenedRuntime: true,
    entitlements: 'build/entitlements.mac.plist',
    entitlementsInherit: 'build/entitlements.mac.inherit.plist',
    // Our afterSign hook notarises, with a clear message when credentials are absent.
    notarize: false,
    extendInfo: {
      // Without these two, macOS 15 silently blocks mDNS browsing and local-network SSH.
      NSLocalNetworkUsageDescription: 'Provisioning Workstation finds development boards on your local network and connects to them over SSH.',
      NSBonjourServices: ['_ssh._tcp'],
    },
  },
  win: {
    target: 'nsis',
    icon: 'build/icon.ico',
  },
  nsis: {
    oneClick: false,
    // Per machine: adding the firewall rule for discovery needs an elevated installer.
    perMachine: true,
    allowToChangeInstallationDirectory: true,
    include: 'build/installer.nsh',
  },
};

export default config;

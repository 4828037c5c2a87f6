// @ts-check
// electron-builder afterPack hook: flips Electron's fuses in the packaged binary. afterPack runs before
// electron-builder signs the app, and a fuse flipped after signing would break the signature.
import { flipFuses, FuseV1Options, FuseVersion } from '@electron/fuses';
import { Arch } from 'electron-builder';
import { join } from 'node:path';

/** What the released binary may never do, whatever its environment or command line says. */
export const RELEASE_FUSES = {
  // ELECTRON_RUN_AS_NODE would turn the signed app into a plain Node.js that runs any script.
  [FuseV1Options.RunAsNode]: false,
  // NODE_OPTIONS (--require, --inspect …) would inject code into the main process.
  [FuseV1Options.EnableNodeOptionsEnvironmentVariable]: false,
  // --inspect / --inspect-brk would attach a debugger to the process that holds the API key.
  [FuseV1Options.EnableNodeCliInspectArguments]: false,
  // macOS and Windows check app.asar against the hash electron-builder embeds (Linux has no such check).
  [FuseV1Options.EnableEmbeddedAsarIntegrityValidation]: true,
  // Never load an app/ folder or loose files placed next to app.asar.
  [FuseV1Options.OnlyLoadAppFromAsar]: true,
  // Cookies encrypted at rest with the OS keychain key.
  [FuseV1Options.EnableCookieEncryption]: true,
};

/**
 * The file that carries the fuse wire, as electron-builder names it: `<productFilename>.app` (macOS, where
 * @electron/fuses finds the framework inside), `<productFilename>.exe`, or Linux's `executableName`.
 * @param {import('electron-builder').AfterPackContext} context
 */
export function electronBinaryPath({ appOutDir, electronPlatformName, packager }) {
  if (electronPlatformName === 'darwin' || electronPlatformName === 'mas') return join(appOutDir, `${packager.appInfo.productFilename}.app`);
  if (electronPlatformName === 'win32') return join(appOutDir, `${packager.appInfo.productFilename}.exe`);
  return join(appOutDir, /** @type {import('electron-builder').LinuxPackager} */ (packager).executableName);
}

/** @param {import('electron-builder').AfterPackContext} context */
export default async function flipReleaseFuses(context) {
  const binary = electronBinaryPath(context);
  await flipFuses(binary, {
    version: FuseVersion.V1,
    // Flipping a fuse invalidates the ad-hoc signature Apple Silicon requires; electron-builder re-signs a
    // Developer ID build afterwards, and this keeps an unsigned local arm64 build launchable.
    resetAdHocDarwinSignature: context.electronPlatformName === 'darwin' && context.arch === Arch.arm64,
    ...RELEASE_FUSES,
  });
  process.stderr.write(`after-pack: release fuses flipped in ${binary}\n`);
}

// The Electron binary for development runs and packaging: the real one when it was downloaded, otherwise a
// STAND-IN for packaging on machines that can't download it (ours). electron-builder packs the stand-in like
// the real thing, so the whole packaging configuration is checked; the "binary" is a shell script that refuses
// to run. It carries Electron's fuse wire (the sentinel, the wire version and one byte per fuse, at Electron's
// documented defaults), so the afterPack hook that flips the release fuses runs as it would on the real binary.
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';

export const FUSE_SENTINEL = 'dL7pKGdnNz796PbbjQWNKmHXBZaB9tsX';
/** RunAsNode, CookieEncryption, NodeOptions, NodeCliInspect, AsarIntegrity, OnlyLoadAppFromAsar, V8Snapshot, FileProtocol. */
export const DEFAULT_FUSES = '10110001';

/** The path of the downloaded Electron binary, or null. */
export function installedElectronBinary() {
  try {
    // The electron package exports the path of its binary, and throws when the binary was never downloaded.
    const binary = createRequire(import.meta.url)('electron');
    return typeof binary === 'string' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
}

/** Writes the stand-in into `dir` (a folder for electron-builder's `electronDist`) and returns `dir`. */
export function writeElectronStandIn(dir) {
  mkdirSync(dir, { recursive: true });
  const script = '#!/bin/sh\necho "stand-in for the Electron binary (scripts/electron-binary.mjs): not runnable" >&2\nexit 1\n';
  const wire = Buffer.concat([
    Buffer.from(`# ${FUSE_SENTINEL}`, 'latin1'),
    Buffer.from([1, DEFAULT_FUSES.length]),
    Buffer.from(`${DEFAULT_FUSES}\n`, 'latin1'),
  ]);
  writeFileSync(join(dir, 'electron'), Buffer.concat([Buffer.from(script, 'latin1'), wire]));
  chmodSync(join(dir, 'electron'), 0o755);
  writeFileSync(join(dir, 'version'), JSON.parse(readFileSync(new URL('../node_modules/electron/package.json', import.meta.url), 'utf8')).version);
  return dir;
}

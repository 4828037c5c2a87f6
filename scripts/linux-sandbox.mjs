// Whether `npm start` can keep Chromium's sandbox on Linux, and what to pass Electron when it can't.
// The sandbox needs either unprivileged user namespaces or a SUID-root chrome-sandbox helper. Electron refuses
// to start as root without --no-sandbox, and Ubuntu 24.04's AppArmor denies user namespaces to binaries it has
// no profile for, such as node_modules/electron/dist/electron, so there it aborts even for a normal user.
// The deb installs such a profile, so the installed app keeps its sandbox; this is about development runs.
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** What the system says about the sandbox, read once (tests pass their own). */
export function readSandboxFacts(electronBinary) {
  const helper = join(dirname(electronBinary), 'chrome-sandbox');
  return {
    platform: process.platform,
    isRoot: process.getuid?.() === 0,
    usernsRestricted:
      procFlag('/proc/sys/kernel/apparmor_restrict_unprivileged_userns') === '1' || procFlag('/proc/sys/kernel/unprivileged_userns_clone') === '0',
    helper,
    helperIsSuidRoot: isSuidRoot(helper),
  };
}

/** The switches Electron needs, and the one line that explains them (null when the sandbox just works). */
export function sandboxPlan({ platform, isRoot, usernsRestricted, helper, helperIsSuidRoot }) {
  if (platform !== 'linux') return { args: [], line: null };
  if (isRoot) {
    return {
      args: ['--no-sandbox'],
      line: 'start: running as root, where Electron refuses its sandbox, so this run uses --no-sandbox; start as a normal user to keep the sandbox on.',
    };
  }
  if (usernsRestricted && !helperIsSuidRoot) {
    return {
      args: ['--no-sandbox'],
      line:
        'start: this system denies user namespaces to unprofiled programs (AppArmor on Ubuntu 24.04) and chrome-sandbox is not SUID root, so this run uses --no-sandbox; ' +
        `to keep the sandbox run \`sudo chown root:root '${helper}' && sudo chmod 4755 '${helper}'\`, or install the deb, which brings an AppArmor profile.`,
    };
  }
  return { args: [], line: null };
}

function procFlag(path) {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch {
    return null;
  }
}

function isSuidRoot(path) {
  try {
    const { uid, mode } = statSync(path);
    return uid === 0 && (mode & 0o4000) !== 0;
  } catch {
    return false;
  }
}

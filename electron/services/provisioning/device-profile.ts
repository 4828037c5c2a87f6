import { randomBytes } from 'node:crypto';

/**
 * Where things live on a kind of device. Mbed Linux OS is the default (compat-formats §3.3); another board
 * family gets its own profile instead of a code change.
 */
export interface DeviceProfile {
  name: string;
  /** The folder the utility reads `<name>.bin` files from. */
  certsDir: string;
  utility: string;
  provisionArgs: string;
  statusArgs: string;
  /** systemd unit restarted after provisioning where it exists; empty = never. */
  cloudClientUnit: string;
}

export const MBL_PROFILE: DeviceProfile = {
  name: 'mbl',
  certsDir: '/scratch/provisioning-certs',
  utility: '/opt/arm/pelion-provisioning-util',
  provisionArgs: '--provision',
  statusArgs: '--get-pelion-status',
  cloudClientUnit: 'mbl-cloud-client',
};

/** Single-quotes a string for a POSIX shell. */
export const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * The device-side lock beside the target, `/scratch/.provisioning-certs.lock`: an empty folder created
 * atomically (mkdir) by whoever provisions the device, so two workstations or two processes (the app and
 * `pws`) never provision one device at the same time.
 */
export const lockDirFor = (profile: DeviceProfile) => stagingDirFor(profile, 'lock');

/** A lock older than this (by the device's own clock) was left by a process that died: it is taken over. */
export const LOCK_STALE_MS = 10 * 60_000;

/** A run's own staging folder on a device: 6 random bytes, as 12 hex digits, after the target's name. */
export const newStagingDirFor = (profile: Pick<DeviceProfile, 'certsDir'>) => stagingDirFor(profile, randomBytes(6).toString('hex'));

/** Whether `path` is a staging folder `newStagingDirFor` makes beside `certsDir`. */
export function isStagingDirOf(certsDir: string, path: string): boolean {
  const prefix = stagingDirFor({ certsDir }, '');
  return path.startsWith(prefix) && /^[0-9a-f]{12}$/.test(path.slice(prefix.length));
}

/** The staging folder beside the target: `/scratch/.provisioning-certs.<random>`. */
export function stagingDirFor(profile: Pick<DeviceProfile, 'certsDir'>, random: string): string {
  const slash = profile.certsDir.lastIndexOf('/');
  return `${profile.certsDir.slice(0, slash)}/.${profile.certsDir.slice(slash + 1)}.${random}`;
}

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeJsonAtomic } from '../fs/atomic';
import { writeProblem } from '../fs/user-paths';
import { legacyIdentity } from './host-identity';
import { isJsonObject } from '../../../shared/domain/json-object';

export const KNOWN_HOSTS_FILE = 'known_hosts.json';

export interface PinnedHostKey {
  /** `SHA256:<base64 without padding>`, as OpenSSH prints it. */
  fingerprint: string;
  keyType: string;
  pinnedAt: string;
}

/** One device's pin: its key and every identity it has been seen with (`host-identity.ts`). */
export interface DevicePin extends PinnedHostKey {
  identities: string[];
}

/** A pin that matched one of the identities asked about. */
export interface PinMatch {
  identity: string;
  pin: DevicePin;
}

export interface KnownHostsStore {
  readonly file: string;
  /** Every pin held under any of `identities`, with the identity that matched. */
  find(identities: readonly string[]): Promise<PinMatch[]>;
  /**
   * Pins `key` under `identities`: the identities join the pin of the same key that already holds one of them
   * (so a device seen under a new hostname or address keeps one pin), or start a new one.
   */
  pin(identities: readonly string[], key: PinnedHostKey): Promise<void>;
  /** Removes every pin held under any of `identities`, with all its identities. Returns the pins removed. */
  forget(identities: readonly string[]): Promise<DevicePin[]>;
  list(): Promise<DevicePin[]>;
}

/** The file: `{ version: 2, devices: DevicePin[] }`. Version 1 was `{ "<hostname or address>": PinnedHostKey }`. */
interface KnownHostsFile {
  version: 2;
  devices: DevicePin[];
}

/** OpenSSH's SHA256 fingerprint of a raw SSH public key blob. */
export function sshFingerprint(rawKey: Buffer): string {
  return `SHA256:${createHash('sha256').update(rawKey).digest('base64').replace(/=+$/, '')}`;
}

/** The key type named at the start of an SSH public key blob (`ssh-ed25519`, `ecdsa-sha2-nistp256`, ...). */
export function sshKeyType(rawKey: Buffer): string {
  if (rawKey.length < 4) return 'unknown';
  const len = rawKey.readUInt32BE(0);
  return len > 0 && len < 64 && rawKey.length >= 4 + len ? rawKey.subarray(4, 4 + len).toString('latin1') : 'unknown';
}

const isPin = (v: unknown): v is PinnedHostKey =>
  !!v && typeof v === 'object' && typeof (v as PinnedHostKey).fingerprint === 'string' && typeof (v as PinnedHostKey).pinnedAt === 'string';

/**
 * Reads either version; a version-1 entry becomes a pin with one identity. What is not one of them, whole, is
 * refused (the answer is why): dropping the entries that do not read would silently un-pin those boards, and
 * the next write would make that permanent.
 */
function parseFile(json: unknown): DevicePin[] | string {
  if (!isJsonObject(json)) return 'is not a JSON object';
  if ('version' in json) {
    const v2 = json as Partial<KnownHostsFile>;
    if (v2.version !== 2 || !Array.isArray(v2.devices)) return `has version ${JSON.stringify(v2.version)} without a list of devices`;
    const bad = v2.devices.findIndex((d) => !isPin(d) || !Array.isArray(d.identities) || !d.identities.every((i) => typeof i === 'string'));
    if (bad >= 0) return `has an entry that is not a pinned key (devices[${bad}])`;
    return v2.devices;
  }
  const entries = Object.entries(json as Record<string, unknown>);
  const bad = entries.find((e) => !isPin(e[1]));
  if (bad) return `has an entry that is not a pinned key ("${bad[0]}")`;
  return (entries as Array<[string, PinnedHostKey]>).map(([key, p]) => ({
    fingerprint: p.fingerprint,
    keyType: p.keyType ?? 'unknown',
    pinnedAt: p.pinnedAt,
    identities: [legacyIdentity(key)],
  }));
}

/**
 * The app's own host-key pins, `<dataDir>/known_hosts.json`. Separate from ~/.ssh/known_hosts on purpose: lab
 * boards are reflashed often, and forgetting a pin here must not touch the user's OpenSSH trust. A pin is kept
 * under every identity its device was seen with, so reaching the board by another address or after an mDNS
 * rename still checks the same key. Writes are serialised and atomic.
 */
export function createKnownHostsStore(dataDir: string): KnownHostsStore {
  const file = join(dataDir, KNOWN_HOSTS_FILE);
  let queue: Promise<unknown> = Promise.resolve();

  async function load(): Promise<DevicePin[]> {
    let json: unknown;
    try {
      json = JSON.parse(await readFile(file, 'utf8'));
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw new Error(`${file} is unreadable (${(err as Error).message}): fix it or move it aside`, { cause: err });
    }
    const pins = parseFile(json);
    if (typeof pins === 'string')
      throw new Error(
        `${file} ${pins}, so the pinned host keys may be incomplete and no device is connected to: fix it, or move it aside to pin every board's key again on first use`,
      );
    return pins;
  }
  const save = (devices: DevicePin[]) =>
    writeJsonAtomic(file, { version: 2, devices } satisfies KnownHostsFile, 0o600).catch((err: unknown) => {
      throw new Error(`could not write the pinned host keys to ${file}: ${writeProblem(err)}`, { cause: err });
    });

  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = queue.then(fn);
    queue = run.catch(() => undefined);
    return run;
  }

  const matches = (pins: DevicePin[], identities: readonly string[]): PinMatch[] =>
    pins.flatMap((pin) =>
      identities
        .filter((id) => pin.identities.includes(id))
        .slice(0, 1)
        .map((identity) => ({ identity, pin })),
    );

  return {
    file,
    async find(identities) {
      await queue;
      return matches(await load(), identities);
    },
    pin(identities, key) {
      return serial(async () => {
        const all = await load();
        const same = matches(all, identities).find((m) => m.pin.fingerprint === key.fingerprint)?.pin;
        if (same) {
          const added = identities.filter((id) => !same.identities.includes(id));
          if (added.length === 0) return;
          same.identities.push(...added);
        } else {
          all.push({ ...key, identities: [...new Set(identities)] });
        }
        await save(all);
      });
    },
    forget(identities) {
      return serial(async () => {
        const all = await load();
        const removed = matches(all, identities).map((m) => m.pin);
        if (removed.length === 0) return [];
        await save(all.filter((p) => !removed.includes(p)));
        return removed;
      });
    },
    async list() {
      await queue;
      return load();
    },
  };
}

import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeJsonAtomic } from '../fs/atomic';

export const KNOWN_HOSTS_FILE = 'known_hosts.json';

export interface PinnedHostKey {
  /** `SHA256:<base64 without padding>`, as OpenSSH prints it. */
  fingerprint: string;
  keyType: string;
  pinnedAt: string;
}

export interface KnownHostsStore {
  readonly file: string;
  get(key: string): Promise<PinnedHostKey | undefined>;
  pin(key: string, entry: PinnedHostKey): Promise<void>;
  /** Removes every entry whose key equals `key` (case-insensitive). Returns the keys removed. */
  forget(key: string): Promise<string[]>;
  list(): Promise<Record<string, PinnedHostKey>>;
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

/**
 * The app's own host-key pins, `<dataDir>/known_hosts.json`: `{ "<hostname or address>": PinnedHostKey }`.
 * Separate from ~/.ssh/known_hosts on purpose: lab boards are reflashed often, and forgetting a pin here must
 * not touch the user's OpenSSH trust. Writes are serialised and atomic.
 */
export function createKnownHostsStore(dataDir: string): KnownHostsStore {
  const file = join(dataDir, KNOWN_HOSTS_FILE);
  let queue: Promise<unknown> = Promise.resolve();

  async function load(): Promise<Record<string, PinnedHostKey>> {
    try {
      const json = JSON.parse(await readFile(file, 'utf8')) as unknown;
      return json && typeof json === 'object' && !Array.isArray(json) ? (json as Record<string, PinnedHostKey>) : {};
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return {};
      throw new Error(`${file} is unreadable (${(err as Error).message}): fix it or move it aside`, { cause: err });
    }
  }

  function serial<T>(fn: () => Promise<T>): Promise<T> {
    const run = queue.then(fn);
    queue = run.catch(() => undefined);
    return run;
  }

  const norm = (key: string) => key.toLowerCase();

  return {
    file,
    async get(key) {
      await queue;
      return (await load())[norm(key)];
    },
    pin(key, entry) {
      return serial(async () => {
        const all = await load();
        all[norm(key)] = entry;
        await writeJsonAtomic(file, all, 0o600);
      });
    },
    forget(key) {
      return serial(async () => {
        const all = await load();
        const removed = Object.keys(all).filter((k) => k === norm(key));
        if (removed.length === 0) return [];
        for (const k of removed) delete all[k];
        await writeJsonAtomic(file, all, 0o600);
        return removed;
      });
    },
    async list() {
      await queue;
      return load();
    },
  };
}

import { describe, it, expect } from 'vitest';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKnownHostsStore, sshFingerprint, sshKeyType } from '../../../../../electron/services/ssh/known-hosts';

const tmp = () => mkdtemp(join(tmpdir(), 'pws-kh-'));

describe('known hosts store', () => {
  const key = (fp: string) => ({ fingerprint: `SHA256:${fp}`, keyType: 'ssh-ed25519', pinnedAt: '2026-01-01T00:00:00.000Z' });

  it('pins a device under all its identities, adds new ones to the same pin, forgets them all at once, writes whole files', async () => {
    const dir = await tmp();
    const store = createKnownHostsStore(dir);
    expect(await store.find(['host:mbed-linux-os-1'])).toEqual([]);
    await Promise.all(Array.from({ length: 20 }, (_, i) => store.pin([`host:dev-${i}`, `addr:169.254.20.${i}:22`], key(`fp${i}`))));
    expect((await store.find(['addr:169.254.20.7:22']))[0]).toMatchObject({ identity: 'addr:169.254.20.7:22', pin: { fingerprint: 'SHA256:fp7' } });
    expect(await store.list()).toHaveLength(20);

    // the same board seen under a new hostname and address: one pin, more identities
    await store.pin(['host:dev-7-renamed', 'addr:169.254.30.7:22', 'host:dev-7'], key('fp7'));
    expect(await store.list()).toHaveLength(20);
    expect((await store.find(['host:dev-7-renamed']))[0]!.pin.identities.sort()).toEqual([
      'addr:169.254.20.7:22',
      'addr:169.254.30.7:22',
      'host:dev-7',
      'host:dev-7-renamed',
    ]);

    const removed = await store.forget(['addr:169.254.30.7:22']);
    expect(removed.map((p) => p.identities.length)).toEqual([4]);
    expect(await store.find(['host:dev-7', 'host:dev-7-renamed', 'addr:169.254.20.7:22'])).toEqual([]);
    expect(await store.forget(['host:dev-7'])).toEqual([]);
    const file = JSON.parse(await readFile(join(dir, 'known_hosts.json'), 'utf8'));
    expect(file.version).toBe(2);
    expect(file.devices).toHaveLength(19);
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('loads a version-1 file: each old hostname or address key becomes an identity of its pin', async () => {
    const dir = await tmp();
    await writeFile(
      join(dir, 'known_hosts.json'),
      JSON.stringify({ 'mbed-linux-os-3.local': key('a'), '169.254.20.4': key('b'), '[fe80::1%eth0]:2222': key('c') }),
    );
    const store = createKnownHostsStore(dir);
    expect((await store.find(['host:mbed-linux-os-3']))[0]?.pin.fingerprint).toBe('SHA256:a');
    expect((await store.find(['addr:169.254.20.4:22']))[0]?.pin.fingerprint).toBe('SHA256:b');
    expect((await store.find(['addr:[fe80::1%eth0]:2222']))[0]?.pin.fingerprint).toBe('SHA256:c');
    await store.pin(['addr:169.254.20.4:22', 'host:mbed-linux-os-4'], key('b'));
    expect((await store.find(['host:mbed-linux-os-4']))[0]?.pin.identities).toEqual(['addr:169.254.20.4:22', 'host:mbed-linux-os-4']);
  });

  it('reports a corrupt file instead of silently trusting every key', async () => {
    const dir = await tmp();
    await writeFile(join(dir, 'known_hosts.json'), '{ not json');
    await expect(createKnownHostsStore(dir).find(['host:x'])).rejects.toThrow(/known_hosts.json is unreadable/);
  });

  it('refuses a file that is JSON but not (wholly) pins, instead of dropping entries and re-pinning on first use', async () => {
    const dir = await tmp();
    const file = join(dir, 'known_hosts.json');
    const good = { fingerprint: 'SHA256:a', keyType: 'ssh-ed25519', pinnedAt: '2026-01-01T00:00:00Z', identities: ['host:a'] };
    for (const [content, why] of [
      [[1, 2], 'is not a JSON object'],
      [{ version: 2, devices: 'x' }, 'has version 2 without a list of devices'],
      [{ version: 3, devices: [] }, 'has version 3 without a list of devices'],
      [{ version: 2, devices: [good, { fingerprint: 'SHA256:b' }] }, 'has an entry that is not a pinned key (devices[1])'],
      [{ 'board.local': key('a'), other: 'x' }, 'has an entry that is not a pinned key ("other")'],
    ] as const) {
      await writeFile(file, JSON.stringify(content));
      const store = createKnownHostsStore(dir);
      await expect(store.find(['host:a']), why).rejects.toThrow(`${file} ${why}, so the pinned host keys may be incomplete and no device is connected to`);
      await expect(store.pin(['host:c'], key('c'))).rejects.toThrow(why);
      expect(JSON.parse(await readFile(file, 'utf8'))).toEqual(content); // not rewritten without the entry it could not read
    }
  });

  it('computes OpenSSH-style SHA256 fingerprints and reads the key type', () => {
    const blob = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 32]), Buffer.alloc(32, 7)]);
    expect(sshKeyType(blob)).toBe('ssh-ed25519');
    expect(sshFingerprint(blob)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });
});

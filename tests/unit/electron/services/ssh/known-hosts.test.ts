import { describe, it, expect } from 'vitest';
import { mkdtemp, readFile, readdir, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createKnownHostsStore, sshFingerprint, sshKeyType } from '../../../../../electron/services/ssh/known-hosts';

const tmp = () => mkdtemp(join(tmpdir(), 'pws-kh-'));

describe('known hosts store', () => {
  it('pins, reads back case-insensitively, forgets, and writes only whole files', async () => {
    const dir = await tmp();
    const store = createKnownHostsStore(dir);
    expect(await store.get('mbed-linux-os-1')).toBeUndefined();
    await Promise.all(
      Array.from({ length: 20 }, (_, i) => store.pin(`Dev-${i}`, { fingerprint: `SHA256:fp${i}`, keyType: 'ssh-ed25519', pinnedAt: '2026-01-01T00:00:00.000Z' })),
    );
    expect((await store.get('dev-7'))?.fingerprint).toBe('SHA256:fp7');
    expect(Object.keys(await store.list())).toHaveLength(20);
    expect(await store.forget('DEV-7')).toEqual(['dev-7']);
    expect(await store.get('dev-7')).toBeUndefined();
    expect(await store.forget('dev-7')).toEqual([]);
    expect(JSON.parse(await readFile(join(dir, 'known_hosts.json'), 'utf8'))['dev-8'].fingerprint).toBe('SHA256:fp8');
    expect((await readdir(dir)).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('reports a corrupt file instead of silently trusting every key', async () => {
    const dir = await tmp();
    await writeFile(join(dir, 'known_hosts.json'), '{ not json');
    await expect(createKnownHostsStore(dir).get('x')).rejects.toThrow(/known_hosts.json is unreadable/);
  });

  it('computes OpenSSH-style SHA256 fingerprints and reads the key type', () => {
    const blob = Buffer.concat([Buffer.from([0, 0, 0, 11]), Buffer.from('ssh-ed25519'), Buffer.from([0, 0, 0, 32]), Buffer.alloc(32, 7)]);
    expect(sshKeyType(blob)).toBe('ssh-ed25519');
    expect(sshFingerprint(blob)).toMatch(/^SHA256:[A-Za-z0-9+/]{43}$/);
  });
});

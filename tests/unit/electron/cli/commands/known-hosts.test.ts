import { describe, it, expect, vi } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { runCli } from '../../../../../electron/cli/main';
import { createCore, defaultCoreDeps } from '../../../../../electron/services/composition';

const FINGERPRINT = `SHA256:${'A'.repeat(43)}`;

describe('pws known-hosts', () => {
  it('list asks the core for the pins (no second known-hosts store in the door)', async () => {
    const home = mkdtempSync(join(tmpdir(), 'pws-kh-'));
    const core = createCore(defaultCoreDeps({ home, dataDir: join(home, 'data'), env: { HOME: home } }));
    expect(await core.services.provisioning.trustHostKey('169.254.20.3', { fingerprint: FINGERPRINT, keyType: 'ssh-ed25519' })).toMatchObject({ ok: true });
    const hostKeys = vi.spyOn(core.services.provisioning, 'hostKeys');
    const out: string[] = [];
    const stdout = new PassThrough().on('data', (c) => out.push(String(c)));
    const code = await runCli(
      { argv: ['known-hosts', 'list', '--json'], env: { HOME: home }, stdout, stderr: new PassThrough(), stdin: new PassThrough() },
      () => core,
    );
    expect(code).toBe(0);
    expect(hostKeys).toHaveBeenCalledOnce();
    expect(JSON.parse(out.join(''))).toEqual([
      expect.objectContaining({ fingerprint: FINGERPRINT, keyType: 'ssh-ed25519', identities: ['addr:169.254.20.3:22'] }),
    ]);
  });

  it('trust refuses what is not a SHA256 fingerprint, and a key other than the one pinned, naming the way out', async () => {
    const home = mkdtempSync(join(tmpdir(), 'pws-kh-'));
    const core = createCore(defaultCoreDeps({ home, dataDir: join(home, 'data'), env: { HOME: home } }));
    const pws = async (...argv: string[]) => {
      const out: string[] = [];
      const err: string[] = [];
      const stdout = new PassThrough().on('data', (c) => out.push(String(c)));
      const stderr = new PassThrough().on('data', (c) => err.push(String(c)));
      const code = await runCli({ argv, env: { HOME: home }, stdout, stderr, stdin: new PassThrough() }, () => core);
      return { code, stdout: out.join(''), stderr: err.join('') };
    };
    for (const bad of ['abc', 'SHA256:', 'MD5:aa:bb', `SHA256:${'A'.repeat(42)}\u001b`]) {
      const r = await pws('known-hosts', 'trust', '169.254.20.3', bad);
      expect(r.code, bad).toBe(2); // a value of the wrong form is a usage error, as everywhere else
      expect(r.stderr).toContain('must be a fingerprint as ssh-keygen -l prints it: SHA256: and 43 characters');
    }
    expect(await core.services.provisioning.hostKeys()).toMatchObject({ ok: true, value: [] });

    expect((await pws('known-hosts', 'trust', '169.254.20.3', FINGERPRINT)).code).toBe(0);
    expect((await pws('known-hosts', 'trust', '169.254.20.3', FINGERPRINT)).code).toBe(0); // the same key again: nothing changes
    const other = `SHA256:${'B'.repeat(43)}`;
    const refused = await pws('known-hosts', 'trust', '169.254.20.3', other);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain(`another host key is pinned for it (${FINGERPRINT} under 169.254.20.3`);
    expect(refused.stderr).toContain('forget the old key first (pws known-hosts forget 169.254.20.3)');
    const pins = await core.services.provisioning.hostKeys();
    expect(pins.ok && pins.value.map((p) => p.fingerprint)).toEqual([FINGERPRINT]);
  });
});

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
});

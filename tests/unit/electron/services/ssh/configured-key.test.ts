import { describe, it, expect } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSshConnector } from '../../../../../electron/services/ssh/connection';
import { createKnownHostsStore } from '../../../../../electron/services/ssh/known-hosts';

describe('the SSH key from settings', () => {
  it('when it cannot be read, the warning says why (and the connection goes on without it)', async () => {
    const home = mkdtempSync(join(tmpdir(), 'pws-sshkey-'));
    const warnings: string[] = [];
    const connector = createSshConnector({
      home,
      knownHosts: createKnownHostsStore(home),
      sshKeyPath: async () => '/dev/zero',
      clock: () => new Date(),
      log: { info: () => {}, warn: (m) => warnings.push(m), error: () => {} },
    });
    // The key is looked at before connecting; whether anything answers on this host's port 22 does not matter.
    const r = await connector.connect({ address: '127.0.0.1' }, { timeoutMs: 3_000, strictHostKeys: true });
    expect(r.ok).toBe(false);
    expect(warnings).toEqual(['SSH key /dev/zero could not be read (it is a device, not a file: choose the file itself); trying password login only']);
  });
});

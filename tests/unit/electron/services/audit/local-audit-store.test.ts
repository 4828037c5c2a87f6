import { describe, expect, it } from 'vitest';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { AUDIT_FILE, createLocalAuditStore } from '../../../../../electron/services/audit/local-audit-store';
import { devCertAuditEntry } from '../../../../support/audit-entries';

describe('local audit store', () => {
  it('leaves out lines that are JSON but no entry, and a torn one, instead of failing every list', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pws-audit-'));
    const good = devCertAuditEntry('169.254.20.3');
    const lines = ['[1,2]', '{"x":1}', 'null', '"text"', JSON.stringify({ ...good, device: 'board' }), JSON.stringify(good), '{"time":"2026-'];
    await writeFile(join(dir, AUDIT_FILE), `${lines.join('\n')}\n`);
    const store = createLocalAuditStore(dir, async () => 'bench-1');
    for (const filter of [{}, { device: '169.254' }, { station: 'bench-1' }, { since: '2025-01-01' }, { result: 'passed' as const }]) {
      expect(await store.list(filter), JSON.stringify(filter)).toEqual({ ok: true, value: [good] });
      expect(await store.listJson(filter)).toEqual({ ok: true, value: [JSON.stringify(good)] });
    }
  });
});

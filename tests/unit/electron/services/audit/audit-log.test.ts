import { describe, it, expect } from 'vitest';
import { appendFile, mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEntry } from '../../../../../shared/contract/history';
import { createAuditLog } from '../../../../../electron/services/audit/audit-log';

const entry = (i: number, result: AuditEntry['result']): AuditEntry => ({
  time: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
  runId: `run-${i % 2}`,
  operator: 'tester',
  door: 'test',
  device: { name: `169.254.20.${i}`, hostname: `mbed-linux-os-${i}`, addresses: [`169.254.20.${i}`, `fe80::${i}%eth0`] },
  hostKeyFingerprint: 'SHA256:abc',
  devCert: { name: 'dev', fingerprint: 'aa' },
  updateCert: { name: '=upd', fingerprint: 'bb' },
  stages: [{ stage: 'connect', durationMs: 12, ok: true }],
  result,
  stage: result === 'passed' ? 'done' : 'provision',
  ...(result === 'passed' ? {} : { error: { code: 'utility-failed' as const, message: 'it said "no"' } }),
  durationMs: 100 + i,
});

describe('audit log', () => {
  it('appends JSON lines, lists newest first with filters, and never stores extra fields', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pws-audit-'));
    const log = createAuditLog(dir);
    await Promise.all([1, 2, 3, 4].map((i) => log.append(entry(i, i === 3 ? 'failed' : 'passed'))));
    await log.append({ ...entry(5, 'passed'), secret: 'PRIVATE KEY' } as unknown as AuditEntry);
    const lines = (await readFile(join(dir, 'audit.jsonl'), 'utf8')).trimEnd().split('\n');
    expect(lines).toHaveLength(5);
    expect(lines.join('\n')).not.toContain('PRIVATE KEY');
    const all = await log.list();
    if (!all.ok) throw new Error(all.message);
    expect(all.value[0]?.device.name).toBe('169.254.20.5');
    expect(
      (await log.list({ result: 'failed' })).ok && ((await log.list({ result: 'failed' })) as { value: AuditEntry[] }).value.map((e) => e.device.name),
    ).toEqual(['169.254.20.3']);
    const byDevice = await log.list({ device: 'FE80::2%' });
    expect(byDevice.ok && byDevice.value.map((e) => e.device.name)).toEqual(['169.254.20.2']);
  });

  it('skips a torn last line and exports CSV with quoted cells and neutralised formulas', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'pws-audit-'));
    const log = createAuditLog(dir, () => new Date('2026-02-03T04:05:06Z'));
    await log.append(entry(3, 'failed'));
    await appendFile(join(dir, 'audit.jsonl'), '{"time": "2026-');
    const csv = await log.export('csv');
    if (!csv.ok) throw new Error(csv.message);
    expect(csv.value.fileName).toBe('provisioning-history-2026-02-03T04-05-06-000Z.csv');
    const rows = csv.value.text.trimEnd().split('\r\n');
    expect(rows).toHaveLength(2);
    expect(rows[0]).toMatch(/^time,runId,operator,device/);
    expect(rows[1]).toContain(`"'=upd"`);
    expect(rows[1]).toContain('"it said ""no"""');
    const json = await log.export('json', { result: 'passed' });
    expect(json.ok && JSON.parse(json.value.text)).toEqual([]);
  });
});

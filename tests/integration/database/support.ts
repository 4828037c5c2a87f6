import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AuditEntry } from '../../../shared/contract/history';
import { createCore, defaultCoreDeps, type Core } from '../../../electron/services/composition';

/** One audit entry as a provisioning run writes it; `i` makes it unique and orders it in time. */
export const auditEntry = (i: number, overrides: Partial<AuditEntry> = {}): AuditEntry => ({
  time: new Date(Date.UTC(2026, 0, 1, 0, 0, i)).toISOString(),
  runId: `run-${i % 3}`,
  operator: 'tester',
  door: 'test',
  device: { name: `169.254.20.${i}`, hostname: `mbed-linux-os-${i}`, addresses: [`169.254.20.${i}`, `fe80::${i}%eth0`] },
  hostKeyFingerprint: 'SHA256:abc',
  devCert: { name: 'dev', fingerprint: 'aa' },
  updateCert: { name: 'upd', fingerprint: 'bb' },
  stages: [{ stage: 'connect', durationMs: 12, ok: true }],
  result: i % 4 === 0 ? 'failed' : 'passed',
  stage: i % 4 === 0 ? 'provision' : 'done',
  ...(i % 4 === 0 ? { error: { code: 'utility-failed' as const, message: 'it said no' } } : {}),
  durationMs: 100 + i,
  ...overrides,
});

/** A core as one station runs it: its own HOME and data folder, its station name, the database from the env. */
export async function stationCore(station: string, env: NodeJS.ProcessEnv): Promise<{ core: Core; home: string; dataDir: string }> {
  const home = await mkdtemp(join(tmpdir(), `pws-${station}-`));
  const dataDir = join(home, 'data');
  const core = createCore(defaultCoreDeps({ home, dataDir, env }));
  const named = await core.services.settings.update({ stationName: station });
  if (!named.ok) throw new Error(named.message);
  return { core, home, dataDir };
}

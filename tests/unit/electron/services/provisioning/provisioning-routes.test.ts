import { describe, it, expect } from 'vitest';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, defaultCoreDeps } from '../../../../../electron/services/composition';

async function core() {
  const home = await mkdtemp(join(tmpdir(), 'pws-routes-home-'));
  return createCore(defaultCoreDeps({ home, dataDir: join(home, 'data'), env: { HOME: home }, door: 'test' }));
}

describe('provisioning, status probe and history channels through the router', () => {
  it('validates requests and answers with the stable codes', async () => {
    const c = await core();
    const ctx = { door: 'test' as const };
    try {
      expect(await c.router.dispatch('provisioning:start', { devices: [], devCert: 'a', updateCert: 'b' }, ctx)).toMatchObject({
        ok: false,
        code: 'invalid-request',
      });
      expect(await c.router.dispatch('provisioning:start', { devices: ['fe80::1'], devCert: 'a', updateCert: 'b' }, ctx)).toMatchObject({
        ok: false,
        code: 'invalid-address',
      });
      expect(await c.router.dispatch('provisioning:start', { devices: ['169.254.20.3'], devCert: 'a', updateCert: 'b' }, ctx)).toMatchObject({
        ok: false,
        code: 'certificate-missing',
      });
      expect(await c.router.dispatch('provisioning:run', { runId: 'nope' }, ctx)).toMatchObject({ ok: false, code: 'run-not-found' });
      expect(await c.router.dispatch('provisioning:retry-failed', { runId: 'nope' }, ctx)).toMatchObject({ ok: false, code: 'run-not-found' });
      expect(await c.router.dispatch('provisioning:cancel', { runId: 'nope' }, ctx)).toMatchObject({ ok: false, code: 'run-not-found' });
      expect(await c.router.dispatch('provisioning:runs', {}, ctx)).toEqual({ ok: true, value: [] });
      expect(await c.router.dispatch('provisioning:forget-host-key', { device: '169.254.20.3' }, ctx)).toEqual({ ok: true, value: { forgotten: [] } });
      expect(await c.router.dispatch('devices:probe-status', { devices: ['not an address!'] }, ctx)).toMatchObject({ ok: false, code: 'invalid-address' });
      expect(await c.router.dispatch('history:list', { result: 'failed' }, ctx)).toEqual({ ok: true, value: [] });
      expect(await c.router.dispatch('history:list', { result: 'maybe' }, ctx)).toMatchObject({ ok: false, code: 'invalid-request' });
      const csv = await c.router.dispatch('history:export', { format: 'csv' }, ctx);
      expect(csv).toMatchObject({ ok: true, value: { format: 'csv', text: expect.stringMatching(/^time,runId,operator,device/) } });
    } finally {
      await c.close();
    }
  });
});

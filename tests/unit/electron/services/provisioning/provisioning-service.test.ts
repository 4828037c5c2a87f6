import { describe, it, expect } from 'vitest';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { provisioningEvents } from '../../../../../shared/contract/provisioning';
import { fail, ok } from '../../../../../shared/contract/result';
import { createAuditLog, type AuditLog } from '../../../../../electron/services/audit/audit-log';
import { EventHub } from '../../../../../electron/services/events';
import { silentLogger } from '../../../../../electron/services/log';
import type { CertificateBundle } from '../../../../../electron/services/provisioning/engine';
import { createProvisioningService, type CertificateSource } from '../../../../../electron/services/provisioning/provisioning-service';
import { createKnownHostsStore } from '../../../../../electron/services/ssh/known-hosts';
import { devCertAuditEntry } from '../../../../support/audit-entries';
import { FakeDeviceConnector } from './fake-device';

const NOW = new Date('2026-06-01T00:00:00Z');

function source(certs: Record<string, Partial<CertificateBundle> & Pick<CertificateBundle, 'kind'>>): CertificateSource & { reads: string[] } {
  const reads: string[] = [];
  return {
    reads,
    async read(name) {
      reads.push(name);
      const c = certs[name];
      if (!c) return fail('certificate-missing', `no certificate "${name}" in the Team Store`);
      return ok({
        name,
        files: [{ name: `${c.kind === 'update' ? 'arm_uc_vendor_id' : 'MBED_CLOUD_DEV_SERIAL_NUMBER'}.bin`, data: new Uint8Array([1]) }],
        ...c,
      });
    },
  };
}

async function setup(certs: Parameters<typeof source>[0], timeouts = {}, log = silentLogger) {
  const dataDir = await mkdtemp(join(tmpdir(), 'pws-prov-svc-'));
  const events = new EventHub();
  const fake = new FakeDeviceConnector();
  const certificates = source(certs);
  const audit = createAuditLog(dataDir);
  const svc = createProvisioningService({
    connector: fake,
    knownHosts: createKnownHostsStore(dataDir),
    certificates,
    audit,
    events,
    concurrency: async () => 8,
    clock: () => NOW,
    log,
    door: 'test',
    timeouts,
  });
  return { svc, fake, certificates, events, audit, dataDir };
}

/** `count` boards that earlier runs gave the developer certificate "dev" (fingerprint `aa`). */
async function givenEarlier(audit: AuditLog, count: number): Promise<void> {
  for (let i = 0; i < count; i++) {
    const appended = await audit.append(
      devCertAuditEntry(`10.0.0.${i}`, { time: NOW.toISOString(), door: 'test', devCert: { name: 'dev', fingerprint: 'aa' } }),
    );
    if (!appended.ok) throw new Error(appended.message);
  }
}

const good = {
  dev: { kind: 'developer' as const, fingerprint: 'aa', notAfter: '2027-01-01T00:00:00.000Z' },
  upd: { kind: 'update' as const, fingerprint: 'bb', notAfter: '2027-01-01T00:00:00.000Z' },
};

describe('provisioning service', () => {
  it('warns (before and at the start) when a run takes a developer certificate past 100 devices, counting earlier runs', async () => {
    const { svc, audit } = await setup(good);
    await givenEarlier(audit, 99);
    const request = { devices: ['169.254.20.1', '169.254.20.2'], devCert: 'dev', updateCert: 'upd' };
    expect(await svc.preflight({ ...request, devices: ['169.254.20.1'] })).toMatchObject({ ok: true, value: { warnings: [] } }); // 100: the limit itself
    const pre = await svc.preflight(request);
    expect(pre).toMatchObject({ ok: true, value: { warnings: [expect.stringMatching(/"dev" on 101 devices .*own identities/)] } });
    const r = await svc.start(request);
    expect(r).toMatchObject({ ok: true, value: { warnings: [expect.stringMatching(/on 101 devices/)] } });
    if (!r.ok) return;
    const done = await svc.wait(r.value.runId);
    expect(done.ok && done.value.warnings).toEqual([expect.stringMatching(/on 101 devices/)]);
  });

  it('an open run (--all) says so as soon as the device that takes the developer certificate past 100 devices is added', async () => {
    const noted: string[] = []; // the log's note; the caller shows the warning itself
    const { svc, audit } = await setup(good, {}, { ...silentLogger, info: (m: string) => noted.push(m) });
    await givenEarlier(audit, 99);
    const open = await svc.startOpen({ devCert: 'dev', updateCert: 'upd' });
    if (!open.ok) throw new Error(open.message);
    expect(open.value.warnings).toEqual([]);
    open.value.add({ address: '169.254.20.1' });
    expect(noted).toEqual([]); // 100: the limit itself
    expect(open.value.add({ address: '169.254.20.2' })).toMatch(/"dev" on 101 devices/); // now, while the list is still open
    expect(noted).toEqual([expect.stringMatching(/^run warning: .*"dev" on 101 devices/)]);
    open.value.add({ address: '169.254.20.3' });
    open.value.end();
    await svc.wait(open.value.runId);
    expect(noted).toEqual([expect.stringMatching(/^run warning: .*"dev" on 101 devices/)]);
  });

  it('refuses an expired update certificate before touching any device', async () => {
    const { svc, fake } = await setup({ ...good, upd: { ...good.upd, notAfter: '2026-05-01T00:00:00.000Z' } });
    const r = await svc.start({ devices: ['169.254.20.1'], devCert: 'dev', updateCert: 'upd' });
    expect(r).toMatchObject({ ok: false, code: 'certificate-expired' });
    expect(r.ok || r.message).toMatch(/"upd" expired on 2026-05-01.*pws init/);
    expect(fake.stats.opened).toBe(0);
  });

  it('names a missing certificate, certificates given in the wrong order, and a bad address', async () => {
    const { svc } = await setup(good);
    expect(await svc.start({ devices: ['169.254.20.1'], devCert: 'nope', updateCert: 'upd' })).toMatchObject({ ok: false, code: 'certificate-missing' });
    expect(await svc.start({ devices: ['169.254.20.1'], devCert: 'upd', updateCert: 'dev' })).toMatchObject({ ok: false, code: 'certificate-invalid' });
    expect(await svc.start({ devices: ['fe80::1'], devCert: 'dev', updateCert: 'upd' })).toMatchObject({ ok: false, code: 'invalid-address' });
  });

  it('provisions a board selected twice (announced, and added by its address) once, and says so', async () => {
    const { svc, fake } = await setup(good);
    const announced = { address: 'fe80::1%br0', id: 'mdns:board-1@br0', hostname: 'board-1', addresses: ['fe80::1%br0', '169.254.20.1'] };
    const request = { devices: [{ address: '169.254.20.1', id: 'manual:169.254.20.1' }, announced], devCert: 'dev', updateCert: 'upd' };
    const twice = 'board-1 (fe80::1%br0) was selected twice (also as 169.254.20.1): it is provisioned once';
    expect(await svc.preflight(request)).toMatchObject({ ok: true, value: { warnings: [twice] } });
    const r = await svc.start(request);
    if (!r.ok) throw new Error(r.message);
    expect(r.value.warnings).toEqual([twice]);
    const run = await svc.wait(r.value.runId);
    expect(run.ok && run.value.devices.map((d) => d.device)).toEqual(['mdns:board-1@br0']);
    expect([...fake.devices.keys()]).toEqual(['fe80::1%br0']);
  });

  it('resolves the certificates once per run, writes one audit line per device, and pushes events', async () => {
    const { svc, certificates, events, audit } = await setup(good);
    const seen: string[] = [];
    events.onAny((name) => seen.push(name));
    const r = await svc.start({
      devices: ['169.254.20.1', { address: '169.254.20.2', hostname: 'mbed-linux-os-2', addresses: ['169.254.20.2', 'fe80::2%eth0'] }],
      devCert: 'dev',
      updateCert: 'upd',
    });
    if (!r.ok) throw new Error(r.message);
    const done = await svc.wait(r.value.runId);
    expect(done).toMatchObject({ ok: true, value: { passed: 2, failed: 0, finished: true } });
    expect(certificates.reads.sort()).toEqual(['dev', 'upd']);
    expect(seen).toContain(provisioningEvents.progress.name);
    expect(seen.filter((n) => n === provisioningEvents.deviceFinished.name)).toHaveLength(2);
    expect(seen.at(-1)).toBe(provisioningEvents.runFinished.name);
    const lines = await audit.list();
    if (!lines.ok) throw new Error(lines.message);
    expect(lines.value).toHaveLength(2);
    const two = lines.value.find((e) => e.device.name === 'mbed-linux-os-2')!;
    expect(two).toMatchObject({
      result: 'passed',
      devCert: { name: 'dev', fingerprint: 'aa' },
      updateCert: { name: 'upd', fingerprint: 'bb' },
      hostKeyFingerprint: 'SHA256:fake',
      door: 'test',
    });
    expect(two.device.addresses).toEqual(['169.254.20.2', 'fe80::2%eth0']);
    const report = await svc.report(r.value.runId, 'json');
    if (!report.ok) throw new Error(report.message);
    expect(JSON.parse(report.value.text).devices).toHaveLength(2);
    // first connection to each (fake) device: the key was pinned, and the entry and both reports say so
    expect(two.hostKeyNote).toBe('new host key pinned');
    expect(JSON.parse(report.value.text).devices.map((d: { hostKeyNote?: string }) => d.hostKeyNote)).toEqual(['new host key pinned', 'new host key pinned']);
    const csv = await svc.report(r.value.runId, 'csv');
    if (!csv.ok) throw new Error(csv.message);
    expect(csv.value.text.split('\r\n')[0]).toMatch(/,hostKeyNote,endpointName,enrollmentIdentity,ca$/);
    expect(csv.value.text.split('\r\n')[1]).toMatch(/,"new host key pinned","","",""$/);
  });

  it('an open run checks the certificates before any device comes, provisions devices as they are added, and audits each once', async () => {
    const expired = await setup({ ...good, upd: { ...good.upd, notAfter: '2026-05-01T00:00:00.000Z' } });
    expect(await expired.svc.startOpen({ devCert: 'dev', updateCert: 'upd' })).toMatchObject({ ok: false, code: 'certificate-expired' });

    const { svc, audit, events } = await setup(good);
    const finished: string[] = [];
    events.on(provisioningEvents.deviceFinished, ({ device }) => finished.push(device.device));
    const open = await svc.startOpen({ devCert: 'dev', updateCert: 'upd' });
    if (!open.ok) throw new Error(open.message);
    const b = { address: 'fe80::2%eth0', id: 'mdns:b@eth0', hostname: 'b', addresses: ['fe80::2%eth0', '169.254.20.2'] };
    const a = { address: '169.254.20.1', id: 'mdns:a@eth0', hostname: 'a', addresses: ['169.254.20.1'] };
    open.value.add(b);
    for (let i = 0; i < 200 && !finished.length; i++) await new Promise((r) => setTimeout(r, 10));
    expect(finished).toEqual(['mdns:b@eth0']); // done while more may still come
    open.value.add({ ...b, address: '169.254.20.2' }); // the same board again
    open.value.add(a);
    open.value.end([a, b]);
    const done = await svc.wait(open.value.runId);
    expect(done).toMatchObject({ ok: true, value: { passed: 2, failed: 0, finished: true } });
    expect(done.ok && done.value.devices.map((d) => d.device)).toEqual(['mdns:a@eth0', 'mdns:b@eth0']);
    const lines = await audit.list();
    if (!lines.ok) throw new Error(lines.message);
    expect(lines.value.map((e) => [e.device.name, e.device.addresses])).toEqual(
      expect.arrayContaining([
        ['mdns:a@eth0', ['169.254.20.1']],
        ['mdns:b@eth0', ['fe80::2%eth0', '169.254.20.2']],
      ]),
    );
    expect(lines.value).toHaveLength(2);
  });

  it('a stage that takes too long fails with stage-timeout and still cleans up', async () => {
    const { svc, fake } = await setup(good, { stage: 30 });
    fake.device('169.254.20.1').delayMs = 60;
    const r = await svc.start({ devices: ['169.254.20.1'], devCert: 'dev', updateCert: 'upd' });
    if (!r.ok) throw new Error(r.message);
    const done = await svc.wait(r.value.runId);
    if (!done.ok) throw new Error(done.message);
    expect(done.value.devices[0]).toMatchObject({ state: 'failed', stage: 'stage', error: { code: 'stage-timeout' } });
    expect(fake.device('169.254.20.1').commands.at(-1)).toMatch(/^sftp remove /);
  });

  it('status probe: provisioned or not with the message, or why a device could not be asked', async () => {
    const { svc, fake } = await setup(good);
    fake.device('169.254.20.2').files.set('/config/provisioned', new Uint8Array([1]));
    fake.device('169.254.20.3').failConnect = 'unreachable';
    const r = await svc.probeStatus(['169.254.20.1', '169.254.20.2', '169.254.20.3']);
    expect(r).toMatchObject({
      ok: true,
      value: [
        { device: '169.254.20.1', ok: true, provisioned: false },
        { device: '169.254.20.2', ok: true, provisioned: true, message: 'Device is configured correctly. You can connect to Pelion Cloud!' },
        { device: '169.254.20.3', ok: false, code: 'unreachable' },
      ],
    });
  });

  it('never writes a secret into the audit log', async () => {
    const { svc, dataDir } = await setup(good);
    const r = await svc.start({ devices: ['169.254.20.1'], devCert: 'dev', updateCert: 'upd' });
    if (!r.ok) throw new Error(r.message);
    await svc.wait(r.value.runId);
    const text = await readFile(join(dataDir, 'audit.jsonl'), 'utf8');
    expect(Object.keys(JSON.parse(text))).toEqual([
      'time',
      'runId',
      'operator',
      'door',
      'device',
      'hostKeyFingerprint',
      'hostKeyNote',
      'devCert',
      'updateCert',
      'stages',
      'result',
      'stage',
      'durationMs',
    ]);
  });
});

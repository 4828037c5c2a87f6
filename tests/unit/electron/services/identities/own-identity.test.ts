import { createPrivateKey, X509Certificate } from 'node:crypto';
import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { makeCaCertificate } from '../../../../../electron/services/pki/certificate-authority';
import { loadSigningCa, type SigningCa } from '../../../../../electron/services/pki/signing-ca';
import { createLocalIdentityStore } from '../../../../../electron/services/identities/local-identity-store';
import {
  accountItemsFrom,
  deviceValidity,
  issueOwnIdentity,
  type ItemFile,
  type OwnIdentityPlan,
} from '../../../../../electron/services/identities/own-identity';

const DEV = new URL('../../../../fixtures/mbl-cli-store/team/old-dev/', import.meta.url);
const ACCOUNT = '016f2bb9ad8d0a580a01097c00000000';

async function devCertFiles(): Promise<ItemFile[]> {
  const names = (await readdir(DEV)).sort();
  const files = await Promise.all(names.map(async (name) => ({ name, data: new Uint8Array(await readFile(new URL(name, DEV))) })));
  // the fixture is an mbl-cli store: its memory total is ASCII, the reader's normalised form is 4 bytes
  return files.map((f) => (f.name === 'MBED_CLOUD_DEV_MEMORY_TOTAL_KB.bin' ? { ...f, data: Uint8Array.of(0, 0, 0, 0) } : f));
}

function signing(): SigningCa {
  const m = makeCaCertificate({ name: 'Lab CA', organization: 'Example', notBefore: new Date(), notAfter: new Date(Date.now() + 30 * 365 * 86_400_000) });
  const r = loadSigningCa('lab-ca', m.der, m.keyPem);
  if (!r.ok) throw new Error(r.message);
  return r.value;
}

async function plan(patch: Partial<OwnIdentityPlan> = {}): Promise<OwnIdentityPlan> {
  const account = accountItemsFrom('lab-dev', await devCertFiles());
  if (!account.ok) throw new Error(account.message);
  return {
    ca: signing(),
    store: createLocalIdentityStore(await mkdtemp(join(tmpdir(), 'pws-own-'))),
    template: '{hostname}',
    reissue: 'none',
    account: account.value,
    profile: { manufacturer: 'Example Devices', memoryTotalKb: 524288 },
    years: 20,
    runId: 'run-1',
    operator: 'tester',
    station: 'bench',
    clock: () => new Date(),
    ...patch,
  };
}

const device = { id: 'mbed-linux-os-4', hostname: 'mbed-linux-os-4', addresses: ['169.254.20.4'] };
const file = (files: ItemFile[], name: string) => Buffer.from(files.find((f) => f.name === `MBED_CLOUD_DEV_${name}.bin`)!.data);

describe('issueOwnIdentity', () => {
  it("gives the developer certificate's file set with the device's own endpoint name, certificate, key and profile", async () => {
    const p = await plan();
    const issued = await issueOwnIdentity(p, device);
    if (!issued.ok) throw new Error(issued.message);
    const { files } = issued.value;
    expect(files.map((f) => f.name).sort()).toEqual((await devCertFiles()).map((f) => f.name).sort());
    const cert = new X509Certificate(file(files, 'BOOTSTRAP_DEVICE_CERTIFICATE'));
    expect(cert.subject).toBe('O=Example\nCN=mbed-linux-os-4');
    expect(cert.checkPrivateKey(createPrivateKey({ key: file(files, 'BOOTSTRAP_DEVICE_PRIVATE_KEY'), format: 'der', type: 'pkcs8' }))).toBe(true);
    expect(file(files, 'BOOTSTRAP_ENDPOINT_NAME').toString()).toBe('mbed-linux-os-4');
    expect(file(files, 'SERIAL_NUMBER').toString()).toBe('mbed-linux-os-4');
    expect(file(files, 'MANUFACTURER').toString()).toBe('Example Devices');
    expect(file(files, 'MODEL_NUMBER').toString()).toBe(p.account.profile.modelNumber);
    expect(file(files, 'MEMORY_TOTAL_KB')).toEqual(Buffer.from([0, 0, 8, 0]));
    expect(file(files, 'ACCOUNT_ID').toString()).toBe(ACCOUNT);
    const dev = await devCertFiles();
    for (const same of ['BOOTSTRAP_SERVER_ROOT_CA_CERTIFICATE', 'BOOTSTRAP_SERVER_URI']) expect(file(files, same)).toEqual(file(dev, same));
    expect(file(files, 'BOOTSTRAP_DEVICE_PRIVATE_KEY')).not.toEqual(file(dev, 'BOOTSTRAP_DEVICE_PRIVATE_KEY'));
    expect(issued.value.enrollmentIdentity).toBe(`A-${cert.fingerprint256.toLowerCase()}`);

    const listed = await p.store.list();
    expect(listed.ok && listed.value[0]).toMatchObject({ state: 'issued' });
    expect(await issued.value.settle({ confirmed: true, hostKeyFingerprint: 'SHA256:x' })).toEqual({ ok: true, value: undefined });
    const live = await p.store.liveIdentityOf(device);
    expect(live.ok && live.value).toMatchObject({ state: 'confirmed', endpointName: 'mbed-linux-os-4', device: { hostKeyFingerprint: 'SHA256:x' } });
    // the key in memory is wiped once the device step is over
    expect(file(files, 'BOOTSTRAP_DEVICE_PRIVATE_KEY').every((b) => b === 0)).toBe(true);
  });

  it('refuses a device that already holds an identity, and a template the device cannot fill', async () => {
    const p = await plan();
    const first = await issueOwnIdentity(p, device);
    if (first.ok) await first.value.settle({ confirmed: true });
    expect(await issueOwnIdentity(p, device)).toMatchObject({ ok: false, code: 'identity-exists' });
    expect(await issueOwnIdentity(p, { id: '169.254.20.5', addresses: ['169.254.20.5'] })).toMatchObject({
      ok: false,
      code: 'endpoint-name-invalid',
      message: expect.stringMatching(/needs the device's host name/),
    });
  });
});

describe('accountItemsFrom', () => {
  it('refuses a developer certificate without an account ID, or with one its URI does not name', async () => {
    const files = await devCertFiles();
    const without = files.filter((f) => f.name !== 'MBED_CLOUD_DEV_ACCOUNT_ID.bin');
    expect(accountItemsFrom('lab-dev', without)).toMatchObject({
      ok: false,
      code: 'account-id-missing',
      message: expect.stringMatching(/"lab-dev" has no account ID \(MBED_CLOUD_DEV_ACCOUNT_ID\)/),
    });
    const other = files.map((f) => (f.name === 'MBED_CLOUD_DEV_ACCOUNT_ID.bin' ? { ...f, data: Buffer.from('f'.repeat(32)) } : f));
    expect(accountItemsFrom('lab-dev', other)).toMatchObject({
      ok: false,
      code: 'account-id-missing',
      message: expect.stringMatching(/bootstrap URI is for another/),
    });
  });
});

describe('deviceValidity', () => {
  it('runs the given years from now, but never past the CA', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(deviceValidity(now, 20, { notAfter: new Date('2060-01-01T00:00:00Z') }).notAfter.toISOString()).toBe('2046-01-01T00:00:00.000Z');
    expect(deviceValidity(now, 20, { notAfter: new Date('2030-06-01T00:00:00Z') }).notAfter.toISOString()).toBe('2030-06-01T00:00:00.000Z');
  });
});

import { describe, expect, it } from 'vitest';
import type { IdentityDevice } from '../../../../../shared/contract/identities';
import type { ProgressEvent } from '../../../../../shared/contract/provisioning';
import { fail, ok } from '../../../../../shared/contract/result';
import type { ReissuePolicy } from '../../../../../electron/services/identities/identity-store';
import type { OwnIdentities, RunCertificates } from '../../../../../electron/services/provisioning/device-items';
import { ProvisioningRunner } from '../../../../../electron/services/provisioning/runner';
import { FakeDeviceConnector } from './fake-device';

/** A stand-in for the CA + registry (the real ones have their own tests): records what it was asked. */
function ownIdentities(opts: { refuse?: (d: IdentityDevice) => boolean } = {}) {
  const asked: Array<{ device: IdentityDevice; reissue: ReissuePolicy }> = [];
  const settled: Array<{ endpointName: string; confirmed: boolean; reason?: string }> = [];
  const identity: OwnIdentities = {
    ca: { name: 'lab-ca', fingerprint: 'ca' },
    endpointTemplate: '{hostname}',
    reissue: 'none',
    async issue(device, options) {
      asked.push({ device, reissue: options.reissue });
      if (opts.refuse?.(device)) return fail('identity-exists', `${device.hostname} already holds the identity "${device.hostname}": re-issue it`);
      const endpointName = device.hostname ?? device.id;
      return ok({
        endpointName,
        enrollmentIdentity: `A-${endpointName}`,
        files: [{ name: 'MBED_CLOUD_DEV_BOOTSTRAP_ENDPOINT_NAME.bin', data: Buffer.from(endpointName) }],
        async settle(outcome) {
          settled.push({ endpointName, ...outcome });
          return ok(undefined);
        },
      });
    },
  };
  return { identity, asked, settled };
}

const update = { name: 'upd', kind: 'update' as const, files: [{ name: 'arm_uc_vendor_id.bin', data: new Uint8Array(16) }] };
const dev = { name: 'dev', kind: 'developer' as const, files: [{ name: 'MBED_CLOUD_DEV_ACCOUNT_ID.bin', data: Buffer.from('x') }] };

function setup(identity: OwnIdentities) {
  const fake = new FakeDeviceConnector();
  const progress: ProgressEvent[] = [];
  const runner = new ProvisioningRunner({ connector: fake, throttleMs: 0, listener: { progress: (e) => progress.push(e) } });
  const certs: RunCertificates = { dev, update, identity };
  return { fake, runner, progress, certs };
}

async function run(runner: ProvisioningRunner, certs: RunCertificates, addresses: string[]) {
  const r = runner.start({ devices: addresses.map((address) => ({ address })), certs, concurrency: 2 });
  if (!r.ok) throw new Error(r.message);
  await runner.wait(r.value.runId);
  const snap = runner.run(r.value.runId);
  if (!snap.ok) throw new Error(snap.message);
  return snap.value;
}

describe('a run with own identities (runner + engine against fake devices)', () => {
  it("issues each device's identity once connected (host key and the name it gives itself), stages it, and settles it confirmed", async () => {
    const own = ownIdentities();
    const { fake, runner, progress, certs } = setup(own.identity);
    fake.device('169.254.20.1').hostname = 'mbed-linux-os-1';
    const snap = await run(runner, certs, ['169.254.20.1']);
    expect(snap.devices[0]).toMatchObject({ state: 'passed', identity: { endpointName: 'mbed-linux-os-1', enrollmentIdentity: 'A-mbed-linux-os-1' } });
    expect(snap.identity).toEqual({ ca: { name: 'lab-ca', fingerprint: 'ca' }, endpointTemplate: '{hostname}', reissue: false });
    expect(own.asked).toEqual([
      { device: { id: '169.254.20.1', addresses: ['169.254.20.1'], hostKeyFingerprint: 'SHA256:fake', hostname: 'mbed-linux-os-1' }, reissue: 'none' },
    ]);
    expect(own.settled).toEqual([{ endpointName: 'mbed-linux-os-1', confirmed: true, hostKeyFingerprint: 'SHA256:fake' }]);
    // the device's own files, not the developer certificate's
    const uploaded = fake.device('169.254.20.1').uploaded;
    expect(uploaded.map((f) => f.name).sort()).toEqual(['MBED_CLOUD_DEV_BOOTSTRAP_ENDPOINT_NAME.bin', 'arm_uc_vendor_id.bin']);
    expect(Buffer.from(uploaded.find((f) => f.name.startsWith('MBED'))!.data).toString()).toBe('mbed-linux-os-1');
    expect(progress.some((e) => e.identity?.endpointName === 'mbed-linux-os-1')).toBe(true);
  });

  it('a refused device fails with its code before anything is put on it; the others go on', async () => {
    const own = ownIdentities({ refuse: (d) => d.hostname === 'mbed-linux-os-2' });
    const { fake, runner, certs } = setup(own.identity);
    fake.device('169.254.20.1').hostname = 'mbed-linux-os-1';
    fake.device('169.254.20.2').hostname = 'mbed-linux-os-2';
    const snap = await run(runner, certs, ['169.254.20.1', '169.254.20.2']);
    expect(snap.devices.map((d) => [d.state, d.stage, d.error?.code])).toEqual([
      ['passed', 'done', undefined],
      ['failed', 'stage', 'identity-exists'],
    ]);
    expect(fake.device('169.254.20.2').commands).toEqual(['hostname']);
    expect(own.settled.map((s) => s.endpointName)).toEqual(['mbed-linux-os-1']);
  });

  it('a device whose status check fails is settled unconfirmed with why; retrying it re-issues only what was never confirmed', async () => {
    const own = ownIdentities();
    const { fake, runner, certs } = setup(own.identity);
    fake.device('169.254.20.3').hostname = 'mbed-linux-os-3';
    fake.device('169.254.20.3').verifyFails = true;
    const first = await run(runner, certs, ['169.254.20.3']);
    expect(own.settled).toEqual([
      {
        endpointName: 'mbed-linux-os-3',
        confirmed: false,
        reason: expect.stringMatching(/--get-pelion-status reports a problem/),
        hostKeyFingerprint: 'SHA256:fake',
      },
    ]);
    fake.device('169.254.20.3').verifyFails = false;
    const retry = runner.retryFailed(first.runId);
    if (!retry.ok) throw new Error(retry.message);
    await runner.wait(retry.value.runId);
    expect(own.asked.map((a) => a.reissue)).toEqual(['none', 'unconfirmed']);
    expect(own.settled.at(-1)).toMatchObject({ confirmed: true });
  });

  it('without a known host name, the device is asked; a device that cannot say is named by its address', async () => {
    const own = ownIdentities();
    const { fake, runner, certs } = setup(own.identity);
    await run(runner, certs, ['169.254.20.4']);
    expect(own.asked[0]!.device).toEqual({ id: '169.254.20.4', addresses: ['169.254.20.4'], hostKeyFingerprint: 'SHA256:fake' });
    expect(fake.device('169.254.20.4').commands[0]).toBe('hostname');
  });

  it('a template without {hostname} does not spend an SSH round trip asking for it', async () => {
    const own = ownIdentities();
    const { fake, runner, certs } = setup({ ...own.identity, endpointTemplate: 'lab-{seq}' });
    fake.device('169.254.20.5').hostname = 'mbed-linux-os-5';
    await run(runner, certs, ['169.254.20.5']);
    expect(fake.device('169.254.20.5').commands).not.toContain('hostname');
    expect(own.asked[0]!.device.hostname).toBeUndefined();
  });
});

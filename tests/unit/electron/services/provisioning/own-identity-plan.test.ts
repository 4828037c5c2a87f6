import { describe, expect, it } from 'vitest';
import type { DeviceRef } from '../../../../../shared/contract/provisioning';
import { planOwnIdentities, type OwnIdentityDeps } from '../../../../../electron/services/provisioning/own-identity-plan';

// The check comes before anything else: deps that throw when touched prove that no registry, CA or certificate is read.
const untouchable = new Proxy({} as OwnIdentityDeps, {
  get: (_t, name) => {
    throw new Error(`the plan touched deps.${String(name)} before refusing the template`);
  },
});
const ref = (n: number): DeviceRef => ({ address: `169.254.20.${n}` });

describe('planOwnIdentities: a template that gives every device the same name', () => {
  it('is refused for a run whose devices are still arriving (--all, the app\'s "all boards"), before anything is read', async () => {
    const plan = await planOwnIdentities({ ca: 'lab-ca', endpointTemplate: 'lab-board' }, [], untouchable, { open: true });
    expect(plan).toMatchObject({ ok: false, code: 'endpoint-name-invalid', message: expect.stringMatching(/"lab-board" has no placeholder/) });
  });

  it('is refused for several devices named up front', async () => {
    const plan = await planOwnIdentities({ ca: 'lab-ca', endpointTemplate: 'lab-board' }, [ref(1), ref(2)], untouchable);
    expect(plan).toMatchObject({ ok: false, code: 'endpoint-name-invalid', message: expect.stringMatching(/add \{seq\} or \{uuid\}/) });
  });

  it('stays allowed for one device (the plan goes on to the registry)', async () => {
    await expect(planOwnIdentities({ ca: 'lab-ca', endpointTemplate: 'lab-board' }, [ref(1)], untouchable)).rejects.toThrow(/touched deps\.store/);
  });
});

// @vitest-environment jsdom
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanup, fireEvent, render, screen, within } from '@testing-library/react';
import type { CaTrust, CertificateAuthority } from '../../../../shared/contract/ca';
import { channels } from '../../../../shared/contract/index';
import { ok } from '../../../../shared/contract/result';
import { setClient } from '../../../../renderer/transport/client';
import { CaTable } from '../../../../renderer/features/certificates/CaTable';
import { fakeClient } from '../../../support/renderer/fake-client';
import { giveJsdomModalDialogs } from '../../../support/renderer/modal-dialogs';

beforeAll(giveJsdomModalDialogs);
afterEach(cleanup);

const authority = (trust: CaTrust): CertificateAuthority => ({
  name: 'lab-ca',
  subject: 'CN=lab-ca',
  fingerprint: 'ab'.repeat(32),
  notBefore: '2026-01-01T00:00:00.000Z',
  notAfter: '2056-01-01T00:00:00.000Z',
  expiry: 'ok',
  keyType: 'EC P-256',
  path: '/home/lab/.mbl-store/team/lab-ca',
  trust,
});

describe('Certificates → Certificate authorities: First-to-Claim for a CA the account trusts already', () => {
  it('offers to turn it on, asks the core for it, and says what changed', async () => {
    let trust: CaTrust = { state: 'trusted', id: 'c1', firstToClaim: false };
    const fake = fakeClient()
      .answer(channels.ca.list, () => ok({ teamStore: '/home/lab/.mbl-store/team', authorities: [authority(trust)], cloudNote: null }))
      .answer(channels.ca.trust, () => {
        trust = { state: 'trusted', id: 'c1', firstToClaim: true };
        return ok({
          outcome: 'first-to-claim-turned-on' as const,
          authority: authority(trust),
          cloud: {
            id: 'c1',
            name: 'lab-ca',
            service: 'bootstrap',
            status: 'ACTIVE',
            firstToClaim: true,
            subject: 'CN=lab-ca',
            validity: '2056-01-01T00:00:00Z',
          },
        });
      });
    setClient(fake.client);
    render(<CaTable />);
    fireEvent.click(await screen.findByRole('button', { name: 'Turn on First-to-Claim: lab-ca' }));
    const dialog = screen.getByRole('dialog', { name: 'Turn on First-to-Claim for lab-ca' });
    fireEvent.click(within(dialog).getByRole('button', { name: 'Turn on First-to-Claim' }));
    expect(await within(dialog).findByText(/First-to-Claim enrollment is now turned on for it/)).toBeTruthy();
    expect(fake.requests(channels.ca.trust)).toEqual([{ name: 'lab-ca', firstToClaim: true }]);
    fireEvent.click(within(dialog).getByRole('button', { name: 'Close' }));
    expect(await screen.findByText('Trusted (First-to-Claim)')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Turn on First-to-Claim: lab-ca' })).toBeNull();
  });
});

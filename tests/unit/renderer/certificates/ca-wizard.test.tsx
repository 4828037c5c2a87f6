// @vitest-environment jsdom
import { describe, it, expect, afterEach } from 'vitest';
import { cleanup, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { setClient } from '../../../../renderer/transport/client';
import { channels } from '../../../../shared/contract/index';
import { ok } from '../../../../shared/contract/result';
import type { CertificateAuthority } from '../../../../shared/contract/ca';
import { CaWizard } from '../../../../renderer/features/certificates/CaWizard';
import { fakeClient } from '../../../support/renderer/fake-client';

afterEach(cleanup);

describe('New CA wizard', () => {
  it('an empty CA name says what to type, in the words of the field, and keeps focus there', async () => {
    setClient(fakeClient().client);
    render(<CaWizard />);
    const name = screen.getByLabelText('CA name');
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    const error = await screen.findByText(/^CA name:/);
    expect(error.textContent).toBe('CA name: enter a name for the CA, for example lab-ca');
    expect(document.activeElement).toBe(name);
  });

  it('the Review step starts on "Create CA", so Enter creates it as it goes on from the other steps', async () => {
    setClient(fakeClient().client);
    render(<CaWizard />);
    fireEvent.change(screen.getByLabelText('CA name'), { target: { value: 'lab-ca' } });
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByLabelText('Valid for (years)')));
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    const create = await screen.findByRole('button', { name: 'Create CA' });
    await waitFor(() => expect(document.activeElement).toBe(create));
  });

  it('after "Trust in my account", focus goes to the answer that replaced the button, not to the page', async () => {
    const authority: CertificateAuthority = {
      name: 'lab-ca',
      subject: 'CN=lab-ca',
      fingerprint: 'ab'.repeat(32),
      notBefore: '2026-11-29T00:00:00.000Z',
      notAfter: '2056-11-29T00:00:00.000Z',
      expiry: 'ok',
      keyType: 'EC P-256',
      path: '/team/lab-ca',
      trust: { state: 'unknown' },
    };
    setClient(
      fakeClient()
        .answer(channels.ca.list, () => ok({ teamStore: '/team', authorities: [authority], cloudNote: null }))
        .answer(channels.ca.create, () => ok(authority))
        .answer(channels.ca.trust, () =>
          ok({
            outcome: 'added' as const,
            authority,
            cloud: {
              id: 'tc1',
              name: 'lab-ca',
              service: 'bootstrap',
              status: 'ACTIVE',
              firstToClaim: false,
              subject: 'CN=lab-ca',
              validity: authority.notAfter,
            },
          }),
        ).client,
    );
    render(<CaWizard />);
    fireEvent.change(screen.getByLabelText('CA name'), { target: { value: 'lab-ca' } });
    fireEvent.click(screen.getByRole('button', { name: 'Next' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Next' }));
    fireEvent.click(await screen.findByRole('button', { name: 'Create CA' }));
    const trust = await screen.findByRole('button', { name: 'Trust in my account' });
    trust.focus();
    fireEvent.click(trust);
    const answer = await screen.findByText(/Your account now trusts/);
    await waitFor(() => expect(document.activeElement !== document.body && document.activeElement?.contains(answer)).toBe(true));
  });
});

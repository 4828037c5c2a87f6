// @vitest-environment jsdom
import { describe, it, expect, afterEach, beforeAll, beforeEach } from 'vitest';
import { render, cleanup, screen, fireEvent, waitFor } from '@testing-library/react';
import type { ApiKeyStatus } from '../../../../shared/contract/credentials';
import { channels } from '../../../../shared/contract/index';
import { fail, ok } from '../../../../shared/contract/result';
import { setClient } from '../../../../renderer/transport/client';
import { AccountSettings } from '../../../../renderer/features/credentials/AccountSettings';
import { useCredentialsStore } from '../../../../renderer/features/credentials/credentials-store';
import { giveJsdomModalDialogs } from '../../../support/renderer/modal-dialogs';
import { fakeClient, type FakeClient } from '../../../support/renderer/fake-client';

const US = 'https://api.us-east-1.mbedcloud.com';
const EU = 'https://api.eu-west-1.mbedcloud.com';
const regions = [
  { id: 'us', label: 'US', url: US },
  { id: 'eu', label: 'EU', url: EU },
];
const none: ApiKeyStatus = { present: false, masked: '', apiUrl: US, plaintextKeyInUserStore: false };
const saved: ApiKeyStatus = { present: true, masked: 'ak_…1a2b', accountName: 'Lab bench', apiUrl: US, source: 'keychain', plaintextKeyInUserStore: false };

beforeAll(giveJsdomModalDialogs);
beforeEach(() => useCredentialsStore.setState({ status: null, regions: [], loadError: null, saving: false }));
afterEach(cleanup);

function setup(status: ApiKeyStatus, more: (fake: FakeClient) => void = () => {}) {
  const fake = fakeClient()
    .answer(channels.credentials.apiKeyStatus, () => ok(status))
    .answer(channels.credentials.regions, () => ok(regions));
  more(fake);
  setClient(fake.client);
  render(<AccountSettings />);
  return fake;
}

describe('Settings → Device Management account', () => {
  it('saves a key for the chosen region and then shows only its masked form', async () => {
    const fake = setup(none, (f) => f.answer(channels.credentials.apiKeySave, () => ok({ ...saved, apiUrl: EU })));
    await screen.findByText(/No API key saved/);
    const key = screen.getByLabelText('API key');
    expect(key.getAttribute('type')).toBe('password');
    expect((screen.getByRole('radio', { name: /^US/ }) as HTMLInputElement).checked).toBe(true);
    fireEvent.change(key, { target: { value: 'ak_secretsecretsecret1a2b' } });
    fireEvent.click(screen.getByRole('radio', { name: /^EU/ }));
    fireEvent.click(screen.getByRole('button', { name: 'Check and save key' }));
    await screen.findByText('ak_…1a2b');
    expect(fake.calls.find((c) => c.name === 'credentials:api-key-save')?.request).toEqual({ apiKey: 'ak_secretsecretsecret1a2b', apiUrl: EU });
    expect(screen.getByTestId('account-name').textContent).toBe('Lab bench');
    expect(screen.getByText(`EU (${EU})`)).toBeTruthy();
    expect(screen.queryByLabelText(/API key/)).toBeNull();
    expect(document.body.innerHTML).not.toContain('secretsecret');
  });

  it('puts focus on Replace key once a key is saved or the replacing is cancelled, never on the page', async () => {
    setup(none, (f) => f.answer(channels.credentials.apiKeySave, () => ok(saved)));
    await screen.findByText(/No API key saved/);
    fireEvent.change(screen.getByLabelText('API key'), { target: { value: 'ak_secretsecretsecret1a2b' } });
    fireEvent.click(screen.getByRole('button', { name: 'Check and save key' }));
    const replace = await screen.findByRole('button', { name: 'Replace key' });
    await waitFor(() => expect(document.activeElement).toBe(replace));

    fireEvent.click(replace);
    expect(document.activeElement).toBe(screen.getByLabelText('New API key'));
    fireEvent.click(screen.getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(document.activeElement).toBe(screen.getByRole('button', { name: 'Replace key' })));
  });

  it('puts an invalid key error on the key field and keeps showing the previous key', async () => {
    setup(saved, (f) =>
      f.answer(channels.credentials.apiKeySave, () =>
        fail('api-key-invalid', 'Device Management refused the API key (401): check it was copied whole and is not revoked'),
      ),
    );
    fireEvent.click(await screen.findByRole('button', { name: 'Replace key' }));
    const key = screen.getByLabelText('New API key');
    expect(document.activeElement).toBe(key);
    fireEvent.change(key, { target: { value: 'ak_wrongwrongwrong9999' } });
    fireEvent.click(screen.getByRole('button', { name: 'Check and save key' }));
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toMatch(/refused the API key/);
    expect(key.getAttribute('aria-invalid')).toBe('true');
    expect(key.getAttribute('aria-describedby')).toContain(alert.id);
    expect(screen.getByTestId('masked-key').textContent).toBe('ak_…1a2b');
  });

  it('shows keychain failures as a form error', async () => {
    setup(none, (f) =>
      f.answer(channels.credentials.apiKeySave, () => fail('keychain-locked', 'the OS keychain is locked: unlock it (log in again) and retry')),
    );
    fireEvent.change(await screen.findByLabelText('API key'), { target: { value: 'ak_secretsecretsecret1a2b' } });
    fireEvent.click(screen.getByRole('button', { name: 'Check and save key' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/keychain is locked/);
    expect(screen.getByLabelText('API key').getAttribute('aria-invalid')).toBeNull();
  });

  it('puts a refused URL on the URL field by the field the core names, whatever its message says', async () => {
    const refused = 'must use https (plain http is only allowed to 127.0.0.1 or localhost): change http:// to https://';
    setup(none, (f) => f.answer(channels.credentials.apiKeySave, () => fail('invalid-request', refused, { issues: [{ path: 'apiUrl', message: refused }] })));
    fireEvent.change(await screen.findByLabelText('API key'), { target: { value: 'ak_secretsecretsecret1a2b' } });
    fireEvent.click(screen.getByRole('radio', { name: 'On-premises (custom URL)' }));
    fireEvent.change(screen.getByLabelText('API URL'), { target: { value: 'http://lab.example' } });
    fireEvent.click(screen.getByRole('button', { name: 'Check and save key' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/Must use https/);
    expect(screen.getByLabelText('API URL').getAttribute('aria-invalid')).toBe('true');
    expect(screen.getByLabelText('API key').getAttribute('aria-invalid')).toBeNull();
  });

  it('asks for a custom URL when On-premises is chosen', async () => {
    const fake = setup(none);
    fireEvent.change(await screen.findByLabelText('API key'), { target: { value: 'ak_secretsecretsecret1a2b' } });
    fireEvent.click(screen.getByRole('radio', { name: 'On-premises (custom URL)' }));
    fireEvent.click(screen.getByRole('button', { name: 'Check and save key' }));
    expect((await screen.findByRole('alert')).textContent).toMatch(/API URL: enter/);
    expect(document.activeElement).toBe(screen.getByLabelText('API URL'));
    expect(fake.calls.some((c) => c.name === 'credentials:api-key-save')).toBe(false);
  });

  it('removes the key only after confirmation', async () => {
    const fake = setup(saved, (f) => f.answer(channels.credentials.apiKeyDelete, () => ok(none)));
    fireEvent.click(await screen.findByRole('button', { name: 'Remove key' }));
    expect(fake.calls.some((c) => c.name === 'credentials:api-key-delete')).toBe(false);
    const dialog = screen.getByRole('dialog', { name: 'Remove the API key?' });
    fireEvent.click(dialog.querySelector('button.danger')!);
    await screen.findByText(/No API key saved/);
    expect(fake.calls.find((c) => c.name === 'credentials:api-key-delete')?.request).toEqual({ apiUrl: US });
  });

  it('offers to move an old plaintext key into the keychain', async () => {
    const fake = setup({ ...none, plaintextKeyInUserStore: true }, (f) => f.answer(channels.credentials.migratePlaintextKey, () => ok(saved)));
    const offer = await screen.findByRole('region', { name: 'Old API key found' });
    expect(offer.textContent).toMatch(/plain text/);
    fireEvent.click(screen.getByRole('button', { name: 'Move key to the keychain' }));
    await waitFor(() => expect(screen.getByTestId('masked-key').textContent).toBe('ak_…1a2b'));
    expect(fake.calls.some((c) => c.name === 'credentials:migrate-plaintext-key')).toBe(true);
    expect(screen.queryByRole('region', { name: 'Old API key found' })).toBeNull();
  });
});

// @vitest-environment jsdom
import { describe, it, expect, beforeEach } from 'vitest';
import type { WizardCreateSummary } from '../../../../shared/contract/certificates';
import { channels } from '../../../../shared/contract/index';
import { fail, ok } from '../../../../shared/contract/result';
import { setClient } from '../../../../renderer/transport/client';
import { useCertificatesStore } from '../../../../renderer/features/certificates/certificates-store';
import { fakeClient } from '../../../support/renderer/fake-client';
import { teamCert } from '../../../support/renderer/certificates';

function use() {
  const fake = fakeClient();
  setClient(fake.client);
  return fake;
}

beforeEach(() => {
  useCertificatesStore.setState({ view: 'list' });
  useCertificatesStore.getState().openWizard({ domain: 'arm.com', model: 'dev-device' });
});

describe('certificates store', () => {
  it('sends the wizard form, goes back to the step the backend refused, and keeps what was typed', async () => {
    const fake = use().answer(channels.certificates.wizardCreate, () =>
      fail('invalid-input', 'days must be…', { fieldErrors: { days: 'days must be at most 36500' } }),
    );
    const store = useCertificatesStore.getState();
    store.setField('days', '99999');
    store.setField('country', 'GB');
    store.setDir('/tmp/out');
    store.setStep(4);
    expect(await useCertificatesStore.getState().createCertificate()).toMatchObject({ ok: false });
    const { wizard } = useCertificatesStore.getState();
    expect(wizard.step).toBe(3);
    expect(wizard.serverErrors).toEqual({ days: 'days must be at most 36500' });
    expect(wizard.attempted[3]).toBe(true);
    expect(wizard.form).toMatchObject({ domain: 'arm.com', model: 'dev-device', country: 'GB', days: '99999' });
    expect(fake.calls[0]?.request).toMatchObject({
      domain: 'arm.com',
      model: 'dev-device',
      commonName: 'arm.com',
      days: '99999',
      dir: '/tmp/out',
      force: false,
    });
    // Typing in the field clears the backend's message for it.
    useCertificatesStore.getState().setField('days', '90');
    expect(useCertificatesStore.getState().wizard.serverErrors).toEqual({});
  });

  it('sends custom IDs instead of the domain and model, and an existing certificate and key by path', async () => {
    const fake = use().answer(channels.certificates.wizardCreate, () =>
      fail('key-mismatch', 'key.pem is not the private key of cert.der', { fieldErrors: { keyPath: 'key.pem is not the private key of cert.der' } }),
    );
    const store = useCertificatesStore.getState();
    store.setField('vendorId', '12345678-1234-5678-1234-567812345678');
    store.setCertificateSource('existing');
    store.setField('certificatePath', ' /keys/cert.der ');
    store.setField('keyPath', '/keys/key.pem');
    store.setDir('/tmp/out');
    store.setStep(4);
    await useCertificatesStore.getState().createCertificate();
    // -V replaces -d; the class ID still comes from the model; -c/-k take no subject or days.
    expect(fake.calls[0]?.request).toEqual({
      vendorId: '12345678-1234-5678-1234-567812345678',
      model: 'dev-device',
      certificatePath: '/keys/cert.der',
      keyPath: '/keys/key.pem',
      dir: '/tmp/out',
      force: false,
    });
    // Refused: back to the Advanced step, with the error under the key's field.
    expect(useCertificatesStore.getState().wizard).toMatchObject({ step: 1, serverErrors: { keyPath: 'key.pem is not the private key of cert.der' } });
  });

  it('checks the existing certificate and key with the core before going on, and keeps what it found', async () => {
    const certificate = {
      subject: 'CN=old',
      notBefore: '2026-01-01T00:00:00Z',
      notAfter: '2036-01-01T00:00:00Z',
      fingerprint: 'ab'.repeat(32),
      ski: null,
      keyType: 'EC P-256',
      selfSigned: true,
    };
    let answer: 'bad' | 'good' = 'bad';
    const fake = use().answer(channels.certificates.wizardPreview, () =>
      ok(
        answer === 'bad'
          ? { valid: false, subject: '', warnings: [], fieldErrors: { certificatePath: 'cannot read the certificate /x.der: check its path' } }
          : { valid: true, subject: 'CN=old', warnings: [], fieldErrors: {}, certificate },
      ),
    );
    const store = useCertificatesStore.getState();
    store.setCertificateSource('existing');
    store.setField('certificatePath', '/x.der');
    store.setField('keyPath', '/x.pem');
    expect(await useCertificatesStore.getState().checkExisting()).toBe(false);
    expect(useCertificatesStore.getState().wizard.serverErrors).toEqual({ certificatePath: 'cannot read the certificate /x.der: check its path' });
    answer = 'good';
    useCertificatesStore.getState().setField('certificatePath', '/y.der');
    expect(await useCertificatesStore.getState().checkExisting()).toBe(true);
    expect(useCertificatesStore.getState().wizard).toMatchObject({ existing: certificate, serverErrors: {} });
    expect(fake.requests(channels.certificates.wizardPreview).at(-1)).toEqual({
      domain: 'arm.com',
      model: 'dev-device',
      certificatePath: '/y.der',
      keyPath: '/x.pem',
    });
    // Another path forgets what was checked.
    useCertificatesStore.getState().setField('keyPath', '/z.pem');
    expect(useCertificatesStore.getState().wizard.existing).toBeNull();
    // So does going back to a new certificate: the review must not show the old one's subject.
    expect(await useCertificatesStore.getState().checkExisting()).toBe(true);
    useCertificatesStore.getState().setCertificateSource('new');
    expect(useCertificatesStore.getState().wizard.existing).toBeNull();
  });

  it('saves the generated C file into the Team Store under the chosen name', async () => {
    const summary = { cFileText: '// update_default_resources.c', fingerprint: 'cd'.repeat(32) } as WizardCreateSummary;
    const fake = use()
      .answer(channels.certificates.wizardCreate, () => ok(summary))
      .answer(channels.certificates.importUpdate, (r) => ok(teamCert(r.name, 'update')));
    useCertificatesStore.getState().setDir('/tmp/out');
    expect(await useCertificatesStore.getState().createCertificate()).toBeNull();
    expect(useCertificatesStore.getState().wizard.step).toBe(5);
    expect(await useCertificatesStore.getState().saveToTeamStore('dev-device')).toBeNull();
    expect(fake.calls.at(-1)).toEqual({
      name: 'certificates:import-update',
      request: { name: 'dev-device', fileName: 'update_default_resources.c', text: '// update_default_resources.c' },
    });
    expect(useCertificatesStore.getState().wizard.savedAs).toBe('dev-device');
  });
});

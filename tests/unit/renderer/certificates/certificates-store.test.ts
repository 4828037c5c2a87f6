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
    const fake = use().answer(channels.certificates.wizardCreate, () => fail('invalid-input', 'days must be…', { fieldErrors: { days: 'days must be at most 36500' } }));
    const store = useCertificatesStore.getState();
    store.setField('days', '99999');
    store.setField('country', 'GB');
    store.setDir('/tmp/out');
    store.setStep(3);
    expect(await useCertificatesStore.getState().createCertificate()).toMatchObject({ ok: false });
    const { wizard } = useCertificatesStore.getState();
    expect(wizard.step).toBe(2);
    expect(wizard.serverErrors).toEqual({ days: 'days must be at most 36500' });
    expect(wizard.attempted[2]).toBe(true);
    expect(wizard.form).toMatchObject({ domain: 'arm.com', model: 'dev-device', country: 'GB', days: '99999' });
    expect(fake.calls[0]?.request).toMatchObject({ domain: 'arm.com', model: 'dev-device', commonName: 'arm.com', days: '99999', dir: '/tmp/out', force: false });
    // Typing in the field clears the backend's message for it.
    useCertificatesStore.getState().setField('days', '90');
    expect(useCertificatesStore.getState().wizard.serverErrors).toEqual({});
  });

  it('saves the generated C file into the Team Store under the chosen name', async () => {
    const summary = { cFileText: '// update_default_resources.c', fingerprint: 'cd'.repeat(32) } as WizardCreateSummary;
    const fake = use()
      .answer(channels.certificates.wizardCreate, () => ok(summary))
      .answer(channels.certificates.importUpdate, (r) => ok(teamCert(r.name, 'update')));
    useCertificatesStore.getState().setDir('/tmp/out');
    expect(await useCertificatesStore.getState().createCertificate()).toBeNull();
    expect(useCertificatesStore.getState().wizard.step).toBe(4);
    expect(await useCertificatesStore.getState().saveToTeamStore('dev-device')).toBeNull();
    expect(fake.calls.at(-1)).toEqual({ name: 'certificates:import-update', request: { name: 'dev-device', fileName: 'update_default_resources.c', text: '// update_default_resources.c' } });
    expect(useCertificatesStore.getState().wizard.savedAs).toBe('dev-device');
  });
});

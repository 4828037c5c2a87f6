// @vitest-environment jsdom
import { describe, it, expect, beforeEach } from 'vitest';
import type { TeamCertificate, WizardCreateSummary } from '../../../../shared/contract/certificates';
import { setClient } from '../../../../renderer/transport/client';
import { useCertificatesStore } from '../../../../renderer/features/certificates/certificates-store';
import { fakeClient, type Handler } from '../credentials/fake-client';

const ok = (value: unknown) => ({ ok: true, value });
const teamCert = (name: string, kind: TeamCertificate['kind']): TeamCertificate => ({
  name,
  kind,
  fingerprint: 'ab'.repeat(32),
  createdAt: '2026-11-22T00:00:00Z',
  notAfter: '2027-02-20T00:00:00Z',
  expiry: 'ok',
  path: `/home/u/.mbl-store/team/${name}`,
  files: [],
  legacy: false,
  warnings: [],
});
const list = (team: TeamCertificate[]) => ok({ teamStore: '/home/u/.mbl-store/team', team, cloud: null, cloudNote: 'No API key: add one in Settings to see the cloud.' });

function use(handlers: Record<string, Handler>) {
  const fake = fakeClient(handlers);
  setClient(fake.client);
  return fake;
}

beforeEach(() => {
  useCertificatesStore.setState({ view: 'list', team: [], cloud: null, cloudNote: null, teamStore: null, listError: null });
  useCertificatesStore.getState().openWizard({ domain: 'arm.com', model: 'dev-device' });
});

describe('certificates store', () => {
  it('imports a chosen file by sending its text, then lists again', async () => {
    const team: TeamCertificate[] = [];
    const fake = use({
      'certificates:list': () => list(team),
      'certificates:import-update': (r) => {
        const req = r as { name: string };
        team.push(teamCert(req.name, 'update'));
        return ok(team.at(-1));
      },
    });
    const file = new File(['const uint8_t arm_uc_vendor_id[] = { 0xfa };'], 'update_default_resources.c');
    expect(await useCertificatesStore.getState().importUpdate('dev-device', file)).toBeNull();
    expect(fake.calls.find((c) => c.name === 'certificates:import-update')?.request).toEqual({
      name: 'dev-device',
      fileName: 'update_default_resources.c',
      text: 'const uint8_t arm_uc_vendor_id[] = { 0xfa };',
    });
    expect(useCertificatesStore.getState().team.map((c) => c.name)).toEqual(['dev-device']);
    expect(useCertificatesStore.getState().cloudNote).toMatch(/No API key/);
  });

  it('returns the backend message when creating or deleting fails', async () => {
    use({
      'certificates:create-dev': () => ({ ok: false, code: 'api-key-missing', message: 'no API key: save one in Settings → Device Management account' }),
      'certificates:delete': () => ({ ok: false, code: 'certificate-missing', message: 'there is no certificate "x" in the Team Store' }),
    });
    expect(await useCertificatesStore.getState().createDeveloper('lab-1')).toMatch(/no API key/);
    expect(await useCertificatesStore.getState().remove('x', false)).toMatch(/no certificate "x"/);
  });

  it('sends the wizard form, goes back to the step the backend refused, and keeps what was typed', async () => {
    const fake = use({ 'certificates:wizard-create': () => ({ ok: false, code: 'invalid-input', message: 'days must be…', details: { fieldErrors: { days: 'days must be at most 36500' } } }) });
    const store = useCertificatesStore.getState();
    store.setField('days', '99999');
    store.setField('country', 'GB');
    store.setDir('/tmp/out');
    store.setStep(3);
    expect(await useCertificatesStore.getState().createCertificate()).toBe(false);
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
    const fake = use({
      'certificates:wizard-create': () => ok(summary),
      'certificates:import-update': (r) => ok(teamCert((r as { name: string }).name, 'update')),
    });
    useCertificatesStore.getState().setDir('/tmp/out');
    expect(await useCertificatesStore.getState().createCertificate()).toBe(true);
    expect(useCertificatesStore.getState().wizard.step).toBe(4);
    expect(await useCertificatesStore.getState().saveToTeamStore('dev-device')).toBe(true);
    expect(fake.calls.at(-1)).toEqual({ name: 'certificates:import-update', request: { name: 'dev-device', fileName: 'update_default_resources.c', text: '// update_default_resources.c' } });
    expect(useCertificatesStore.getState().wizard.savedAs).toBe('dev-device');
  });
});

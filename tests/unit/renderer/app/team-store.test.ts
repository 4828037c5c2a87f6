// @vitest-environment jsdom
import { describe, it, expect, beforeEach } from 'vitest';
import { MAX_C_FILE_BYTES, type TeamCertificate } from '../../../../shared/contract/certificates';
import { channels, events } from '../../../../shared/contract/index';
import { fail, ok } from '../../../../shared/contract/result';
import { setClient } from '../../../../renderer/transport/client';
import { useTeamStore } from '../../../../renderer/app/team-store';
import { fakeClient } from '../../../support/renderer/fake-client';
import { teamCert, teamList } from '../../../support/renderer/certificates';

function use() {
  const fake = fakeClient();
  setClient(fake.client);
  return fake;
}

beforeEach(() => {
  useTeamStore.setState({ team: [], cloud: null, cloudNote: null, teamStore: null, listError: null, loaded: false });
});

describe('Team Store (shared by the Certificates screen and the Provisioning set-up)', () => {
  it('imports a chosen file by sending its text, then lists again', async () => {
    const team: TeamCertificate[] = [];
    const fake = use()
      .answer(channels.certificates.list, () => ok(teamList(team)))
      .answer(channels.certificates.importUpdate, (req) => {
        team.push(teamCert(req.name, 'update'));
        return ok(team.at(-1)!);
      });
    const file = new File(['const uint8_t arm_uc_vendor_id[] = { 0xfa };'], 'update_default_resources.c');
    expect(await useTeamStore.getState().importFile('update', 'dev-device', file)).toBeNull();
    expect(fake.calls.find((c) => c.name === 'certificates:import-update')?.request).toEqual({
      name: 'dev-device',
      fileName: 'update_default_resources.c',
      text: 'const uint8_t arm_uc_vendor_id[] = { 0xfa };',
    });
    expect(useTeamStore.getState().team.map((c) => c.name)).toEqual(['dev-device']);
    expect(useTeamStore.getState().cloudNote).toMatch(/No API key/);
  });

  it("imports the portal's developer credentials file through import-dev, as `pws certs import-dev` does", async () => {
    const fake = use()
      .answer(channels.certificates.list, () => ok(teamList([])))
      .answer(channels.certificates.importDev, (req) => ok(teamCert(req.name, 'developer')));
    const file = new File(['const char MBED_CLOUD_DEV_BOOTSTRAP_ENDPOINT_NAME[] = "x";'], 'mbed_cloud_dev_credentials.c');
    expect(await useTeamStore.getState().importFile('developer', 'lab-bench-1', file)).toBeNull();
    expect(fake.calls.map((c) => c.name)).toContain('certificates:import-dev');
    expect(fake.requests(channels.certificates.importUpdate)).toEqual([]);
  });

  it('refuses a file past the channel bound without reading it or calling the core', async () => {
    const fake = use();
    const file = new File([new Uint8Array(MAX_C_FILE_BYTES + 1)], 'firmware.bin');
    const failure = await useTeamStore.getState().importFile('developer', 'big', file);
    expect(failure).toMatchObject({ code: 'file-too-large' });
    expect(failure?.message).toMatch(/^firmware\.bin: the file is larger than 4 MiB/);
    expect(fake.calls).toEqual([]);
  });

  it('returns the backend message when creating or deleting fails', async () => {
    use()
      .answer(channels.certificates.createDev, () => fail('api-key-missing', 'no API key: save one in Settings → Device Management account'))
      .answer(channels.certificates.delete, () => fail('certificate-missing', 'there is no certificate "x" in the Team Store'));
    expect((await useTeamStore.getState().createDeveloper('lab-1'))?.message).toMatch(/no API key/);
    expect((await useTeamStore.getState().remove('x', false))?.message).toMatch(/no certificate "x"/);
  });

  it('lists again when another door changes the Team Store, and an overtaken answer never replaces a newer one', async () => {
    let calls = 0;
    let release = () => {};
    const fake = use().answer(channels.certificates.list, async () => {
      const n = ++calls;
      if (n === 2) await new Promise<void>((resolve) => (release = resolve));
      return ok(teamList([teamCert(`c${n}`, 'update')]));
    });
    await useTeamStore.getState().load({ cloud: false });
    expect(fake.requests(channels.certificates.list)).toEqual([{ cloud: false }]);
    fake.emit(events.certificates.teamStoreChanged, { reason: 'imported', name: 'c2' });
    fake.emit(events.certificates.teamStoreChanged, { reason: 'imported', name: 'c3' });
    await expect.poll(() => useTeamStore.getState().team.map((c) => c.name)).toEqual(['c3']);
    release();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(useTeamStore.getState().team.map((c) => c.name)).toEqual(['c3']);
    expect(fake.listeners(events.certificates.teamStoreChanged)).toBe(1);
  });
});

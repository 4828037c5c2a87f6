import { describe, it, expect } from 'vitest';
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { createStoresService, readCertificateBins, resolveStorePaths } from '../../../../../electron/services/stores/index';
import { silentLogger } from '../../../../../electron/services/log';
import { emptyHome, homeWithMblCliStore, ls, modeOf } from './mbl-cli-fixture';

const NOW = new Date('2027-01-01T00:00:00Z');
const service = (home: string) => createStoresService({ home, clock: () => NOW, log: silentLogger });
const bytes = (s: string) => new TextEncoder().encode(s);

describe('store paths (~/.mbl-stores.json)', () => {
  it("creates mbl-cli's compact file with the default folders on first use, with the store modes", async () => {
    const home = emptyHome();
    const r = await service(home).paths();
    expect(r.ok).toBe(true);
    expect(readFileSync(join(home, '.mbl-stores.json'), 'utf8')).toBe(
      `{"user": "${join(home, '.mbl-store/user')}", "team": "${join(home, '.mbl-store/team')}"}`,
    );
    expect(modeOf(join(home, '.mbl-store/user'))).toBe(0o700);
    expect(modeOf(join(home, '.mbl-store/team'))).toBe(0o750);
    expect(readFileSync(join(home, '.mbl-store/team/config.json'), 'utf8')).toBe(
      `{"location": "${join(home, '.mbl-store/team')}", "api_key": "", "dev_certs": {}}`,
    );
    expect(modeOf(join(home, '.mbl-store/user/config.json'))).toBe(0o600);
  });

  it('reports an unreadable stores file instead of replacing it', async () => {
    const home = emptyHome();
    writeFileSync(join(home, '.mbl-stores.json'), '{not json');
    const r = await resolveStorePaths(home);
    expect(r).toMatchObject({ ok: false, code: 'store-unreadable' });
    expect(readFileSync(join(home, '.mbl-stores.json'), 'utf8')).toBe('{not json');
  });

  it('moves the stores: the file points at the new folders, created with their modes', async () => {
    const home = emptyHome();
    const s = service(home);
    const r = await s.setPaths({ team: join(home, 'shared/team') });
    expect(r).toMatchObject({ ok: true, value: { team: join(home, 'shared/team'), user: join(home, '.mbl-store/user') } });
    expect(JSON.parse(readFileSync(join(home, '.mbl-stores.json'), 'utf8')).team).toBe(join(home, 'shared/team'));
    expect(modeOf(join(home, 'shared/team'))).toBe(0o750);
    expect(await s.setPaths({ team: 'relative/team' })).toMatchObject({ ok: false, code: 'invalid-request' });
  });

  it('writes folders whose names are not ASCII as mbl-cli (Python) does: \\u escapes, so the files are ASCII', async () => {
    const home = emptyHome();
    const s = service(home);
    const team = join(home, 'équipe/日本/😀');
    expect(await s.setPaths({ team })).toMatchObject({ ok: true });
    expect(await s.write('dev-cert', 'developer', [{ name: 'MBED_CLOUD_DEV_ACCOUNT_ID.bin', data: bytes('id') }])).toMatchObject({ ok: true });
    for (const file of [join(home, '.mbl-stores.json'), join(team, 'config.json')]) {
      const text = readFileSync(file, 'utf8');
      expect(text, file).toMatch(/^[\x20-\x7e]*$/);
      expect(text).toContain('\\u00e9quipe/\\u65e5\\u672c/\\ud83d\\ude00');
    }
    expect(JSON.parse(readFileSync(join(home, '.mbl-stores.json'), 'utf8')).team).toBe(team);
  });
});

describe('Team Store certificates', () => {
  it('writes a certificate folder atomically and keeps config.json listing exactly the folders on disk', async () => {
    const home = emptyHome();
    const s = service(home);
    const team = join(home, '.mbl-store/team');
    const files = [
      { name: 'arm_uc_vendor_id.bin', data: new Uint8Array(16).fill(1) },
      { name: 'arm_uc_default_psk.bin', data: new Uint8Array(0) },
    ];
    expect((await s.write('u1', 'update', files)).ok).toBe(true);
    expect(ls(join(team, 'u1'))).toEqual(['arm_uc_default_psk.bin', 'arm_uc_vendor_id.bin']);
    expect(modeOf(join(team, 'u1'))).toBe(0o750);
    expect(modeOf(join(team, 'u1/arm_uc_vendor_id.bin'))).toBe(0o640);
    expect(readFileSync(join(team, 'u1/arm_uc_default_psk.bin')).length).toBe(0);
    const cfg = () => JSON.parse(readFileSync(join(team, 'config.json'), 'utf8'));
    expect(cfg().dev_certs).toEqual({ u1: [join(team, 'u1/arm_uc_default_psk.bin'), join(team, 'u1/arm_uc_vendor_id.bin')] });

    // Replacing keeps only the new set; no temporary folder is left behind.
    await s.write('u1', 'update', [{ name: 'arm_uc_class_id.bin', data: new Uint8Array(16) }]);
    expect(ls(join(team, 'u1'))).toEqual(['arm_uc_class_id.bin']);
    expect(ls(team)).toEqual(['config.json', 'u1']);
    expect(cfg().dev_certs.u1).toEqual([join(team, 'u1/arm_uc_class_id.bin')]);

    // A failed write (a file name the OS refuses) leaves the old folder and config.json as they were.
    const before = readFileSync(join(team, 'config.json'), 'utf8');
    const bad = await s.write('u1', 'update', [{ name: 'x/\0.bin', data: bytes('x') }]);
    expect(bad).toMatchObject({ ok: false, code: 'store-unwritable' });
    expect(ls(join(team, 'u1'))).toEqual(['arm_uc_class_id.bin']);
    expect(readFileSync(join(team, 'config.json'), 'utf8')).toBe(before);
    expect(ls(team)).toEqual(['config.json', 'u1']);

    expect(await s.remove('u1')).toEqual({ ok: true, value: true });
    expect(existsSync(join(team, 'u1'))).toBe(false);
    expect(cfg().dev_certs).toEqual({});
    expect(await s.remove('u1')).toEqual({ ok: true, value: false });
  });

  it('reads only plain .bin files of a sane size: a planted link, a pipe or a huge file is refused with the reason', async () => {
    const home = emptyHome();
    const team = join(home, '.mbl-store/team');
    expect((await service(home).write('d1', 'update', [{ name: 'arm_uc_vendor_id.bin', data: new Uint8Array(16) }])).ok).toBe(true);
    const planted = join(team, 'd1/z.bin');
    const refusal = async () => {
      const r = await readCertificateBins(team, 'd1');
      return r.ok ? 'read' : r.message;
    };
    symlinkSync('/etc/hostname', planted);
    expect(await refusal()).toBe(`${planted} is a symbolic link: the Team Store holds only plain files; remove it and create or import the certificate again`);
    rmSync(planted);
    execFileSync('mkfifo', [planted]);
    expect(await refusal()).toBe(
      `could not read ${planted}: it is a pipe, not a file: choose the file itself; remove it and create or import the certificate again`,
    );
    rmSync(planted);
    writeFileSync(planted, Buffer.alloc(2 * 1024 * 1024));
    expect(await refusal()).toMatch(/z\.bin: it is 2\.0 MiB, more than the 1\.0 MiB .*; remove it and create or import the certificate again$/);
  });

  it('serialises concurrent writes so config.json lists every certificate', async () => {
    const home = emptyHome();
    const s = service(home);
    await Promise.all(['a', 'b', 'c', 'd'].map((n) => s.write(n, 'update', [{ name: 'arm_uc_vendor_id.bin', data: new Uint8Array(16) }])));
    const cfg = JSON.parse(readFileSync(join(home, '.mbl-store/team/config.json'), 'utf8'));
    expect(Object.keys(cfg.dev_certs).sort()).toEqual(['a', 'b', 'c', 'd']);
  });

  it('refuses names that would escape the Team Store', async () => {
    const home = emptyHome();
    const r = await readCertificateBins(join(home, 'team'), '../etc');
    expect(r).toMatchObject({ ok: false, code: 'certificate-missing' });
  });
});

describe("reading mbl-cli 2.0's own stores", () => {
  it('lists and reads its certificates, fixing its ASCII uint32 and flagging its altered strings', async () => {
    const { home, store } = homeWithMblCliStore();
    const s = service(home);
    const list = await s.list();
    expect(list.ok).toBe(true);
    if (!list.ok) return;
    expect(list.value.map((c) => [c.name, c.kind, c.legacy])).toEqual([
      ['old-dev', 'developer', true],
      ['old-update', 'update', false],
    ]);
    const dev = list.value[0]!;
    expect(dev.fingerprint).toMatch(/^[0-9a-f]{64}$/);
    expect(dev.notAfter).not.toBeNull();
    expect(dev.expiry).toBe('ok');
    expect(dev.warnings.join(' ')).toMatch(/mbl-cli/);

    const bins = await readCertificateBins(join(store, 'team'), 'old-dev');
    expect(bins.ok).toBe(true);
    if (!bins.ok) return;
    const file = (n: string) => bins.value.files.find((f) => f.name === n)!.data;
    // mbl-cli wrote "524288" as text: the device gets 4 bytes little-endian.
    expect([...file('MBED_CLOUD_DEV_MEMORY_TOTAL_KB.bin')]).toEqual([0x00, 0x00, 0x08, 0x00]);
    // Its altered strings are passed on as they are (they can't be recovered), with the warning.
    expect(file('MBED_CLOUD_DEV_MANUFACTURER.bin').toString()).toBe('ACMEInc.dev_manufacture');
    expect(bins.value.files.map((f) => f.name)).toHaveLength(12);

    const upd = await readCertificateBins(join(store, 'team'), 'old-update');
    expect(upd).toMatchObject({ ok: true, value: { kind: 'update', legacy: false } });
  });

  it('adding a certificate keeps the old entries of its config.json', async () => {
    const { home, store } = homeWithMblCliStore();
    await service(home).write('new-one', 'update', [{ name: 'arm_uc_vendor_id.bin', data: new Uint8Array(16) }]);
    const cfg = JSON.parse(readFileSync(join(store, 'team/config.json'), 'utf8'));
    expect(Object.keys(cfg.dev_certs)).toEqual(['old-dev', 'old-update', 'new-one']);
    expect(cfg.dev_certs['old-dev']).toHaveLength(12);
    expect(cfg.location).toBe(join(store, 'team'));
  });

  it('offers its plaintext API key, and blanks it on request keeping the rest of config.json', async () => {
    const { home, store } = homeWithMblCliStore();
    const s = service(home);
    expect(await s.legacyApiKey()).toEqual({ ok: true, value: 'ak_mblcli_plaintext_legacy_key_9f3e' });
    expect((await s.blankLegacyApiKey()).ok).toBe(true);
    expect(await s.legacyApiKey()).toEqual({ ok: true, value: null });
    const cfg = JSON.parse(readFileSync(join(store, 'user/config.json'), 'utf8'));
    expect(cfg).toEqual({ location: join(store, 'user'), api_key: '', dev_certs: {} });
    expect(readFileSync(join(store, 'user/config.json'), 'utf8')).not.toContain('ak_mblcli');
    expect(modeOf(join(store, 'user/config.json'))).toBe(0o600);
  });

  it('skips stray files and half-written temporary folders when listing', async () => {
    const { home, store } = homeWithMblCliStore();
    mkdirSync(join(store, 'team/.old-dev.123.abcd.tmp'));
    writeFileSync(join(store, 'team/notes.txt'), 'x');
    mkdirSync(join(store, 'team/empty'));
    const list = await service(home).list();
    expect(list.ok && list.value.map((c) => c.name)).toEqual(['old-dev', 'old-update']);
  });
});

describe('a damaged certificate folder', () => {
  it('is still listed, with a problem that says what to do', async () => {
    const { home, store } = homeWithMblCliStore();
    writeFileSync(join(store, 'team/old-update/arm_uc_default_certificate.bin'), 'not der');
    const r = await readCertificateBins(join(store, 'team'), 'old-update');
    expect(r.ok && r.value.problem).toMatch(/does not parse as DER X\.509: import "old-update" again/);
    const list = await service(home).list();
    expect(list.ok && list.value.find((c) => c.name === 'old-update')).toMatchObject({ expiry: 'unknown', fingerprint: expect.any(String) });
  });
});

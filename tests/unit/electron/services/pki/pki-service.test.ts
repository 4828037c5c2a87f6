import { execFile } from 'node:child_process';
import { mkdtemp, readdir, readFile, rename, rm, stat, writeFile, mkdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { certificatesChannels } from '../../../../../shared/contract/certificates';
import { parseCSymbols } from '../../../../../shared/domain/credentials-c-file';
import { createCore, defaultCoreDeps, type Core } from '../../../../../electron/services/composition';
import { createPkiService } from '../../../../../electron/services/pki/pki-service';
import { silentLogger } from '../../../../../electron/services/log';

const run = promisify(execFile);
const NOW = new Date('2026-11-22T12:00:00Z');
let root: string;
let dir: string;
let core: Core;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), 'pws-pki-'));
  dir = join(root, 'project');
  core = createCore(defaultCoreDeps({ home: root, dataDir: join(root, 'data'), env: {}, clock: () => NOW }));
});
afterEach(async () => {
  await core.close();
  await rm(root, { recursive: true, force: true });
});

async function listing(at: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  try {
    for (const e of await readdir(at, { recursive: true, withFileTypes: true })) {
      const p = join(e.parentPath, e.name);
      out[p.slice(at.length)] = e.isFile() ? (await readFile(p)).toString('base64') : 'dir';
    }
  } catch {
    return { missing: 'yes' };
  }
  return out;
}

const call = (name: string, request: unknown) => core.router.dispatch(name, request, { door: 'test' });

describe('pki service: create', () => {
  it('writes the four files (key 0600) and remembers the preset through the route', async () => {
    const r = await call(certificatesChannels.wizardCreate.name, { domain: 'arm.com', model: 'dev-device', dir });
    expect(r.ok, JSON.stringify(r)).toBe(true);
    if (!r.ok) return;
    const v = r.value as import('../../../../../shared/contract/certificates').WizardCreateSummary;
    expect(v.vendorId).toBe('fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe');
    expect(v.classId).toBe('4d131344-feab-5a2e-84a2-0dccdd905f35');
    expect(v.notAfter).toBe('2027-02-20T12:00:00.000Z');
    expect(v.certificateSource).toBe('generated');
    expect(v.files.map((f) => f.slice(dir.length))).toEqual([
      '/.update-certificates/default.der',
      '/.update-certificates/default.key.pem',
      '/.manifest_tool.json',
      '/update_default_resources.c',
    ]);
    expect(v.warnings).toHaveLength(2);
    expect((await stat(join(dir, '.update-certificates/default.key.pem'))).mode & 0o777).toBe(0o600);
    expect(await readFile(join(dir, 'update_default_resources.c'), 'utf8')).toBe(v.cFileText);
    const der = await readFile(join(dir, '.update-certificates/default.der'));
    const parsed = parseCSymbols(v.cFileText);
    expect(parsed.ok && Buffer.from(parsed.value.get('arm_uc_default_certificate')!.value).equals(der)).toBe(true);
    const fp = (await run('openssl', ['x509', '-inform', 'DER', '-in', join(dir, '.update-certificates/default.der'), '-noout', '-fingerprint', '-sha256']))
      .stdout;
    expect(v.fingerprint).toBe(fp.split('=')[1]!.trim().replace(/:/g, '').toLowerCase());
    const settings = await core.services.settings.get();
    expect(settings.ok && settings.value.wizardPreset).toEqual({ domain: 'arm.com', model: 'dev-device' });
  });

  it('reuses the certificate and keeps the C file on a re-run, and replaces both with force', async () => {
    const pki = core.services.pki;
    const first = await pki.create({ domain: 'arm.com', model: 'dev-device', dir });
    const cBefore = await readFile(join(dir, 'update_default_resources.c'));
    const again = await pki.create({ domain: 'arm.com', model: 'other-model', dir, days: 5000 });
    expect(again.ok && again.value.certificateSource).toBe('reused');
    expect(again.ok && again.value.fingerprint).toBe(first.ok && first.value.fingerprint);
    expect(again.ok && again.value.warnings).toContain('update_default_resources.c already exists, not overwriting. Use --force to write anyway.');
    expect(again.ok && again.value.files.map((f) => f.slice(dir.length))).toEqual(['/.manifest_tool.json']);
    expect(await readFile(join(dir, 'update_default_resources.c'))).toEqual(cBefore);
    expect(JSON.parse(await readFile(join(dir, '.manifest_tool.json'), 'utf8')).modelName).toBe('other-model');

    const forced = await pki.create({ domain: 'arm.com', model: 'dev-device', dir, force: true, days: 4000 });
    expect(forced.ok && forced.value.certificateSource).toBe('generated');
    expect(forced.ok && forced.value.fingerprint).not.toBe(first.ok && first.value.fingerprint);
    expect(forced.ok && forced.value.warnings).toEqual(['This certificate is self-signed and is for testing only: it is not suitable for production use.']);
    expect(await readFile(join(dir, 'update_default_resources.c'))).not.toEqual(cBefore);
  });

  it('imports a given certificate and key, and writes UUID inputs with null names', async () => {
    const other = join(root, 'other');
    await core.services.pki.create({ domain: 'arm.com', model: 'dev-device', dir: other });
    const r = await core.services.pki.create({
      vendorId: 'fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe',
      classId: '4d131344-feab-5a2e-84a2-0dccdd905f35',
      dir,
      certificatePath: join(other, '.update-certificates/default.der'),
      keyPath: join(other, '.update-certificates/default.key.pem'),
    });
    expect(r.ok && r.value.certificateSource).toBe('imported');
    expect(await readFile(join(dir, '.update-certificates/default.der'))).toEqual(await readFile(join(other, '.update-certificates/default.der')));
    const json = JSON.parse(await readFile(join(dir, '.manifest_tool.json'), 'utf8'));
    expect([json.vendorDomain, json.modelName]).toEqual([null, null]);
  });

  it.each([
    [{ domain: 'arm', model: 'm' }, 'invalid-input', '"arm" is not a valid domain name.'],
    [{ domain: 'arm.com', model: 'm', days: 'abc' }, 'invalid-input', 'days must be a positive whole number of days (got "abc")'],
    [{ vendorId: 'fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe', classId: '4d131344-feab-5a2e-84a2-0dccdd905f35' }, 'invalid-input', /subject would be empty/],
    [{ domain: 'arm.com', model: 'm', certificatePath: '/nonexistent.der' }, 'invalid-input', /-c and -k go together/],
    [
      { domain: 'arm.com', model: 'm', certificatePath: '/nonexistent.der', keyPath: '/nonexistent.pem' },
      'certificate-unreadable',
      /cannot read the certificate \/nonexistent.der/,
    ],
  ])('refuses %j and writes nothing', async (input, code, message) => {
    const r = await core.services.pki.create({ ...input, dir });
    expect(r).toMatchObject({ ok: false, code, message });
    expect(await listing(dir)).toEqual({ missing: 'yes' });
  });

  it('refuses an existing pair that does not match, pointing at --force', async () => {
    await core.services.pki.create({ domain: 'arm.com', model: 'm', dir });
    const other = join(root, 'other');
    await core.services.pki.create({ domain: 'arm.com', model: 'm', dir: other });
    await writeFile(join(dir, '.update-certificates/default.key.pem'), await readFile(join(other, '.update-certificates/default.key.pem')));
    const before = await listing(dir);
    const r = await core.services.pki.create({ domain: 'arm.com', model: 'm', dir });
    expect(r).toMatchObject({ ok: false, code: 'key-mismatch', message: expect.stringMatching(/--force/) });
    expect(await listing(dir)).toEqual(before);
  });

  it('leaves the folder as it was when writing fails halfway', async () => {
    await mkdir(dir);
    await writeFile(join(dir, '.manifest_tool.json'), '{"deviceURNs": ["urn:dev:ops:1"]}');
    const before = await listing(dir);
    let n = 0;
    const pki = createPkiService({
      home: root,
      clock: () => NOW,
      log: silentLogger,
      fsOps: { rename: (async (a: string, b: string) => (++n === 4 ? Promise.reject(new Error('EIO')) : rename(a, b))) as typeof rename },
    });
    const r = await pki.create({ domain: 'arm.com', model: 'm', dir });
    expect(r).toMatchObject({ ok: false, code: 'target-not-writable', message: expect.stringMatching(/EIO; nothing was changed/) });
    expect(await listing(dir)).toEqual(before);
    // and on success, the old tool's device URNs are kept
    const ok = await createPkiService({ home: root, clock: () => NOW, log: silentLogger }).create({ domain: 'arm.com', model: 'm', dir });
    expect(ok.ok).toBe(true);
    expect(JSON.parse(await readFile(join(dir, '.manifest_tool.json'), 'utf8')).deviceURNs).toEqual(['urn:dev:ops:1']);
  });
});

describe('pki service: preview and default folder', () => {
  it('previews IDs, expiry, warnings and field errors live', async () => {
    const r = await call(certificatesChannels.wizardPreview.name, { domain: 'arm.com', model: 'dev-device', country: 'gb', days: '3650' });
    expect(r).toEqual({
      ok: true,
      value: {
        valid: true,
        vendorId: 'fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe',
        classId: '4d131344-feab-5a2e-84a2-0dccdd905f35',
        subject: 'C=GB, CN=arm.com',
        days: 3650,
        notAfter: '2036-11-19T12:00:00.000Z',
        fieldErrors: {},
        warnings: ['This certificate is self-signed and is for testing only: it is not suitable for production use.'],
      },
    });
    const bad = await call(certificatesChannels.wizardPreview.name, { domain: 'arm..com', model: 'dev-device', days: '0' });
    expect(bad.ok && bad.value).toMatchObject({
      valid: false,
      fieldErrors: { domain: '"arm..com" is not a valid domain name.', days: expect.stringMatching(/^days must/) },
    });
    expect(bad.ok && 'vendorId' in (bad.value as object)).toBe(false);
  });

  it('checks an existing certificate and key as create does, naming the field at fault', async () => {
    const other = join(root, 'other');
    const made = await core.services.pki.create({ domain: 'arm.com', model: 'm', commonName: 'existing.example', dir: other });
    expect(made.ok).toBe(true);
    const certificatePath = join(other, '.update-certificates/default.der');
    const keyPath = join(other, '.update-certificates/default.key.pem');
    const good = await call(certificatesChannels.wizardPreview.name, { domain: 'arm.com', model: 'm', certificatePath, keyPath });
    expect(good).toMatchObject({
      ok: true,
      value: { valid: true, fieldErrors: {}, subject: 'CN=existing.example', certificate: { subject: 'CN=existing.example', keyType: 'EC P-256' } },
    });
    expect(good.ok && (good.value as { notAfter?: string }).notAfter).toBe(made.ok && made.value.notAfter);

    const third = join(root, 'third');
    await core.services.pki.create({ domain: 'arm.com', model: 'm', dir: third });
    const cases: Array<[Record<string, string>, string, RegExp]> = [
      [{ certificatePath, keyPath: join(third, '.update-certificates/default.key.pem') }, 'keyPath', /is not the private key of/],
      [{ certificatePath: join(root, 'missing.der'), keyPath }, 'certificatePath', /cannot read the certificate .*missing\.der: no such file$/],
      [{ certificatePath: keyPath, keyPath }, 'certificatePath', /is not an X\.509 certificate/],
      [{ certificatePath, keyPath: certificatePath }, 'keyPath', /is not a private key/],
      [{ certificatePath: 'relative.der', keyPath }, 'certificatePath', /must be absolute/],
      [{ certificatePath }, 'keyPath', /needed with the other/],
    ];
    for (const [pair, field, message] of cases) {
      const r = await core.services.pki.preview({ domain: 'arm.com', model: 'm', ...pair });
      expect(r.ok && r.value.valid, JSON.stringify(pair)).toBe(false);
      expect(r.ok && r.value.fieldErrors[field as 'keyPath'], JSON.stringify(pair)).toMatch(message);
      expect(r.ok && r.value.certificate).toBeUndefined();
    }
    // create refuses the same pair with the same field, and writes nothing.
    const refused = await core.services.pki.create({
      domain: 'arm.com',
      model: 'm',
      dir,
      certificatePath,
      keyPath: join(third, '.update-certificates/default.key.pem'),
    });
    expect(refused).toMatchObject({ ok: false, code: 'key-mismatch', details: { fieldErrors: { keyPath: expect.stringMatching(/is not the private key/) } } });
    expect(await listing(dir)).toEqual({ missing: 'yes' });
  });

  it('suggests ~/update-certificates/<model> and says what is there', async () => {
    const r = await call(certificatesChannels.wizardDefaultDir.name, { model: 'dev device/2' });
    expect(r).toEqual({
      ok: true,
      value: {
        dir: join(root, 'update-certificates', 'dev-device-2'),
        folder: { dir: join(root, 'update-certificates', 'dev-device-2'), exists: false, hasCertificate: false, hasCFile: false },
      },
    });
    await core.services.pki.create({ domain: 'arm.com', model: 'm', dir });
    const p = await call(certificatesChannels.wizardPreview.name, { domain: 'arm.com', model: 'm', dir });
    expect(p.ok && (p.value as { folder: unknown }).folder).toEqual({ dir, exists: true, hasCertificate: true, hasCFile: true });
  });

  it('has a handler for every wizard channel', () => {
    const unrouted = core.router.unrouted();
    for (const c of Object.values(certificatesChannels)) expect(unrouted).not.toContain(c.name);
  });
});

describe('pki service: odd folders', () => {
  it('answers a clear failure, not an internal error, when the certificate path is a folder', async () => {
    await mkdir(join(dir, '.update-certificates/default.der'), { recursive: true });
    await writeFile(join(dir, '.update-certificates/default.key.pem'), 'x');
    const r = await core.services.pki.create({ domain: 'arm.com', model: 'm', dir });
    expect(r).toMatchObject({
      ok: false,
      code: 'target-not-writable',
      message: `cannot read ${join(dir, '.update-certificates/default.der')}: it is a folder, not a file: move it away, then try again`,
    });
  });

  it('with force, names the folder in the way and leaves everything as it was', async () => {
    await mkdir(join(dir, '.update-certificates/default.der'), { recursive: true });
    const before = await listing(dir);
    const r = await core.services.pki.create({ domain: 'arm.com', model: 'm', dir, force: true });
    expect(r).toMatchObject({ ok: false, code: 'target-not-writable' });
    if (r.ok) return;
    expect(r.message).toContain(`${join(dir, '.update-certificates/default.der')} exists and is not a regular file: move it away first`);
    expect(r.message).toContain('nothing was changed');
    expect(await listing(dir)).toEqual(before);
  });

  it('ends with a clear failure, instead of waiting for a writer, when a file it reads in the folder is a named pipe', async () => {
    await mkdir(dir, { recursive: true });
    await run('mkfifo', [join(dir, '.manifest_tool.json')]);
    const r = await core.services.pki.create({ domain: 'arm.com', model: 'm', dir });
    expect(r).toMatchObject({ ok: false, message: expect.stringContaining('.manifest_tool.json') });
  }, 3_000);
});

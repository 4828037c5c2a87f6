import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/** The built CLI, run as a user would: `node bin/pws.cjs init ...` with its own HOME and data folder. */
const run = promisify(execFile);
const repo = resolve(import.meta.dirname, '../../..');
let root: string;

beforeAll(async () => {
  await run(process.execPath, ['scripts/build.mjs', 'node'], { cwd: repo });
  root = await mkdtemp(join(tmpdir(), 'pws-init-it-'));
}, 120_000);
afterAll(() => rm(root, { recursive: true, force: true }));

async function pws(args: string[], cwd = root): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const r = await run(process.execPath, [join(repo, 'bin/pws.cjs'), ...args], {
      cwd,
      env: { PATH: process.env.PATH, HOME: root, PWS_DATA_DIR: join(root, 'data') },
    });
    return { code: 0, stdout: r.stdout, stderr: r.stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

async function listing(at: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const e of await readdir(at, { recursive: true, withFileTypes: true })) {
    const p = join(e.parentPath, e.name);
    out[p.slice(at.length)] = e.isFile() ? (await readFile(p)).toString('base64') : 'dir';
  }
  return out;
}

const FILES = [
  '/.manifest_tool.json',
  '/.update-certificates',
  '/.update-certificates/default.der',
  '/.update-certificates/default.key.pem',
  '/update_default_resources.c',
];
const fingerprint = async (der: string) =>
  (await run('openssl', ['x509', '-inform', 'DER', '-in', der, '-noout', '-fingerprint', '-sha256'])).stdout
    .split('=')[1]!
    .trim()
    .replace(/:/g, '')
    .toLowerCase();

describe('pws init (built CLI)', () => {
  it('-q -d arm.com -m dev-device --dir D writes the four files, key 0600, warnings on stderr only', async () => {
    const d = join(root, 'd');
    const r = await pws(['init', '-q', '-d', 'arm.com', '-m', 'dev-device', '--dir', d]);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe('');
    expect(r.stderr.split('\n').filter(Boolean)).toEqual([
      'pws: warning: This certificate is self-signed and is for testing only: it is not suitable for production use.',
      'pws: warning: This certificate is valid for only 90 days. Production should use at least 10 years (3650 days): a device whose update certificate has expired can no longer be updated.',
    ]);
    expect(Object.keys(await listing(d)).sort()).toEqual(FILES);
    expect((await stat(join(d, '.update-certificates/default.key.pem'))).mode & 0o777).toBe(0o600);
    const json = JSON.parse(await readFile(join(d, '.manifest_tool.json'), 'utf8'));
    expect(json).toMatchObject({ vendorId: 'fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe', classId: '4d131344-feab-5a2e-84a2-0dccdd905f35' });
    const text = (await run('openssl', ['x509', '-inform', 'DER', '-in', join(d, '.update-certificates/default.der'), '-noout', '-subject'])).stdout;
    expect(text.trim()).toBe('subject=CN = arm.com');
  });

  it('--json prints exactly { vendorId, classId, fingerprint, notAfter, files }, into the current folder by default', async () => {
    const cwd = join(root, 'cwd');
    await mkdir(cwd);
    const r = await pws(['init', '-q', '-d', 'arm.com', '-m', 'dev-device', '--days', '3650', '--json'], cwd);
    expect(r.code, r.stderr).toBe(0);
    const doc = JSON.parse(r.stdout);
    expect(Object.keys(doc)).toEqual(['vendorId', 'classId', 'fingerprint', 'notAfter', 'files']);
    expect(doc.fingerprint).toBe(await fingerprint(join(cwd, '.update-certificates/default.der')));
    expect(doc.files).toEqual([
      join(cwd, '.update-certificates/default.der'),
      join(cwd, '.update-certificates/default.key.pem'),
      join(cwd, '.manifest_tool.json'),
      join(cwd, 'update_default_resources.c'),
    ]);
    expect(r.stderr).not.toContain('valid for only');
  });

  it('-c cert.der -k key.pem imports an existing pair', async () => {
    const src = join(root, 'd/.update-certificates');
    const e = join(root, 'e');
    const r = await pws([
      'init',
      '-q',
      '-d',
      'arm.com',
      '-m',
      'dev-device',
      '-c',
      join(src, 'default.der'),
      '-k',
      join(src, 'default.key.pem'),
      '--dir',
      e,
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout).fingerprint).toBe(await fingerprint(join(src, 'default.der')));
    expect(await readFile(join(e, '.update-certificates/default.der'))).toEqual(await readFile(join(src, 'default.der')));
  });

  it('-V/-C take the IDs as UUIDs and write null names', async () => {
    const u = join(root, 'uuids');
    const r = await pws([
      'init',
      '-q',
      '-V',
      'FA6B4A53-D5AD-5FDF-BE9D-E663E4D41FFE',
      '-C',
      '4d131344-feab-5a2e-84a2-0dccdd905f35',
      '--common-name',
      'Example Ltd',
      '--dir',
      u,
      '--json',
    ]);
    expect(r.code, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ vendorId: 'fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe', classId: '4d131344-feab-5a2e-84a2-0dccdd905f35' });
    const json = JSON.parse(await readFile(join(u, '.manifest_tool.json'), 'utf8'));
    expect([json.vendorDomain, json.modelName]).toEqual([null, null]);
    const missing = await pws([
      'init',
      '-q',
      '-V',
      'fa6b4a53-d5ad-5fdf-be9d-e663e4d41ffe',
      '-C',
      '4d131344-feab-5a2e-84a2-0dccdd905f35',
      '--dir',
      join(root, 'uuids-2'),
    ]);
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/^pws: the certificate subject would be empty: give --common-name/);
  });

  it('a --dir that cannot be made (under /proc) is a clear error, not a process spinning for ever', async () => {
    const r = await pws(['init', '-q', '-d', 'arm.com', '-m', 'x', '--dir', '/proc/pws-no-such-folder']);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^pws: could not write into \/proc\/pws-no-such-folder: ENOENT.*; nothing was changed\n$/);
  }, 15_000);

  it('re-runs reuse the certificate and keep the C file; --force replaces both', async () => {
    const d = join(root, 'd');
    const before = await listing(d);
    const fp = await fingerprint(join(d, '.update-certificates/default.der'));
    const again = await pws(['init', '-q', '-d', 'arm.com', '-m', 'dev-device', '--dir', d, '--json']);
    expect(again.code, again.stderr).toBe(0);
    expect(JSON.parse(again.stdout)).toMatchObject({ fingerprint: fp, files: [join(d, '.manifest_tool.json')] });
    expect(again.stderr).toContain('update_default_resources.c already exists, not overwriting. Use --force to write anyway.');
    expect(await listing(d)).toEqual(before);

    const forced = await pws(['init', '-q', '-d', 'arm.com', '-m', 'dev-device', '--dir', d, '-f', '--json']);
    expect(forced.code, forced.stderr).toBe(0);
    expect(JSON.parse(forced.stdout).fingerprint).not.toBe(fp);
    const after = await listing(d);
    expect(after['/update_default_resources.c']).not.toBe(before['/update_default_resources.c']);
    expect(after['/.update-certificates/default.der']).not.toBe(before['/.update-certificates/default.der']);
  });

  describe('bad input: exit 1, one clear line, nothing written', () => {
    const bad: Array<[string, () => string[], RegExp]> = [
      ['domain arm', () => ['-d', 'arm', '-m', 'm'], /^pws: "arm" is not a valid domain name\.$/],
      ['domain arm..com', () => ['-d', 'arm..com', '-m', 'm'], /^pws: "arm\.\.com" is not a valid domain name\.$/],
      ['empty domain', () => ['-d', '', '-m', 'm'], /^pws: "" is not a valid domain name\.$/],
      ['days 0', () => ['-d', 'arm.com', '-m', 'm', '--days', '0'], /^pws: days must be a positive whole number of days \(got "0"\)$/],
      ['days -5', () => ['-d', 'arm.com', '-m', 'm', '--days=-5'], /^pws: days must be a positive whole number of days \(got "-5"\)$/],
      ['days abc', () => ['-d', 'arm.com', '-m', 'm', '--days', 'abc'], /^pws: days must be a positive whole number of days \(got "abc"\)$/],
      [
        'mismatched key',
        () => [
          '-d',
          'arm.com',
          '-m',
          'm',
          '-c',
          join(root, 'd/.update-certificates/default.der'),
          '-k',
          join(root, 'cwd/.update-certificates/default.key.pem'),
        ],
        /^pws: .*default\.key\.pem is not the private key of .*default\.der: give the key that belongs to this certificate$/,
      ],
      [
        'a device as the certificate',
        () => ['-d', 'arm.com', '-m', 'm', '-c', '/dev/zero', '-k', join(root, 'cwd/.update-certificates/default.key.pem')],
        /^pws: cannot read the certificate \/dev\/zero: it is a device, not a file: choose the file itself$/,
      ],
      [
        'RSA certificate',
        () => ['-d', 'arm.com', '-m', 'm', '-c', join(root, 'rsa/cert.der'), '-k', join(root, 'rsa/key.pem')],
        /^pws: .*cert\.der holds an RSA 2048 key: update certificates must use EC P-256/,
      ],
    ];

    beforeAll(async () => {
      await mkdir(join(root, 'rsa'), { recursive: true });
      await run('openssl', [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-keyout',
        join(root, 'rsa/key.pem'),
        '-out',
        join(root, 'rsa/cert.der'),
        '-outform',
        'DER',
        '-subj',
        '/CN=rsa.example',
        '-days',
        '30',
      ]);
    });

    it.each(bad)('%s', async (_name, args, message) => {
      for (const target of ['bad-empty', 'bad-existing']) {
        const dir = join(root, target);
        if (target === 'bad-existing') {
          await mkdir(dir, { recursive: true });
          await run(process.execPath, [join(repo, 'bin/pws.cjs'), 'init', '-q', '-d', 'example.com', '-m', 'x', '--dir', dir], {
            env: { PATH: process.env.PATH, HOME: root, PWS_DATA_DIR: join(root, 'data') },
          }).catch(() => undefined);
        } else await mkdir(dir, { recursive: true });
        const before = await listing(dir);
        const r = await pws(['init', '-q', ...args(), '-f', '--dir', dir]);
        expect(r.code).toBe(1);
        expect(r.stdout).toBe('');
        const lines = r.stderr.split('\n').filter(Boolean);
        expect(lines).toHaveLength(1);
        expect(lines[0]).toMatch(message);
        expect(await listing(dir)).toEqual(before);
      }
    });
  });
});

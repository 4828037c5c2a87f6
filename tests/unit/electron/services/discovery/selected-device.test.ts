import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { pythonJsonDumps, readSelectedDevice, writeSelectedDevice } from '../../../../../electron/services/discovery/selected-device';

describe('~/.mbl-dev.json', () => {
  let home: string;
  beforeEach(async () => {
    home = await mkdtemp(join(tmpdir(), 'pws-home-'));
  });
  afterEach(() => rm(home, { recursive: true, force: true }));

  it("writes mbl-cli's exact bytes (Python json.dumps: ', ' and ': ', no newline)", async () => {
    const r = await writeSelectedDevice(home, { hostname: 'mbed-linux-os-2833', address: 'fe80::4f3a:cbef:fe12:54d6%enx7c8bca12130a' });
    expect(r.ok).toBe(true);
    expect(await readFile(join(home, '.mbl-dev.json'), 'utf8')).toBe(
      '{"hostname": "mbed-linux-os-2833", "address": "fe80::4f3a:cbef:fe12:54d6%enx7c8bca12130a", "username": "root", "password": ""}',
    );
  });

  it('escapes non-ASCII as Python does', () => {
    expect(pythonJsonDumps({ hostname: 'café-☃', x: 'a"b\n' })).toBe('{"hostname": "caf\\u00e9-\\u2603", "x": "a\\"b\\n"}');
  });

  it('reads it back, and a file written by mbl-cli', async () => {
    await writeFile(join(home, '.mbl-dev.json'), '{"hostname": "h", "address": "169.254.1.1", "username": "root", "password": ""}');
    expect(await readSelectedDevice(home)).toEqual({ ok: true, value: { hostname: 'h', address: '169.254.1.1', username: 'root', password: '' } });
  });

  it('says what to do when nothing is selected or the file is broken', async () => {
    expect(await readSelectedDevice(home)).toMatchObject({ ok: false, code: 'no-device-selected', message: expect.stringContaining('pws select') });
    await writeFile(join(home, '.mbl-dev.json'), '{"hostname": ');
    expect(await readSelectedDevice(home)).toMatchObject({ ok: false, code: 'selected-device-unreadable', message: expect.stringContaining('.mbl-dev.json') });
    await writeFile(join(home, '.mbl-dev.json'), '{"hostname": "x"}');
    expect(await readSelectedDevice(home)).toMatchObject({ ok: false, message: expect.stringContaining('no "address"') });
  });

  it('words the file being a folder, and names no flag of another command', async () => {
    const none = await readSelectedDevice(home);
    expect(!none.ok && none.message).toMatch(/^no device selected \(.*\.mbl-dev\.json does not exist\): run `pws select` to choose one$/);
    await mkdir(join(home, '.mbl-dev.json'));
    expect(await readSelectedDevice(home)).toMatchObject({
      ok: false,
      code: 'selected-device-unreadable',
      message: `could not read ${join(home, '.mbl-dev.json')}: it is a folder, not the file \`pws select\` writes: move it aside and run \`pws select\``,
    });
  });
});

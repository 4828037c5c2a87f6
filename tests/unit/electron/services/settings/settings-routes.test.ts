import { describe, expect, it } from 'vitest';
import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventHub } from '../../../../../electron/services/events';
import { silentLogger } from '../../../../../electron/services/log';
import { Router } from '../../../../../electron/services/router';
import { registerSettingsRoutes } from '../../../../../electron/services/settings/settings-routes';
import { createSettingsService } from '../../../../../electron/services/settings/settings-service';

describe('settings:update through the router', () => {
  it('changes only the fields the patch names, and keeps the others', async () => {
    const settings = createSettingsService({ dataDir: mkdtempSync(join(tmpdir(), 'pws-settings-')), events: new EventHub() });
    const router = new Router(silentLogger);
    registerSettingsRoutes(router, { settings });
    await router.dispatch('settings:update', { concurrency: 3, pinnedDevices: [{ address: '169.254.20.3' }] }, { door: 'test' });
    const after = await router.dispatch('settings:update', { theme: 'dark' }, { door: 'test' });
    expect(after).toMatchObject({ ok: true, value: { theme: 'dark', concurrency: 3, pinnedDevices: [{ address: '169.254.20.3' }] } });
  });
});

describe('settings:check-ssh-key through the router', () => {
  it('says whether the key can be read, and why not, with ~/ as the home folder', async () => {
    const home = mkdtempSync(join(tmpdir(), 'pws-home-'));
    mkdirSync(join(home, '.ssh'));
    writeFileSync(join(home, '.ssh', 'id_ed25519'), '-----BEGIN OPENSSH PRIVATE KEY-----\n');
    const settings = createSettingsService({ dataDir: mkdtempSync(join(tmpdir(), 'pws-settings-')), events: new EventHub(), home });
    const router = new Router(silentLogger);
    registerSettingsRoutes(router, { settings });
    const check = (path: unknown) => router.dispatch('settings:check-ssh-key', { path }, { door: 'test' });
    expect(await check('~/.ssh/id_ed25519')).toEqual({ ok: true, value: { readable: true } });
    expect(await check('~/.ssh/id_rsa')).toEqual({ ok: true, value: { readable: false, problem: 'no such file' } });
    expect(await check(join(home, '.ssh'))).toMatchObject({ ok: true, value: { readable: false, problem: expect.stringMatching(/folder/) } });
    expect(await check('')).toMatchObject({ ok: false });
  });
});

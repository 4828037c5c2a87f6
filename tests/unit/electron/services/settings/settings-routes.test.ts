import { describe, expect, it } from 'vitest';
import { mkdtempSync } from 'node:fs';
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

import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync, writeFileSync, statSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSettingsService } from '../../../../../electron/services/settings/settings-service';
import { EventHub } from '../../../../../electron/services/events';
import { SettingsSchema, settingsEvents } from '../../../../../shared/contract/settings';

const setup = () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'pws-settings-'));
  const events = new EventHub();
  return { dataDir, events, service: createSettingsService({ dataDir, events }) };
};

describe('settings service', () => {
  it('gives defaults when there is no file, without creating one', async () => {
    const { service, dataDir } = setup();
    const r = await service.get();
    expect(r).toMatchObject({ ok: true, value: { concurrency: 8, theme: 'system', pinnedDevices: [] } });
    expect(readdirSync(dataDir)).toEqual([]);
  });

  it('writes updates atomically with mode 0600, emits an event and leaves no temporary file', async () => {
    const { service, dataDir, events } = setup();
    const seen: number[] = [];
    events.on(settingsEvents.changed, (s) => seen.push(s.concurrency));
    await service.update({ concurrency: 2 });
    await service.update({ theme: 'dark' });
    const file = join(dataDir, 'settings.json');
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({ concurrency: 2, theme: 'dark' });
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(dataDir)).toEqual(['settings.json']);
    expect(seen).toEqual([2, 2]);
  });

  it('a file written before the stricter URL rules still opens, and other settings can still be changed', async () => {
    const { service, dataDir } = setup();
    const older = { apiUrl: 'http://api.example.com', database: { url: 'postgres://pws@db.lab/pws?sslmode=prefer' } };
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify(older));
    expect(await service.get()).toMatchObject({ ok: true, value: older });
    expect(await service.update({ theme: 'dark' })).toMatchObject({ ok: true, value: { ...older, theme: 'dark' } });
  });

  it('serialises concurrent updates so none is lost', async () => {
    const { service } = setup();
    await Promise.all([service.update({ concurrency: 5 }), service.update({ theme: 'light' }), service.update({ sshKeyPath: '/k' })]);
    expect(await service.get()).toMatchObject({ ok: true, value: { concurrency: 5, theme: 'light', sshKeyPath: '/k' } });
  });

  it('reports a corrupt file naming it, and never overwrites it', async () => {
    const { service, dataDir } = setup();
    const file = join(dataDir, 'settings.json');
    writeFileSync(file, '{"concurrency": ');
    const r = await service.get();
    expect(r).toMatchObject({ ok: false, code: 'settings-unreadable' });
    expect(!r.ok && r.message).toContain(file);
    const u = await service.update({ theme: 'dark' });
    expect(u.ok).toBe(false);
    expect(readFileSync(file, 'utf8')).toBe('{"concurrency": ');
  });

  it('names the field of a schema violation', async () => {
    const { service, dataDir } = setup();
    writeFileSync(join(dataDir, 'settings.json'), JSON.stringify({ concurrency: 999 }));
    const r = await service.get();
    expect(!r.ok && r.message).toMatch(/"concurrency"/);
  });

  it('merges a database patch into the database settings, and refuses a URL that holds a password', async () => {
    const { service } = setup();
    await service.update({ database: { url: 'postgres://pws@db.example/pws', migrateOnStart: true } });
    await service.update({ database: { migrateConsent: 'given' } });
    expect(await service.get()).toMatchObject({
      ok: true,
      value: { database: { url: 'postgres://pws@db.example/pws', migrateOnStart: true, migrateConsent: 'given' } },
    });
    expect(() => SettingsSchema.parse({ database: { url: 'postgres://pws:hunter2@db.example/pws' } })).toThrow(/must not hold the password/);
  });
});

import { describe, it, expect, vi } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCore, defaultCoreDeps } from '../../../../electron/services/composition';
import { allChannels, allEvents } from '../../../../shared/contract/index';

describe('composition root', () => {
  it('routes every channel of the contract to a handler', async () => {
    const home = mkdtempSync(join(tmpdir(), 'pws-core-'));
    const core = createCore(defaultCoreDeps({ home, dataDir: join(home, 'data'), env: {} }));
    expect(core.router.unrouted()).toEqual([]);
    expect(core.router.handlers.size).toBe(allChannels.length);
    await core.close();
  });

  it('names channels and events `feature:verb`, each once', () => {
    const names = [...allChannels.map((c) => c.name), ...allEvents.map((e) => e.name)];
    for (const n of names) expect(n).toMatch(/^[a-z]+:[a-z-]+$/);
    expect(new Set(names).size).toBe(names.length);
  });

  it('closes runs before discovery, once, however often close() is called', async () => {
    const home = mkdtempSync(join(tmpdir(), 'pws-core-'));
    const core = createCore(defaultCoreDeps({ home, dataDir: join(home, 'data'), env: {} }));
    const closed: string[] = [];
    const { provisioning, discovery } = core.services;
    vi.spyOn(provisioning, 'close').mockImplementation(async () => void closed.push('provisioning'));
    vi.spyOn(discovery, 'stop').mockImplementation(async () => void closed.push('discovery'));
    await Promise.all([core.close(), core.close()]);
    await core.close();
    expect(closed).toEqual(['provisioning', 'discovery']);
  });
});

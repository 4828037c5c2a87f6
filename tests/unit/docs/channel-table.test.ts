import { describe, it, expect } from 'vitest';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { createCore, defaultCoreDeps } from '../../../electron/services/composition';
import { Router } from '../../../electron/services/router';
import { silentLogger } from '../../../electron/services/log';
import { allChannels } from '../../../shared/contract/index';

/** docs/architecture.md, "Where a channel is handled": one hop from a channel to its service and routes file. */
const repo = resolve(import.meta.dirname, '../../..');
const doc = readFileSync(join(repo, 'docs/architecture.md'), 'utf8');
const section = doc.slice(doc.indexOf('### Where a channel is handled'));
const rows = [...section.matchAll(/^\| `([a-z]+:[a-z*-]+)` \| `([A-Za-z]+)`[^|]* \| `([^`]+)` \|$/gm)].map(([, pattern, service, file]) => ({
  pattern: pattern!,
  service: service!,
  file: file!,
}));

const matches = (pattern: string, name: string) => (pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern);
/** The most specific row: an exact name, else the longest prefix. */
const rowFor = (name: string) => rows.filter((r) => matches(r.pattern, name)).sort((a, b) => b.pattern.length - a.pattern.length)[0];

describe('the channel table in docs/architecture.md', () => {
  it('sends every channel to a service of the core and to the routes file that registers it', async () => {
    expect(rows.length).toBeGreaterThan(5);
    const home = mkdtempSync(join(tmpdir(), 'pws-table-'));
    const core = createCore(defaultCoreDeps({ home, dataDir: join(home, 'data'), env: {} }));
    try {
      const routedBy = new Map<string, Set<string>>();
      for (const file of new Set(rows.map((r) => r.file))) {
        const module = (await import(join(repo, file))) as Record<string, unknown>;
        const registrars = Object.entries(module).filter(([k, v]) => k.startsWith('register') && typeof v === 'function');
        expect(registrars, `${file} exports one registrar`).toHaveLength(1);
        const router = new Router(silentLogger);
        (registrars[0]![1] as (r: Router, s: typeof core.services) => void)(router, core.services);
        routedBy.set(file, new Set(router.handlers.keys()));
      }
      for (const c of allChannels) {
        const row = rowFor(c.name);
        expect(row, `${c.name} has a row`).toBeDefined();
        expect(core.services, `${c.name}: service ${row!.service}`).toHaveProperty(row!.service);
        expect(routedBy.get(row!.file)?.has(c.name), `${c.name} is registered by ${row!.file}`).toBe(true);
      }
    } finally {
      await core.close();
    }
  });
});

import { describe, it, expect, beforeAll } from 'vitest';
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';

/**
 * The layer rules in .oxlintrc.json, proved on tests/fixtures/lint: a small tree shaped like this repository
 * whose files break one rule each (and a few that break none). The fixtures are linted with the real config, in a
 * copy where they sit at the paths the rules name; the normal lint run ignores them.
 */
const ROOT = resolve(import.meta.dirname, '../../..');
const OXLINT = join(ROOT, 'node_modules/.bin/oxlint');

const CYCLE = 'import(no-cycle)';
const LAYER = 'eslint(no-restricted-imports)';

/** Every fixture file and the rule it must break (undefined: it must pass). */
const EXPECTED: Record<string, string | undefined> = {
  'shared/top-level.ts': LAYER,
  'shared/contract/leaves-shared.ts': LAYER,
  'shared/domain/deeper/leaves-shared.ts': LAYER,
  'shared/domain/node-builtin.ts': LAYER,
  'shared/domain/npm-package.ts': LAYER,
  'shared/domain/cycle-a.ts': CYCLE,
  'shared/domain/cycle-b.ts': CYCLE,
  'shared/contract/allowed.ts': undefined,
  'shared/domain/allowed-too.ts': undefined,
  'renderer/app/imports-core.ts': LAYER,
  'renderer/features/some-feature/imports-main.ts': LAYER,
  'renderer/transport/imports-electron.ts': LAYER,
  'renderer/app/allowed.ts': undefined,
  'renderer/features/alpha/imports-other-feature.ts': LAYER,
  'renderer/features/alpha/imports-other-feature-long-way.ts': LAYER,
  'renderer/features/alpha/imports-app-shell.ts': LAYER,
  'renderer/transport/imports-app.ts': LAYER,
  'renderer/app/cycle-a.ts': CYCLE,
  'renderer/app/cycle-b.ts': CYCLE,
  'renderer/features/beta/beta.ts': undefined,
  'renderer/app/kit.ts': undefined,
  'renderer/app/screens.ts': undefined,
  'electron/services/imports-electron.ts': LAYER,
  'electron/services/imports-host.ts': LAYER,
  'electron/services/feature/imports-cli.ts': LAYER,
  'electron/services/feature/imports-main.ts': LAYER,
  'electron/services/cycle-a.ts': CYCLE,
  'electron/services/cycle-b.ts': CYCLE,
  'electron/services/feature/allowed.ts': undefined,
  'electron/main/allowed-door.ts': undefined,
  'electron/main/imports-host.ts': LAYER,
  'electron/host/imports-main.ts': LAYER,
  'electron/cli/imports-main.ts': LAYER,
  'electron/renderer-page/imports-services.ts': LAYER,
  'electron/main/allowed-page.ts': undefined,
  'electron/host/allowed-page.ts': undefined,
};

let found: Map<string, string[]>;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'pws-lint-'));
  cpSync(join(ROOT, 'tests/fixtures/lint'), dir, { recursive: true });
  cpSync(join(ROOT, '.oxlintrc.json'), join(dir, '.oxlintrc.json'));
  // oxlint exits 1 when it finds errors, which is the point here.
  const out = await promisify(execFile)(OXLINT, ['-c', '.oxlintrc.json', '-f', 'json', '.'], { cwd: dir }).catch((err: { stdout?: string }) => ({
    stdout: err.stdout ?? '',
  }));
  const { diagnostics } = JSON.parse(out.stdout) as { diagnostics: Array<{ filename: string; code: string; severity: string }> };
  found = new Map();
  for (const d of diagnostics) {
    expect(d.severity, `${d.filename}: ${d.code}`).toBe('error');
    found.set(d.filename, [...(found.get(d.filename) ?? []), d.code]);
  }
});

describe('layer rules (npm run lint)', () => {
  it.each(Object.entries(EXPECTED).filter(([, rule]) => rule))('%s fails with %s', (file, rule) => {
    expect(found.get(file)).toEqual([rule]);
  });

  it('allows what the layers allow: zod and shared/ from shared/, shared/ from the renderer and the core, services and the renderer page from a door, renderer/app from a feature', () => {
    const allowed = Object.entries(EXPECTED)
      .filter(([, rule]) => !rule)
      .map(([file]) => file);
    expect(allowed.filter((file) => found.has(file))).toEqual([]);
  });

  it('reports nothing else', () => {
    expect([...found.keys()].filter((file) => !(file in EXPECTED))).toEqual([]);
  });
});

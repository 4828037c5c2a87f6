/**
 * The renderer's import rules in .oxlintrc.json, proven on the fixtures in tests/fixtures/lint/renderer: each
 * refused fixture must fail the lint with its rule, each allowed one must pass. They are linted with the real
 * config in a copy where they sit at the paths the rules name; the normal lint run ignores them.
 */
import { describe, it, expect, beforeAll, afterAll } from 'vitest';
import { spawnSync } from 'node:child_process';
import { copyFileSync, cpSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '../../..');
let dir: string;
let exitCode: number | null;
const found = new Map<string, string[]>();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'pws-lint-renderer-'));
  cpSync(join(root, 'tests/fixtures/lint'), dir, { recursive: true });
  copyFileSync(join(root, '.oxlintrc.json'), join(dir, '.oxlintrc.json'));
  const run = spawnSync(join(root, 'node_modules/.bin/oxlint'), ['-c', '.oxlintrc.json', '-f', 'json', 'renderer'], { cwd: dir, encoding: 'utf8' });
  exitCode = run.status;
  const report = JSON.parse(run.stdout) as { diagnostics: Array<{ code: string; filename: string }> };
  for (const d of report.diagnostics) found.set(d.filename, [...(found.get(d.filename) ?? []), d.code]);
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('renderer import rules', () => {
  it('fails the lint when a fixture breaks a rule', () => {
    expect(exitCode).not.toBe(0);
  });

  it.each([
    ['a feature importing another feature (both path forms)', 'renderer/features/alpha/imports-other-feature.ts', ['eslint(no-restricted-imports)', 'eslint(no-restricted-imports)']],
    ['a feature importing the app shell', 'renderer/features/alpha/imports-app-shell.ts', ['eslint(no-restricted-imports)']],
    ['a feature importing electron/', 'renderer/features/alpha/imports-electron.ts', ['eslint(no-restricted-imports)']],
    ['the transport importing renderer/app', 'renderer/transport/imports-app.ts', ['eslint(no-restricted-imports)']],
    ['an import cycle, even through a type-only import', 'renderer/app/cycle-a.ts', ['import(no-cycle)']],
  ])('refuses %s', (_what, file, codes) => {
    expect(found.get(file)).toEqual(codes);
  });

  it('allows a feature to import renderer/app', () => {
    expect(found.get('renderer/features/beta/beta.ts')).toBeUndefined();
    expect(found.get('renderer/app/kit.ts')).toBeUndefined();
  });
});

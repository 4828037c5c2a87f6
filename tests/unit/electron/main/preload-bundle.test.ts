import { describe, it, expect, beforeAll } from 'vitest';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { allChannels, eventNames } from '../../../../shared/contract/index';
import { FakeContextBridge, FakeIpcRenderer } from './electron-fakes';

// The BUILT preload (dist/main/preload.cjs), as Electron's sandboxed preload environment would load it.
const BUNDLE = 'dist/main/preload.cjs';
const SOURCES = [
  'electron/main/preload.ts',
  'scripts/build.mjs',
  'scripts/preload-contract-names.mjs',
  ...readdirSync('shared/contract').map((f) => `shared/contract/${f}`),
];
let code: string;

beforeAll(() => {
  const stale = existsSync(BUNDLE) ? SOURCES.filter((source) => statSync(source).mtimeMs > statSync(BUNDLE).mtimeMs) : SOURCES;
  if (stale.length > 0) throw new Error(`${BUNDLE} is missing or older than ${stale.join(', ')}: run \`npm run build\` first`);
  code = readFileSync(BUNDLE, 'utf8');
});

describe('the preload bundle', () => {
  it('is small: the contract’s names only, no zod', () => {
    expect(Buffer.byteLength(code)).toBeLessThan(50 * 1024);
    expect(code).not.toMatch(/\bzod\b|ZodType|safeParse/);
  });

  it('requires only electron', () => {
    const required = [...code.matchAll(/\brequire\(\s*["'`]([^"'`]+)["'`]\s*\)/g)].map((m) => m[1]);
    expect(new Set(required)).toEqual(new Set(['electron']));
  });

  it('has no source-map comment (the package carries no maps)', () => {
    expect(code).not.toMatch(/sourceMappingURL/);
  });

  it('runs with nothing but require("electron") and exposes every contract channel and event', () => {
    const bridge = new FakeContextBridge();
    const ipcRenderer = new FakeIpcRenderer();
    const onlyElectron = (name: string) => {
      if (name !== 'electron') throw new Error(`the sandboxed preload can't require ${name}`);
      return { contextBridge: bridge, ipcRenderer };
    };
    const module = { exports: {} };
    new Function('require', 'module', 'exports', code)(onlyElectron, module, module.exports);

    const exposed = bridge.exposed.get('pws') as { calls: Record<string, unknown>; subscribe: (e: string, cb: () => void) => () => void };
    expect(Object.keys(exposed.calls).sort()).toEqual(allChannels.map((c) => c.name).sort());
    for (const name of eventNames) expect(() => exposed.subscribe(name, () => {})()).not.toThrow();
    expect(() => exposed.subscribe('not:an-event', () => {})).toThrow(/not an event/);
  });
});

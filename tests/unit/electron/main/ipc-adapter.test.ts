import { describe, it, expect, vi, beforeEach } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { allChannels } from '../../../../shared/contract/index';
import { createCore, defaultCoreDeps, type Core } from '../../../../electron/services/composition';
import { FakeIpcMain } from './electron-fakes';

// The adapter imports only types from electron; the mock proves it needs nothing at run time.
vi.mock('electron', () => ({}));
const { registerIpc, isOwnRenderer } = await import('../../../../electron/main/ipc-adapter');

const OWN = 'app://renderer/index.html';
let ipc: FakeIpcMain;
let core: Core;

beforeEach(() => {
  const home = mkdtempSync(join(tmpdir(), 'pws-ipc-'));
  core = createCore(defaultCoreDeps({ home, dataDir: join(home, 'data'), env: {} }));
  ipc = new FakeIpcMain();
  registerIpc(ipc, core);
});

describe('IPC adapter', () => {
  it('registers a handler for every contract channel and nothing else', () => {
    expect([...ipc.handlers.keys()].sort()).toEqual(allChannels.map((c) => c.name).sort());
  });

  it('answers our own page', async () => {
    const r = (await ipc.invokeFrom(OWN, 'settings:get', {})) as { ok: boolean };
    expect(r.ok).toBe(true);
  });

  it.each([
    ['a remote page', 'https://evil.example/'],
    ['a file URL', 'file:///tmp/x.html'],
    ['a look-alike host', 'app://renderer.evil/index.html'],
    ['a missing URL', ''],
  ])('refuses a foreign sender: %s', async (_label, url) => {
    const r = (await ipc.invokeFrom(url, 'settings:get', {})) as { ok: boolean; code: string };
    expect(r).toMatchObject({ ok: false, code: 'forbidden-sender' });
  });

  it('refuses our own origin inside a sub-frame', async () => {
    const r = (await ipc.invokeFrom(OWN, 'settings:get', {}, { url: OWN })) as { code: string };
    expect(r.code).toBe('forbidden-sender');
  });

  it('refuses bad arguments with a structured invalid-request naming the field', async () => {
    const r = (await ipc.invokeFrom(OWN, 'settings:update', { concurrency: 'lots' })) as { ok: boolean; code: string; message: string };
    expect(r).toMatchObject({ ok: false, code: 'invalid-request' });
    expect(r.message).toContain('concurrency');
    const extra = (await ipc.invokeFrom(OWN, 'settings:update', { notASetting: 1 })) as { code: string };
    expect(extra.code).toBe('invalid-request');
  });

  it('recognises only the app:// renderer origin', () => {
    expect(isOwnRenderer(OWN)).toBe(true);
    expect(isOwnRenderer('app://other/index.html')).toBe(false);
    expect(isOwnRenderer('not a url')).toBe(false);
  });
});

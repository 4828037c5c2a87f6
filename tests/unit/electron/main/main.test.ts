import { describe, it, expect, vi, beforeEach, afterEach } from 'vitest';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import identity from '../../../../build/app-identity.json';
import { events } from '../../../../shared/contract/index';
import type { Core } from '../../../../electron/services/composition';
import { fakeElectron, FakeBrowserWindow, FakeNotification } from './electron-fakes';

// The main process runs at import time against the FAKE electron module of the current test.
const current = vi.hoisted(() => ({
  electron: undefined as unknown as Record<string, unknown>,
  core: undefined as Core | undefined,
  /** The core's own close, kept for clean-up when a test replaces it. */
  closeCore: undefined as (() => Promise<void>) | undefined,
}));
vi.mock('electron', () =>
  Object.defineProperties(
    {},
    Object.fromEntries(
      ['app', 'ipcMain', 'BrowserWindow', 'Notification', 'dialog', 'protocol', 'shell'].map((name) => [
        name,
        { enumerable: true, get: () => current.electron[name] },
      ]),
    ),
  ),
);
vi.mock('../../../../electron/services/composition', async (importOriginal) => {
  const actual = await importOriginal<typeof import('../../../../electron/services/composition')>();
  return {
    ...actual,
    createCore(deps: Parameters<typeof actual.createCore>[0]) {
      current.core = actual.createCore(deps);
      current.closeCore = current.core.close.bind(current.core);
      return current.core;
    },
  };
});

let electron: ReturnType<typeof fakeElectron>;
let dataDir: string;

async function startMain(): Promise<void> {
  vi.resetModules();
  await import('../../../../electron/main/main');
}

/** Starts the main process as the first instance and waits for its window. */
async function startFirstInstance(): Promise<FakeBrowserWindow> {
  await startMain();
  electron.app.becomeReady();
  await vi.waitFor(() => expect(FakeBrowserWindow.instances[0]?.loadedUrl).toBeDefined(), { timeout: 20_000 });
  return FakeBrowserWindow.instances[0]!;
}

beforeEach(() => {
  electron = fakeElectron();
  current.electron = electron;
  current.core = undefined;
  current.closeCore = undefined;
  const home = mkdtempSync(join(tmpdir(), 'pws-main-'));
  dataDir = join(home, 'data');
  vi.stubEnv('HOME', home);
  vi.stubEnv('PWS_DATA_DIR', dataDir);
  vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
});

afterEach(async () => {
  vi.useRealTimers();
  vi.unstubAllEnvs();
  vi.restoreAllMocks();
  await current.closeCore?.();
});

describe('single instance', () => {
  it('a second instance quits before any start-up work', async () => {
    electron.app.lockAvailable = false;
    await startMain();
    electron.app.becomeReady();
    await new Promise((resolve) => setImmediate(resolve));

    expect(electron.app.lockRequests).toBe(1);
    expect(electron.app.quitRequests).toBe(1);
    expect(electron.protocol.privileged).toEqual([]);
    expect(electron.app.sandboxEnabled).toBe(false);
    expect(current.core).toBeUndefined();
    expect(FakeBrowserWindow.instances).toEqual([]);
    expect(existsSync(dataDir)).toBe(false);
  });

  it('the first instance brings its window forward when another launch is attempted', async () => {
    const window = await startFirstInstance();
    window.minimized = true;
    electron.app.emit('second-instance');
    expect(window.calls).toEqual(['show', 'restore', 'show', 'focus']);
  });

  it('ignores a second launch once its window is gone', async () => {
    const window = await startFirstInstance();
    window.destroyed = true;
    expect(() => electron.app.emit('second-instance')).not.toThrow();
    expect(window.calls).toEqual(['show']);
  });
});

describe('start-up failure', () => {
  it('a page that fails to load gives one dialog and a clean exit, not a hidden window holding the lock', async () => {
    FakeBrowserWindow.loadError = new Error('ERR_FILE_NOT_FOUND (-6) loading app://renderer/index.html');
    await startMain();
    electron.app.becomeReady();
    await vi.waitFor(() => expect(electron.app.exitCode).toBe(1), { timeout: 20_000 });

    expect(electron.dialog.errors).toHaveLength(1);
    expect(electron.dialog.errors[0]!.title).toBe(`${identity.productName} could not start`);
    expect(electron.dialog.errors[0]!.content).toContain('ERR_FILE_NOT_FOUND');
  });

  it('a failure before the app is ready exits the same way, and starts nothing', async () => {
    electron.protocol.registerSchemesAsPrivileged = () => {
      throw new Error('schemes can only be registered before the app is ready');
    };
    await startMain();
    electron.app.becomeReady();
    await new Promise((resolve) => setImmediate(resolve));

    expect(electron.app.exitCode).toBe(1);
    expect(electron.dialog.errors).toHaveLength(1);
    expect(current.core).toBeUndefined();
  });
});

describe('quitting', () => {
  it('waits for the core to close (runs cancelled, devices cleaned up) before the app quits', async () => {
    await startFirstInstance();
    let finishClosing!: () => void;
    const close = vi.fn(() => new Promise<void>((resolve) => (finishClosing = resolve)));
    current.core!.close = close;

    electron.app.quit();
    electron.app.quit(); // asked again while closing: still waits, and closes once
    expect(close).toHaveBeenCalledTimes(1);
    expect(electron.app.quitCompleted).toBe(false);

    finishClosing();
    await vi.waitFor(() => expect(electron.app.quitCompleted).toBe(true));
    expect(close).toHaveBeenCalledTimes(1);
  });

  it('quits even when the core never finishes closing', async () => {
    await startFirstInstance();
    current.core!.close = () => new Promise<void>(() => {});
    vi.useFakeTimers();

    electron.app.quit();
    await vi.advanceTimersByTimeAsync(30_000);
    expect(electron.app.quitCompleted).toBe(true);
  });
});

describe('desktop integration', () => {
  const summary = { runId: 'r1', passed: 3, failed: 1, cancelled: 0, durationMs: 60_000, failures: [] };

  it('notifies when a run finishes while the window is in the background, and only then', async () => {
    const window = await startFirstInstance();
    current.core!.events.emit(events.provisioning.runFinished, summary);
    expect(FakeNotification.shown).toEqual([{ title: 'Provisioning finished', body: '3 passed, 1 failed' }]);

    window.focused = true;
    current.core!.events.emit(events.provisioning.runFinished, summary);
    window.focused = false;
    window.destroyed = true;
    current.core!.events.emit(events.provisioning.runFinished, summary);
    expect(FakeNotification.shown).toHaveLength(1);
  });

  it('gives Windows the app id as its AppUserModelID, so toasts show', async () => {
    const platform = Object.getOwnPropertyDescriptor(process, 'platform')!;
    Object.defineProperty(process, 'platform', { value: 'win32' });
    try {
      await startMain();
    } finally {
      Object.defineProperty(process, 'platform', platform);
    }
    expect(electron.app.appUserModelId).toBe(identity.appId);
  });

  it('lets the page copy to the clipboard and nothing else', async () => {
    const { webContents } = await startFirstInstance();
    const own = { requestingUrl: 'app://renderer/index.html', isMainFrame: true };
    const ask = (permission: string, details = own) => new Promise((resolve) => webContents.session.requestHandler!(webContents, permission, resolve, details));

    expect(await ask('clipboard-sanitized-write')).toBe(true);
    expect(await ask('notifications')).toBe(false);
    expect(await ask('media')).toBe(false);
    expect(await ask('clipboard-sanitized-write', { requestingUrl: 'https://evil.example/', isMainFrame: true })).toBe(false);
    expect(webContents.session.checkHandler!(webContents, 'clipboard-sanitized-write', 'app://renderer', own)).toBe(true);
    expect(webContents.session.checkHandler!(webContents, 'clipboard-read', 'app://renderer', own)).toBe(false);
  });

  it('opens only the project’s own pages in the browser, and never a window inside the app', async () => {
    const { webContents } = await startFirstInstance();
    const open = (url: string) => webContents.windowOpenHandler!({ url });

    expect(open('https://github.com/provisioning-workstation/provisioning-workstation/issues')).toEqual({ action: 'deny' });
    expect(open('https://evil.example/')).toEqual({ action: 'deny' });
    expect(open('file:///etc/passwd')).toEqual({ action: 'deny' });
    expect(electron.shell.opened).toEqual(['https://github.com/provisioning-workstation/provisioning-workstation/issues']);
  });
});

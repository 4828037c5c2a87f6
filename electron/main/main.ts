/**
 * Electron's main process: lifecycle and glue only. All behaviour lives in electron/services.
 *
 * - A second launch quits before doing anything, and the first instance brings its window forward.
 * - A start-up failure shows one dialog and exits: never a windowless process that holds the lock.
 * - Quitting waits for the core to close, so runs are cancelled cleanly and devices are cleaned up.
 */
import { app, dialog, ipcMain, Notification, type BrowserWindow } from 'electron';
import { join } from 'node:path';
import identity from '../../build/app-identity.json';
import { events } from '../../shared/contract/index';
import { createCore, defaultCoreDeps, type Core } from '../services/composition';
import { createStderrLogger, redactSecrets } from '../services/log';
import { APP_VERSION } from '../version';
import { forwardEvents, registerIpc } from './ipc-adapter';
import { registerAppScheme, serveRenderer } from './protocol';
import { lockDown, openMainWindow, rendererDir } from './window';

/** How long quitting waits for runs to cancel and devices to be cleaned up before it gives up. */
const CLOSE_TIMEOUT_MS = 30_000;

const log = createStderrLogger();
let startupFailed = false;

if (!app.requestSingleInstanceLock()) {
  app.quit();
} else {
  startFirstInstance();
}

function startFirstInstance(): void {
  let core: Core | undefined;
  let window: BrowserWindow | undefined;
  let closing: Promise<void> | undefined;
  let closed = false;

  try {
    // Windows shows toasts only for an app whose AppUserModelID matches its Start-menu shortcut (set by NSIS).
    if (process.platform === 'win32') app.setAppUserModelId(identity.appId);
    registerAppScheme();
    app.enableSandbox();
  } catch (error) {
    failStartup(error);
    return;
  }

  app.on('second-instance', () => {
    if (!window || window.isDestroyed()) return;
    if (window.isMinimized()) window.restore();
    window.show();
    window.focus();
  });
  app.on('web-contents-created', (_event, contents) => lockDown(contents));
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', (event) => {
    if (!core || closed) return;
    event.preventDefault();
    // A second quit while the core is closing waits for the same close.
    closing ??= closeCore(core).finally(() => {
      closed = true;
      app.quit();
    });
  });

  app
    .whenReady()
    .then(async () => {
      const distDir = join(import.meta.dirname, '..');
      core = createCore(defaultCoreDeps({ door: 'electron', log, appVersion: APP_VERSION }));
      void core.services.database.startUp(); // migrates only when allowed; retries journaled history
      serveRenderer(rendererDir(distDir));
      registerIpc(ipcMain, core);
      void core.services.provisioning.recoverInterruptedRuns(); // what a run killed mid-way left on the devices
      window = await openMainWindow(join(import.meta.dirname, 'preload.cjs'));
      forwardEvents(core, window.webContents);
      notifyWhenRunsFinish(core, window);
    })
    .catch(failStartup);
}

/** A long run finishing deserves a desktop notification when the window is in the background. */
function notifyWhenRunsFinish(core: Core, window: BrowserWindow): void {
  core.events.on(events.provisioning.runFinished, ({ passed, failed }) => {
    if (window.isDestroyed() || window.isFocused() || !Notification.isSupported()) return;
    new Notification({ title: 'Provisioning finished', body: `${passed} passed, ${failed} failed` }).show();
  });
}

async function closeCore(core: Core): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<void>((resolve) => {
    timer = setTimeout(() => {
      log.warn(`quitting although the core did not close within ${CLOSE_TIMEOUT_MS / 1000} s`);
      resolve();
    }, CLOSE_TIMEOUT_MS);
  });
  try {
    await Promise.race([core.close(), timeout]);
  } catch (error) {
    log.error('closing the core failed', error);
  } finally {
    clearTimeout(timer);
  }
}

function failStartup(error: unknown): void {
  if (startupFailed) return;
  startupFailed = true;
  const message = redactSecrets(error instanceof Error ? error.message : String(error));
  log.error(`start-up failed: ${message}`);
  dialog.showErrorBox(
    `${identity.productName} could not start`,
    `${message}\n\nThe app will close. Start it again; if this keeps happening, run it from a terminal and report what it prints.`,
  );
  app.exit(1);
}

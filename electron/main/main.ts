/**
 * Electron's main process: lifecycle and glue only. All behaviour lives in electron/services.
 */
import { app, ipcMain, Notification } from 'electron';
import { join } from 'node:path';
import { createCore, defaultCoreDeps } from '../services/composition';
import { createStderrLogger } from '../services/log';
import { APP_VERSION } from '../version';
import { forwardEvents, registerIpc } from './ipc-adapter';
import { registerAppScheme, serveRenderer } from './protocol';
import { createMainWindow, lockDown, rendererDir } from './window';

registerAppScheme();
app.enableSandbox();

if (!app.requestSingleInstanceLock()) app.quit();

app.whenReady().then(() => {
  const distDir = join(import.meta.dirname, '..');
  const core = createCore(defaultCoreDeps({ door: 'electron', log: createStderrLogger(), appVersion: APP_VERSION }));
  serveRenderer(rendererDir(distDir));
  registerIpc(ipcMain, core);
  void core.services.provisioning.recoverInterruptedRuns(); // what a run killed mid-way left on the devices
  const win = createMainWindow(join(import.meta.dirname, 'preload.cjs'));
  forwardEvents(core, win.webContents);
  core.events.onAny((name, payload) => {
    // A long run finishing deserves a desktop notification even when the window is in the background.
    if (name === 'provisioning:run-finished' && Notification.isSupported() && !win.isFocused()) {
      const p = payload as { passed?: number; failed?: number };
      new Notification({ title: 'Provisioning finished', body: `${p.passed ?? 0} passed, ${p.failed ?? 0} failed` }).show();
    }
  });
  app.on('before-quit', () => void core.close());
});

app.on('web-contents-created', (_e, contents) => lockDown(contents));
app.on('window-all-closed', () => app.quit());

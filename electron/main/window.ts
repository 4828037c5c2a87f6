import { BrowserWindow, shell, type WebContents } from 'electron';
import { join } from 'node:path';
import { RENDERER_ORIGIN } from './ipc-adapter';
import { applyPermissionPolicy, isAllowedExternalUrl } from './page-policy';
import { DEFAULT_WINDOW, MIN_WINDOW } from './window-size';

/**
 * The security checklist in one place: isolation, sandbox, no Node in the page, no navigation away.
 * Resolves once the page has loaded, and rejects when it can't (a start-up failure).
 */
export async function openMainWindow(preloadPath: string): Promise<BrowserWindow> {
  const win = new BrowserWindow({
    width: DEFAULT_WINDOW.width,
    height: DEFAULT_WINDOW.height,
    // Content size, so the minimum the layout is tested at is what the page gets, whatever the window frame.
    useContentSize: true,
    minWidth: MIN_WINDOW.width,
    minHeight: MIN_WINDOW.height,
    show: false,
    title: 'Provisioning Workstation',
    webPreferences: {
      preload: preloadPath,
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
    },
  });
  lockDown(win.webContents);
  win.once('ready-to-show', () => win.show());
  await win.loadURL(`${RENDERER_ORIGIN}/index.html`);
  return win;
}

export function lockDown(contents: WebContents): void {
  contents.on('will-navigate', (event, url) => {
    if (!url.startsWith(`${RENDERER_ORIGIN}/`)) event.preventDefault();
  });
  contents.on('will-redirect', (event) => event.preventDefault());
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Nothing opens inside the app; the project's own pages open in the user's browser.
    if (isAllowedExternalUrl(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
  applyPermissionPolicy(contents.session);
}

export const rendererDir = (distDir: string) => join(distDir, 'renderer');

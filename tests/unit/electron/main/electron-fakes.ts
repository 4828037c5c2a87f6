/**
 * FAKES of Electron's modules (contextBridge, ipcRenderer, ipcMain, app, BrowserWindow, session, dialog,
 * Notification, protocol, shell). No Electron binary can run on our machines, so these small hand-written
 * stand-ins let the glue be tested; they model only the behaviour the glue relies on.
 */
import { EventEmitter } from 'node:events';

// oxlint-disable-next-line typescript/no-explicit-any -- mirrors Electron's own listener signature
type Handler = (event: any, ...args: any[]) => unknown;

export class FakeContextBridge {
  readonly exposed = new Map<string, unknown>();
  exposeInMainWorld(key: string, api: unknown): void {
    this.exposed.set(key, api);
  }
}

export class FakeIpcRenderer {
  readonly invoked: Array<{ channel: string; args: unknown[] }> = [];
  readonly listeners = new Map<string, Set<Handler>>();
  invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push({ channel, args });
    return Promise.resolve({ ok: true, value: null });
  }
  on(channel: string, listener: Handler): this {
    if (!this.listeners.has(channel)) this.listeners.set(channel, new Set());
    this.listeners.get(channel)!.add(listener);
    return this;
  }
  removeListener(channel: string, listener: Handler): this {
    this.listeners.get(channel)?.delete(listener);
    return this;
  }
  emit(channel: string, ...args: unknown[]): void {
    this.listeners.get(channel)?.forEach((l) => l({}, ...args));
  }
}

export class FakeIpcMain {
  readonly handlers = new Map<string, Handler>();
  handle(channel: string, handler: Handler): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  /** Calls a handler the way Electron would for a frame at `url` (a top-level frame unless `parent` is given). */
  invokeFrom(url: string, channel: string, request: unknown, parent: object | null = null): Promise<unknown> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return Promise.resolve(handler({ senderFrame: { url, parent } }, request));
  }
}

/** FAKE of Electron's `app`: the single-instance lock, readiness, quitting (before-quit can prevent it) and exit. */
export class FakeApp extends EventEmitter {
  lockAvailable = true;
  lockRequests = 0;
  sandboxEnabled = false;
  appUserModelId: string | undefined;
  quitRequests = 0;
  quitCompleted = false;
  exitCode: number | undefined;
  #becomeReady: () => void = () => {};
  readonly #ready = new Promise<void>((resolve) => (this.#becomeReady = resolve));

  requestSingleInstanceLock(): boolean {
    this.lockRequests += 1;
    return this.lockAvailable;
  }
  enableSandbox(): void {
    this.sandboxEnabled = true;
  }
  setAppUserModelId(id: string): void {
    this.appUserModelId = id;
  }
  whenReady(): Promise<void> {
    return this.#ready;
  }
  /** What Electron does once it has initialised. */
  becomeReady(): void {
    this.#becomeReady();
  }
  quit(): void {
    this.quitRequests += 1;
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (!prevented) this.quitCompleted = true;
  }
  exit(code = 0): void {
    this.exitCode = code;
  }
}

/** FAKE of a session: keeps the permission handlers so a test can ask them. */
export class FakeSession {
  requestHandler: Handler | null = null;
  checkHandler: Handler | null = null;
  setPermissionRequestHandler(handler: Handler | null): void {
    this.requestHandler = handler;
  }
  setPermissionCheckHandler(handler: Handler | null): void {
    this.checkHandler = handler;
  }
}

/** FAKE of a window's webContents. */
export class FakeWebContents extends EventEmitter {
  readonly session = new FakeSession();
  readonly sent: unknown[][] = [];
  windowOpenHandler: Handler | null = null;
  destroyed = false;
  setWindowOpenHandler(handler: Handler): void {
    this.windowOpenHandler = handler;
  }
  send(...args: unknown[]): void {
    this.sent.push(args);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
}

/** FAKE of BrowserWindow. `loadError` makes the next windows fail to load their page. */
export class FakeBrowserWindow extends EventEmitter {
  static readonly instances: FakeBrowserWindow[] = [];
  static loadError: Error | null = null;
  readonly webContents = new FakeWebContents();
  readonly calls: string[] = [];
  loadedUrl: string | undefined;
  minimized = false;
  focused = false;
  destroyed = false;

  constructor(readonly options: Record<string, unknown>) {
    super();
    FakeBrowserWindow.instances.push(this);
  }
  async loadURL(url: string): Promise<void> {
    if (FakeBrowserWindow.loadError) throw FakeBrowserWindow.loadError;
    this.loadedUrl = url;
    this.emit('ready-to-show');
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isMinimized(): boolean {
    return this.minimized;
  }
  isFocused(): boolean {
    return this.focused;
  }
  restore(): void {
    this.calls.push('restore');
  }
  show(): void {
    this.calls.push('show');
  }
  focus(): void {
    this.calls.push('focus');
  }
}

/** FAKE of Notification: records what would be shown. */
export class FakeNotification {
  static readonly shown: Array<{ title?: string; body?: string }> = [];
  constructor(readonly options: { title?: string; body?: string }) {}
  static isSupported(): boolean {
    return true;
  }
  show(): void {
    FakeNotification.shown.push(this.options);
  }
}

/** The FAKE `electron` module the main process is loaded against, one per test. */
export function fakeElectron() {
  FakeBrowserWindow.instances.length = 0;
  FakeBrowserWindow.loadError = null;
  FakeNotification.shown.length = 0;
  return {
    app: new FakeApp(),
    ipcMain: new FakeIpcMain(),
    BrowserWindow: FakeBrowserWindow,
    Notification: FakeNotification,
    dialog: {
      errors: [] as Array<{ title: string; content: string }>,
      showErrorBox(title: string, content: string) {
        this.errors.push({ title, content });
      },
    },
    protocol: {
      privileged: [] as unknown[],
      handled: [] as string[],
      registerSchemesAsPrivileged(schemes: unknown[]) {
        this.privileged.push(...schemes);
      },
      handle(scheme: string) {
        this.handled.push(scheme);
      },
    },
    shell: {
      opened: [] as string[],
      async openExternal(url: string) {
        this.opened.push(url);
      },
    },
  };
}

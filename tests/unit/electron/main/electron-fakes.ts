/**
 * FAKES of Electron's contextBridge, ipcRenderer and ipcMain. No Electron binary can run on our machines,
 * so these small hand-written stand-ins let the glue be tested; they are the only fakes in the suite.
 */
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

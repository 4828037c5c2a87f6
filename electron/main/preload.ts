/**
 * The renderer's only way into the main process. Exposes one named function per contract channel and
 * `subscribe(event, cb)`; never `ipcRenderer` itself, so a compromised page can't reach other channels.
 * Bundled to CommonJS because sandboxed preloads can't load ES modules.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { allChannels, eventNames } from '../../shared/contract/index';
import type { PreloadBridge } from '../../shared/contract/bridge';

const EVENT_CHANNEL = 'pws:event';

export function buildBridge(ipc: Pick<typeof ipcRenderer, 'invoke' | 'on' | 'removeListener'>): PreloadBridge {
  const calls: Record<string, (request: unknown) => Promise<unknown>> = {};
  for (const channel of allChannels) {
    const name = channel.name;
    calls[name] = (request: unknown) => ipc.invoke(name, request);
  }
  return {
    calls,
    subscribe(event: string, callback: (payload: unknown) => void) {
      if (!eventNames.has(event)) throw new Error(`"${event}" is not an event of this app`);
      const listener = (_e: IpcRendererEvent, name: string, payload: unknown) => {
        if (name === event) callback(payload);
      };
      ipc.on(EVENT_CHANNEL, listener);
      return () => {
        ipc.removeListener(EVENT_CHANNEL, listener);
      };
    },
  };
}

contextBridge.exposeInMainWorld('pws', buildBridge(ipcRenderer));

/**
 * The renderer's only way into the main process. Exposes one named function per contract channel and
 * `subscribe(event, cb)`; never `ipcRenderer` itself, so a compromised page can't reach other channels.
 * It needs only the contract's names (the main process validates every request), so the build bakes them
 * in from the contract (scripts/preload-contract-names.mjs): the bundle is small, CommonJS for the sandboxed
 * preload environment, and requires nothing but `electron`.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import { EVENT_CHANNEL, type PreloadBridge } from '../../shared/contract/bridge';
import { channelNames, eventNames } from '../../shared/contract/index';

export function buildBridge(ipc: Pick<typeof ipcRenderer, 'invoke' | 'on' | 'removeListener'>): PreloadBridge {
  const calls: Record<string, (request: unknown) => Promise<unknown>> = {};
  for (const name of channelNames) calls[name] = (request: unknown) => ipc.invoke(name, request);
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

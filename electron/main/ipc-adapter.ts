import type { IpcMain, IpcMainInvokeEvent, WebContents } from 'electron';
import { EVENT_CHANNEL } from '../../shared/contract/bridge';
import { allChannels } from '../../shared/contract/index';
import { fail } from '../../shared/contract/result';
import type { Core } from '../services/core';

/** The only page allowed to call the core: our renderer, loaded from the app:// protocol. */
export const RENDERER_ORIGIN = 'app://renderer';

export function isOwnRenderer(frameUrl: string | undefined): boolean {
  if (!frameUrl) return false;
  try {
    const url = new URL(frameUrl);
    return `${url.protocol}//${url.host}` === RENDERER_ORIGIN;
  } catch {
    return false;
  }
}

/**
 * Registers one `ipcMain.handle` per contract channel. Each call is refused unless it comes from our
 * own top-level page, and its argument is validated by the channel's zod schema (inside `dispatch`)
 * before any service sees it.
 */
export function registerIpc(ipcMain: Pick<IpcMain, 'handle' | 'removeHandler'>, core: Core): () => void {
  for (const channel of allChannels) {
    ipcMain.handle(channel.name, async (event: IpcMainInvokeEvent, request: unknown) => {
      const frame = event.senderFrame;
      if (!frame || frame.parent !== null || !isOwnRenderer(frame.url)) {
        core.deps.log.warn(`refused ${channel.name} from a foreign frame (${frame?.url ?? 'no frame'})`);
        return fail('forbidden-sender', 'this call is only accepted from the app’s own window');
      }
      return core.router.dispatch(channel.name, request, { door: 'electron' });
    });
  }
  return () => allChannels.forEach((c) => ipcMain.removeHandler(c.name));
}

/** Pushes every core event to one window. */
export function forwardEvents(core: Core, webContents: Pick<WebContents, 'send' | 'isDestroyed'>): () => void {
  return core.events.onAny((name, payload) => {
    if (!webContents.isDestroyed()) webContents.send(EVENT_CHANNEL, name, payload);
  });
}

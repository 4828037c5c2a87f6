/** The one IPC channel on which the main process pushes core events to the preload (name, payload). */
export const EVENT_CHANNEL = 'pws:event';

/** The shape the preload script exposes as `window.pws` (see electron/main/preload.ts). */
export interface PreloadBridge {
  /** One function per contract channel, keyed by channel name. */
  calls: Record<string, (request: unknown) => Promise<unknown>>;
  subscribe(event: string, callback: (payload: unknown) => void): () => void;
}

import { z } from 'zod';
import { channel } from './channel';

/** The ways into the core: Electron IPC, the loopback web host, the `pws` CLI, and tests that call the router. */
export type Door = 'electron' | 'web' | 'cli' | 'test';

/** About panel: what is running, so a bug report can say so. */
export interface AppInfo {
  name: string;
  version: string;
  /** `electron` when behind the preload bridge, `web` when served by the loopback host. */
  door: Extract<Door, 'electron' | 'web'>;
  versions: Record<string, string>;
  dataDir: string;
}

export const appChannels = {
  info: channel<AppInfo>()('app:info', z.object({}).strict()),
} as const;

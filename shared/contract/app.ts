import { z } from 'zod';
import { channel } from './channel';

/** About panel: what is running, so a bug report can say so. */
export interface AppInfo {
  name: string;
  version: string;
  /** `electron` when behind the preload bridge, `web` when served by the loopback host. */
  door: 'electron' | 'web';
  versions: Record<string, string>;
  dataDir: string;
}

export const appChannels = {
  info: channel<AppInfo>()('app:info', z.object({}).strict()),
} as const;

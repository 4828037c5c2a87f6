import { z } from 'zod';
import { ConcurrencySchema, MAX } from './bounds';
import { DEFAULT_API_URL } from '../domain/api-regions';
import { channel, event } from './channel';

/**
 * Settings: what the user chose, persisted as one JSON file in the app-data folder.
 * Every field has a default so an empty or older file still parses.
 */
export const ThemeSchema = z.enum(['system', 'light', 'dark']);

export const PinnedDeviceSchema = z.object({
  /** The address as the user typed it, e.g. `169.254.20.3`, `[fe80::1%eth0]:2222` or `board.local`. */
  address: z.string().min(1).max(MAX.address),
  nickname: z.string().max(64).optional(),
});

export const SettingsSchema = z.object({
  theme: ThemeSchema.default('system'),
  /** Device Management API base URL that the CLI and app use unless told otherwise. */
  apiUrl: z.string().max(MAX.url).url().default(DEFAULT_API_URL),
  /** How many devices a provisioning run works on at once. */
  concurrency: ConcurrencySchema.default(8),
  /** Path to an SSH private key for production images (key-only login); empty = use ~/.ssh/config host `mbl-device`. */
  sshKeyPath: z.string().max(MAX.path).default(''),
  /** Refuse a device whose SSH host key no pin vouches for, instead of pinning it on first use; the app then offers to trust it. */
  strictHostKeys: z.boolean().default(false),
  pinnedDevices: z.array(PinnedDeviceSchema).max(MAX.settingsList).default([]),
  /** Device ids the user starred, and nicknames keyed by device id. */
  favourites: z.array(z.string().max(MAX.address)).max(MAX.settingsList).default([]),
  nicknames: z.record(z.string().max(MAX.address), z.string().max(64)).default({}),
  /** The wizard's last domain and model, offered as a preset next time. */
  wizardPreset: z.object({ domain: z.string().max(253), model: z.string().max(256) }).partial().default({}),
});
export type Settings = z.infer<typeof SettingsSchema>;

/** A partial update: only the fields given change. */
export const SettingsPatchSchema = SettingsSchema.partial().strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

export const settingsChannels = {
  get: channel<Settings, SettingsErrorCode>()('settings:get', z.object({}).strict()),
  update: channel<Settings, SettingsErrorCode>()('settings:update', SettingsPatchSchema),
} as const;

export const settingsEvents = {
  changed: event<Settings>()('settings:changed'),
} as const;

export type SettingsErrorCode = 'settings-unreadable' | 'settings-unwritable';

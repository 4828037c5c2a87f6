import { z } from 'zod';
import { databaseUrlProblem, storedDatabaseUrlProblem } from '../domain/database-url';
import { ConcurrencySchema, MAX } from './bounds';
import { DEFAULT_API_URL } from '../domain/api-regions';
import { validateApiUrl } from '../domain/api-url';
import { channel, event } from './channel';

/**
 * Settings: what the user chose, persisted as one JSON file in the app-data folder.
 * Every field has a default so an empty or older file still parses.
 */
export const ThemeSchema = z.enum(['system', 'light', 'dark'], { error: 'must be system, light or dark' });

export const PinnedDeviceSchema = z.object({
  /** The address as the user typed it, e.g. `169.254.20.3`, `[fe80::1%eth0]:2222` or `board.local`. */
  address: z.string().min(1).max(MAX.address),
  nickname: z.string().max(64).optional(),
});

/** The shared database (PostgreSQL) for history and identities; an empty URL keeps them in local files. */
export const DatabaseSettingsSchema = z.object({
  /** `postgres://user@host:port/db?sslmode=…`, never with the password (that lives in the OS keychain). */
  url: z
    .string()
    .max(2048)
    .refine((u) => !storedDatabaseUrlProblem(u), { error: (issue) => storedDatabaseUrlProblem(String(issue.input)) ?? 'is not a database URL' })
    .default(''),
  /** Migrate the shared database's schema when the app starts (the user is asked once before the first time). */
  migrateOnStart: z.boolean().default(false),
  /** The once-asked consent: `unasked` until the user answered. */
  migrateConsent: z.enum(['unasked', 'given', 'refused']).default('unasked'),
});

type Undefaulted<T extends z.ZodRawShape> = {
  [K in keyof T]: T[K] extends z.ZodDefault<infer I> ? I : T[K] extends z.ZodPrefault<infer I> ? I : T[K];
};
/**
 * The fields without their defaults: zod applies a default even inside `.partial()`, so a patch schema made
 * from the full one would fill every field the patch did not name and reset it.
 */
function withoutDefaults<T extends z.ZodRawShape>(shape: T): Undefaulted<T> {
  return Object.fromEntries(
    Object.entries(shape).map(([key, field]) => [key, field instanceof z.ZodDefault || field instanceof z.ZodPrefault ? field.unwrap() : field]),
  ) as Undefaulted<T>;
}

/** A new `database.url` must be one every connection would take (see `databaseUrlProblem`). */
export const DatabaseSettingsPatchSchema = z
  .object(withoutDefaults(DatabaseSettingsSchema.shape))
  .partial()
  .extend({
    url: z
      .string()
      .max(2048)
      .refine((u) => !databaseUrlProblem(u), { error: (issue) => databaseUrlProblem(String(issue.input)) ?? 'is not a database URL' })
      .optional(),
  })
  .strict();

export const SettingsSchema = z.object({
  theme: ThemeSchema.default('system'),
  /** Device Management API base URL that the CLI and app use unless told otherwise. */
  apiUrl: z
    .string()
    .max(MAX.url, { error: `must be at most ${MAX.url} characters` })
    .url({ error: `must be a URL such as ${DEFAULT_API_URL}` })
    .default(DEFAULT_API_URL),
  /** How many devices a provisioning run works on at once. */
  concurrency: ConcurrencySchema.default(8),
  /** Path to an SSH private key for production images (key-only login); empty = use ~/.ssh/config host `mbl-device`. */
  sshKeyPath: z
    .string()
    .max(MAX.path, { error: `must be at most ${MAX.path} characters` })
    .default(''),
  /** Refuse a device whose SSH host key no pin vouches for, instead of pinning it on first use; the app then offers to trust it. */
  strictHostKeys: z.boolean().default(false),
  pinnedDevices: z.array(PinnedDeviceSchema).max(MAX.settingsList).default([]),
  /** Device ids the user starred, and nicknames keyed by device id. */
  favourites: z.array(z.string().max(MAX.address)).max(MAX.settingsList).default([]),
  nicknames: z.record(z.string().max(MAX.address), z.string().max(64)).default({}),
  /** The wizard's last domain and model, offered as a preset next time. */
  wizardPreset: z
    .object({ domain: z.string().max(253), model: z.string().max(256) })
    .partial()
    .default({}),
  /** This workstation's name on every history and identity record; empty = its host name. */
  stationName: z.string().trim().max(64, { error: 'must be at most 64 characters' }).default(''),
  database: DatabaseSettingsSchema.prefault({}),
});
export type Settings = z.infer<typeof SettingsSchema>;

/** A partial update: only the fields given change (within `database`, too). */
/**
 * A new API URL must pass the rule the cloud client applies (https, no credentials, no query), so a URL every
 * cloud call would refuse, or a password in it, never reaches the settings file. A stored one is only read as
 * a URL, so that a file written before the rule still opens, and the cloud calls then say what is wrong.
 */
const NewApiUrlSchema = SettingsSchema.shape.apiUrl.unwrap().superRefine((url, ctx) => {
  const checked = validateApiUrl(url);
  if (!checked.ok) ctx.addIssue({ code: 'custom', message: checked.message });
});

export const SettingsPatchSchema = z
  .object(withoutDefaults(SettingsSchema.shape))
  .partial()
  .extend({ apiUrl: NewApiUrlSchema.optional(), database: DatabaseSettingsPatchSchema.optional() })
  .strict();
export type SettingsPatch = z.infer<typeof SettingsPatchSchema>;

/** Whether the SSH key a path names can be offered at login, and if not, why (in words that follow "could not be read"). */
export interface SshKeyCheck {
  readable: boolean;
  problem?: string;
}

export const settingsChannels = {
  get: channel<Settings, SettingsErrorCode>()('settings:get', z.object({}).strict()),
  update: channel<Settings, SettingsErrorCode>()('settings:update', SettingsPatchSchema),
  /** Asked when sshKeyPath is set: a wrong path is said then, not at the next refused login. */
  checkSshKey: channel<SshKeyCheck, SettingsErrorCode>()(
    'settings:check-ssh-key',
    z
      .object({
        path: z
          .string()
          .min(1)
          .max(MAX.path, { error: `must be at most ${MAX.path} characters` }),
      })
      .strict(),
  ),
} as const;

export const settingsEvents = {
  changed: event<Settings>()('settings:changed'),
} as const;

export type SettingsErrorCode = 'settings-unreadable' | 'settings-unwritable';

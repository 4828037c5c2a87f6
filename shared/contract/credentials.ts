import { z } from 'zod';
import { MAX } from './bounds';
import type { ApiRegion } from '../domain/api-regions';
import { channel, event } from './channel';

/**
 * Credentials: the Device Management API key, kept only in the OS keychain (service
 * `provisioning-workstation`, account = API base URL). The key travels renderer → main in
 * `credentials:api-key-save` and never back: every answer carries only its masked form.
 */

/** An API base URL: http(s), no query or fragment. A trailing slash is ignored. */
export const ApiUrlSchema = z
  .string()
  .max(MAX.url)
  .url()
  .refine((u) => /^https?:\/\//i.test(u), 'must start with https:// (or http:// for a local emulator)');

/** What the UI may know about the key for one API URL. */
export interface ApiKeyStatus {
  present: boolean;
  /** `ak_…1a2b`, or '' when no key. */
  masked: string;
  /** The account's display name, when the key was just validated. */
  accountName?: string;
  /** The API base URL this status is for. */
  apiUrl: string;
  /** Where the key comes from: the OS keychain, or `PWS_API_KEY` (headless CI, never stored). Absent when no key. */
  source?: 'keychain' | 'env';
  /** The old mbl-cli User Store still holds a plaintext key: offer `credentials:migrate-plaintext-key`. */
  plaintextKeyInUserStore: boolean;
}

export type { ApiRegion } from '../domain/api-regions';

const apiUrlOnly = z.object({ apiUrl: ApiUrlSchema.optional() }).strict();

export const credentialsChannels = {
  /** Is there a key for this API URL (default: PWS_API_URL, else settings.apiUrl)? Masked only. */
  apiKeyStatus: channel<ApiKeyStatus>()('credentials:api-key-status', apiUrlOnly),
  /** Validate the key with GET /v3/accounts/me, then store it in the keychain; an invalid key keeps the previous one. */
  apiKeySave: channel<ApiKeyStatus>()(
    'credentials:api-key-save',
    z
      .object({
        apiKey: z
          .string()
          .trim()
          .min(1, 'the API key is empty')
          .max(MAX.apiKey, `the API key is longer than ${MAX.apiKey} characters: paste only the key`)
          .regex(/^\S+$/, 'the API key must not contain spaces'),
        apiUrl: ApiUrlSchema.optional(),
        /** Remember apiUrl as the default in settings (default true). */
        remember: z.boolean().optional(),
      })
      .strict(),
  ),
  /** Remove the key for this API URL from the keychain. */
  apiKeyDelete: channel<ApiKeyStatus>()('credentials:api-key-delete', apiUrlOnly),
  /** The known Device Management regions (API base URLs) for the URL picker. */
  regions: channel<ApiRegion[]>()('credentials:regions', z.object({}).strict()),
  /** Move the old mbl-cli plaintext key from the User Store into the keychain (validated first), then blank it in the file. */
  migratePlaintextKey: channel<ApiKeyStatus>()('credentials:migrate-plaintext-key', apiUrlOnly),
} as const;

export const credentialsEvents = {
  /** The key for an API URL was saved, deleted or migrated (masked status only). */
  apiKeyChanged: event<ApiKeyStatus>()('credentials:api-key-changed'),
} as const;

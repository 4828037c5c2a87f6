import { z } from 'zod';

/**
 * Upper bounds for what a door accepts: every string and array in a request schema has one, so no request can
 * make the core hold or loop over unbounded input (tests/unit/shared/contract/bounds.test.ts checks them all).
 */
export const MAX = {
  /** An ADDRESS, hostname or device id (a DNS name is at most 253 characters; ids add a prefix and an interface). */
  address: 300,
  /** Devices in one request: far more than a bench holds, far less than would hurt. */
  devices: 4096,
  /** Addresses one device is known by. */
  addressesPerDevice: 64,
  /** A Team Store certificate name, a run id, a history filter. */
  name: 255,
  /** A URL or a file system path. */
  url: 2048,
  path: 4096,
  /** An API key (Device Management keys are about 70 characters). */
  apiKey: 1024,
  /** Starred devices, pinned devices, nicknames in the settings. */
  settingsList: 10_000,
} as const;

/** Devices worked on at once (a run, a status probe, the setting); the CLI's `--concurrency` checks it too. */
export const MAX_CONCURRENCY = 64;
export const CONCURRENCY_RULE = `must be a whole number from 1 to ${MAX_CONCURRENCY}`;
export const ConcurrencySchema = z
  .number({ error: CONCURRENCY_RULE })
  .int({ error: CONCURRENCY_RULE })
  .min(1, { error: CONCURRENCY_RULE })
  .max(MAX_CONCURRENCY, { error: CONCURRENCY_RULE });

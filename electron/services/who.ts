import { hostname, userInfo } from 'node:os';
import type { SettingsService } from './settings/settings-service';

/** Who runs this process (the OS user name), for the audit trail and the identity registry. */
export function operatorName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/**
 * Which workstation this is, on every history and identity record: the `stationName` setting, else its host
 * name. Several stations sharing one database tell their records apart by it.
 */
export async function stationName(settings: SettingsService): Promise<string> {
  const r = await settings.get();
  if (r.ok && r.value.stationName.trim()) return r.value.stationName.trim();
  try {
    return hostname() || 'unknown';
  } catch {
    return 'unknown';
  }
}

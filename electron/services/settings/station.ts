import { hostname, userInfo } from 'node:os';
import type { SettingsService } from './settings-service';

/** This workstation's name on history and identity records: the `stationName` setting, else its host name. */
export async function stationName(settings: SettingsService): Promise<string> {
  const r = await settings.get();
  return (r.ok && r.value.stationName.trim()) || hostname();
}

/** The person at the keyboard, as the OS knows them. */
export function operatorName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

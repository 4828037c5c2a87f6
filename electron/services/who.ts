import { hostname, userInfo } from 'node:os';

/** Who runs this process (the OS user name), for the audit trail and the identity registry. */
export function operatorName(): string {
  try {
    return userInfo().username;
  } catch {
    return 'unknown';
  }
}

/** Which workstation this is (its host name), for records that several stations may share one day. */
export function stationName(): string {
  try {
    return hostname() || 'unknown';
  } catch {
    return 'unknown';
  }
}

/**
 * The whole contract between the renderer and the core, one module per feature.
 * Adding a feature = one module in this folder + one line in each list below.
 */
import type { Channel, EventDef } from './channel';
import { appChannels } from './app';
import { settingsChannels, settingsEvents } from './settings';
import { certificatesChannels, certificatesEvents } from './certificates';
import { credentialsChannels, credentialsEvents } from './credentials';
import { devicesChannels, devicesEvents } from './devices';
import { provisioningChannels, provisioningEvents } from './provisioning';
import { historyChannels } from './history';
import { caChannels, caEvents } from './ca';
import { identitiesChannels } from './identities';
import { databaseChannels } from './database';

export * from './channel';
export * from './result';

export const channels = {
  app: appChannels,
  settings: settingsChannels,
  certificates: certificatesChannels,
  devices: devicesChannels,
  provisioning: provisioningChannels,
  history: historyChannels,
  credentials: credentialsChannels,
  ca: caChannels,
  identities: identitiesChannels,
  database: databaseChannels,
} as const;

export const events = {
  settings: settingsEvents,
  devices: devicesEvents,
  provisioning: provisioningEvents,
  credentials: credentialsEvents,
  certificates: certificatesEvents,
  ca: caEvents,
} as const;

export const allChannels: readonly Channel[] = Object.values(channels).flatMap((f) => Object.values(f) as Channel[]);
export const allEvents: readonly EventDef[] = Object.values(events).flatMap((f) => Object.values(f) as EventDef[]);

export const channelNames: ReadonlySet<string> = new Set(allChannels.map((c) => c.name));
export const eventNames: ReadonlySet<string> = new Set(allEvents.map((e) => e.name));

export function findChannel(name: string): Channel | undefined {
  return allChannels.find((c) => c.name === name);
}

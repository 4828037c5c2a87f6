import { z } from 'zod';
import { ConcurrencySchema, MAX } from './bounds';
import { channel, event } from './channel';
import type { Device, DeviceChange } from '../domain/devices';

export type { Device, DeviceChange, DeviceChangeKind, DeviceSource } from '../domain/devices';

/**
 * Devices: boards found live by mDNS (`_ssh._tcp`) plus the ones the user added by address.
 * Discovery starts on the first `devices:list` and runs until the core closes; every change is pushed as
 * `devices:changed`. Vanished mDNS devices stay in the list with `present: false` (shown greyed).
 */
export interface DeviceList {
  devices: Device[];
  /** True while the mDNS browsers are running. */
  discovering: boolean;
  /** Workstation interfaces being browsed (IPv4 and IPv6 per interface). */
  interfaces: string[];
  health: DiscoveryHealth;
}

/** Whether mDNS can work at all here, for the Devices screen to say what to check. */
export interface DiscoveryHealth {
  /**
   * `ok`: queries go out. `refused`: the operating system refuses to send them (macOS until Local Network access
   * is allowed, or an outbound firewall rule: EHOSTUNREACH, EPERM, EACCES). `failing`: sends fail otherwise
   * (no route, interface down). `idle`: nothing sent yet.
   */
  sending: 'idle' | 'ok' | 'refused' | 'failing';
  /** The last send error and where, e.g. `EHOSTUNREACH on en0`; null while sends work. */
  sendError: string | null;
  /** mDNS packets received (from anyone, any service) since discovery started. */
  packetsReceived: number;
  /** ISO time discovery started listening, or null. */
  listeningSince: string | null;
}

const DeviceIdSchema = z.string().min(1, 'id must not be empty').max(300);

/**
 * A device to work on (provisioning, a status probe): an ADDRESS (`169.254.20.3`, `[fe80::1%eth0]:2222`,
 * `board.local`), optionally with the discovery id and hostname (the hostname keys the pinned host key when known).
 */
export const DeviceRefSchema = z.object({
  address: z.string().min(1).max(MAX.address),
  id: z.string().max(MAX.address).optional(),
  hostname: z.string().max(MAX.address).optional(),
  /** Every address the device is known by, for the audit trail and its host-key pin. */
  addresses: z.array(z.string().max(MAX.address)).max(MAX.addressesPerDevice).optional(),
});
export type DeviceRef = z.infer<typeof DeviceRefSchema>;

/** A plain ADDRESS string or a full device reference. */
export const DeviceInputSchema = z.union([z.string().min(1).max(MAX.address), DeviceRefSchema]);
export type DeviceInput = z.infer<typeof DeviceInputSchema>;
export const DeviceListSchema = z.array(DeviceInputSchema).min(1).max(MAX.devices);

/** Why a device could not be reached or worked on over SSH (the core's SSH connector answers these). */
export type ConnectionErrorCode =
  | 'invalid-address'
  | 'unreachable'
  | 'auth-refused'
  | 'host-key-changed'
  | 'host-key-unknown'
  | 'connection-lost'
  | 'disk-full'
  | 'upload-failed'
  | 'cancelled'
  | 'stage-timeout';

/** Why a device could not be asked for its status, or `not-provisioned` when it answered no. */
export type ProbeErrorCode = ConnectionErrorCode | 'utility-missing' | 'not-provisioned' | 'internal';

export interface ProbeStatusEntry {
  device: string;
  ok: boolean;
  provisioned?: boolean;
  /** The utility's message, or why the probe failed. */
  message: string;
  code?: ProbeErrorCode;
}

export const ProbeStatusSchema = z.object({ devices: DeviceListSchema, concurrency: ConcurrencySchema.optional() }).strict();

export const devicesChannels = {
  /** The current snapshot (mDNS + manual, including not-present ones); starts discovery on first call. */
  list: channel<DeviceList>()('devices:list', z.object({}).strict()),
  /** Re-asks the network now (an mDNS query without known answers on every interface, so every board answers); answers with the snapshot. */
  refresh: channel<DeviceList>()('devices:refresh', z.object({}).strict()),
  /**
   * Adds a device by ADDRESS (IPv4, IPv6 with %iface, [v6%if]:port, host name[:port]); kept in settings.pinnedDevices.
   * A host name is resolved first (the OS, then for `NAME.local` an mDNS query); one that doesn't resolve is refused.
   */
  addManual: channel<Device>()(
    'devices:add-manual',
    z
      .object({
        address: z.string().trim().min(1, 'address is required, e.g. 169.254.20.3, fe80::1%eth0 or board.local').max(300),
        nickname: z.string().trim().max(64, 'nickname must be at most 64 characters').optional(),
      })
      .strict(),
  ),
  /** Removes a manually added device (by its id `manual:…`). */
  removeManual: channel<{ removed: string }>()('devices:remove-manual', z.object({ id: DeviceIdSchema }).strict()),
  /** Sets (or with an empty string clears) the nickname shown instead of the name. Any device id. */
  setNickname: channel<Device | null>()(
    'devices:set-nickname',
    z.object({ id: DeviceIdSchema, nickname: z.string().trim().max(64, 'nickname must be at most 64 characters') }).strict(),
  ),
  /** Stars or unstars a device. Any device id. */
  setFavourite: channel<Device | null>()('devices:set-favourite', z.object({ id: DeviceIdSchema, favourite: z.boolean() }).strict()),
  /** Runs `--get-pelion-status` on each device, a few at a time: provisioned or not with the utility's message, or why it could not be asked. */
  probeStatus: channel<ProbeStatusEntry[]>()('devices:probe-status', ProbeStatusSchema),
} as const;

export const devicesEvents = {
  /**
   * Devices that appeared (or came back), changed, or went away (`removed`, with `present: false`), batched:
   * at most one message per ~50 ms, whatever the number of boards answering.
   */
  changed: event<DeviceChange[]>()('devices:changed'),
  /** `DeviceList.health` changed (sends refused or working again, the first packet arrived). */
  health: event<DiscoveryHealth>()('devices:health'),
} as const;

export type DevicesErrorCode =
  | 'invalid-address'
  | 'unresolvable-address'
  | 'manual-device-exists'
  | 'manual-device-not-found'
  | 'discovery-failed'
  | 'settings-unreadable'
  | 'settings-unwritable';

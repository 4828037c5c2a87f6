import type { DevicesErrorCode } from '../../../shared/contract/devices';
import { fail, ok, type Result } from '../../../shared/contract/result';
import type { Settings } from '../../../shared/contract/settings';
import { formatAddress, manualDeviceId, parseAddress } from '../../../shared/domain/address';
import type { Device } from '../../../shared/domain/devices';

type PinnedEntry = Settings['pinnedDevices'][number];
type ResolveHost = (host: string) => Promise<Result<string[], 'unresolvable-address'>>;

/**
 * Devices added by hand. Each is built from its entry in settings (`pinnedDevices`), with the addresses its host
 * name resolved to, so the list shows where it is: resolved when it is added, and once per start of discovery.
 */
export class ManualDevices {
  /** Addresses a host name resolved to, by device id. */
  readonly #resolved = new Map<string, string[]>();

  /** The entry's device, or undefined when its address no longer parses (it is then left out of the list). */
  device(entry: PinnedEntry): Device | undefined {
    const parsed = parseAddress(entry.address);
    if (!parsed.ok) return undefined;
    const a = parsed.address;
    const id = manualDeviceId(a);
    const resolved = this.#resolved.get(id);
    const d: Device = {
      id,
      name: entry.address,
      hostname: a.host,
      addresses: resolved?.length ? [...resolved] : [a.host],
      port: a.port ?? 22,
      txt: {},
      isMbl: true,
      lastSeen: null,
      source: 'manual',
      present: true,
      interface: a.scope ?? null,
      favourite: false,
    };
    if (entry.nickname) d.nickname = entry.nickname;
    return d;
  }

  /** Every entry's device by id; of two entries for one address, the first counts. */
  all(entries: readonly PinnedEntry[]): Map<string, Device> {
    const out = new Map<string, Device>();
    for (const entry of entries) {
      const d = this.device(entry);
      if (d && !out.has(d.id)) out.set(d.id, d);
    }
    return out;
  }

  /** Whether this entry is the device with this id. */
  isEntryOf(entry: PinnedEntry, id: string): boolean {
    const parsed = parseAddress(entry.address);
    return parsed.ok && manualDeviceId(parsed.address) === id;
  }

  /** Resolves every entry's host name; `keep` says whether the answer is still wanted (discovery not stopped). */
  async resolveHostNames(entries: readonly PinnedEntry[], resolveHost: ResolveHost, keep: () => boolean): Promise<void> {
    for (const entry of entries) {
      const parsed = parseAddress(entry.address);
      if (!parsed.ok || parsed.address.kind !== 'hostname') continue;
      const r = await resolveHost(parsed.address.host);
      if (r.ok && keep()) this.#resolved.set(manualDeviceId(parsed.address), r.value);
    }
  }

  /**
   * Checks an address typed into "Add device" against the list: it must parse, not be listed already and, for a
   * host name, resolve now. Returns the new device's id.
   */
  async admit(entries: readonly PinnedEntry[], address: string, resolveHost: ResolveHost): Promise<Result<string, DevicesErrorCode>> {
    const parsed = parseAddress(address, 'address');
    if (!parsed.ok) return fail('invalid-address', parsed.message);
    const id = manualDeviceId(parsed.address);
    if (entries.some((e) => this.isEntryOf(e, id))) {
      return fail('manual-device-exists', `address: ${formatAddress(parsed.address)} is already in the device list`);
    }
    if (parsed.address.kind === 'hostname') {
      const resolved = await resolveHost(parsed.address.host);
      if (!resolved.ok) return fail('unresolvable-address', `address: ${resolved.message}`);
      this.#resolved.set(id, resolved.value);
    }
    return ok(id);
  }

  forget(id: string): void {
    this.#resolved.delete(id);
  }
}

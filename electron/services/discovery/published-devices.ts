import { devicesEvents } from '../../../shared/contract/devices';
import type { Settings } from '../../../shared/contract/settings';
import type { Device, DeviceChange } from '../../../shared/domain/devices';
import type { EventHub } from '../events';
import type { ManualDevices } from './manual-devices';

/**
 * What the doors see: the mDNS devices decorated with the nickname and star settings give them, and the devices
 * added by hand. Each change goes to the in-process listeners at once (the CLI's `--watch`) and to the doors as
 * `devices:changed`, batched: a thousand boards arriving are a few messages, not a thousand.
 */
export class PublishedDevices {
  /** The settings last read: nicknames, favourites and the manual devices' entries. */
  settings: Settings | undefined;
  readonly #devices = new Map<string, Device>();
  readonly #listeners = new Set<(c: DeviceChange) => void>();
  readonly #events: EventHub;
  readonly #manual: ManualDevices;
  /** 0 sends each change at once. */
  readonly #batchMs: number;
  #batch = new Map<string, DeviceChange>();
  #batchTimer: NodeJS.Timeout | undefined;

  constructor(opts: { events: EventHub; manual: ManualDevices; batchMs: number }) {
    this.#events = opts.events;
    this.#manual = opts.manual;
    this.#batchMs = opts.batchMs;
  }

  get(id: string): Device | undefined {
    return this.#devices.get(id);
  }

  ids(): IterableIterator<string> {
    return this.#devices.keys();
  }

  all(): Device[] {
    return [...this.#devices.values()];
  }

  /** A listener for every change, as it happens; answers the function that removes it. */
  onChange(listener: (c: DeviceChange) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** The device with its nickname and star. Devices are never changed in place, so one with nothing to add is shared. */
  decorate(d: Device): Device {
    const nickname = this.settings?.nicknames[d.id] ?? (d.source === 'manual' ? d.nickname : undefined);
    const favourite = this.settings?.favourites.includes(d.id) ?? false;
    if (nickname === d.nickname && favourite === d.favourite) return d;
    const out: Device = { ...d, favourite };
    if (nickname) out.nickname = nickname;
    else delete out.nickname;
    return out;
  }

  /** The device index's changes, decorated. */
  publish(changes: readonly DeviceChange[]): void {
    for (const c of changes) {
      const d = this.decorate(c.device);
      if (c.event === 'forgotten') this.#devices.delete(d.id);
      else this.#devices.set(d.id, d);
      this.#emit(d === c.device ? c : { event: c.event, device: d });
    }
  }

  /** After a settings change: only devices whose nickname, star or manual entry changed are published. */
  redecorate(): void {
    const manualNow = new Map<string, Device>();
    for (const [id, d] of this.#manual.all(this.settings?.pinnedDevices ?? [])) manualNow.set(id, this.decorate(d));
    for (const [id, d] of this.#devices) {
      if (d.source === 'manual' && !manualNow.has(id)) {
        this.#devices.delete(id);
        this.#emit({ event: 'removed', device: { ...d, present: false } });
      }
    }
    for (const [id, d] of manualNow) {
      const before = this.#devices.get(id);
      if (before && JSON.stringify(before) === JSON.stringify(d)) continue;
      this.#devices.set(id, d);
      this.#emit({ event: before ? 'updated' : 'added', device: d });
    }
    for (const [id, d] of this.#devices) {
      if (d.source !== 'mdns') continue;
      const next = this.decorate(d);
      if (next.nickname === d.nickname && next.favourite === d.favourite) continue;
      this.#devices.set(id, next);
      this.#emit({ event: 'updated', device: next });
    }
  }

  /** Sends the batch now (discovery stopping). */
  flush(): void {
    if (this.#batchTimer) clearTimeout(this.#batchTimer);
    this.#batchTimer = undefined;
    if (!this.#batch.size) return;
    const changes = [...this.#batch.values()];
    this.#batch = new Map();
    this.#events.emit(devicesEvents.changed, changes);
  }

  /** Forgets every device (the listeners stay). */
  clear(): void {
    this.#devices.clear();
  }

  #emit(c: DeviceChange): void {
    for (const l of this.#listeners) l(c);
    // Within a batch a device's last change wins, except that added-then-updated is still news of an arrival.
    const before = this.#batch.get(c.device.id);
    this.#batch.set(c.device.id, before?.event === 'added' && c.event === 'updated' ? { event: 'added', device: c.device } : c);
    if (this.#batchMs <= 0) this.flush();
    else this.#batchTimer ??= setTimeout(() => this.flush(), this.#batchMs);
  }
}

import type { DevicesErrorCode } from '../../../shared/contract/devices';
import { fail, ok, type Result } from '../../../shared/contract/result';
import type { Settings } from '../../../shared/contract/settings';
import { announcedTwins } from '../../../shared/domain/device-run';
import { displayName, type Device } from '../../../shared/domain/devices';
import type { SettingsService } from '../settings/settings-service';
import type { DeviceIndex } from './device-index';
import type { ManualDevices } from './manual-devices';
import type { PublishedDevices } from './published-devices';

export interface DeviceSettingsDeps {
  /** Absent for a one-off discovery (the CLI's `discover`), which changes no settings. */
  settings?: () => SettingsService;
  published: PublishedDevices;
  manual: ManualDevices;
  index: DeviceIndex;
  resolveHost: (host: string) => Promise<Result<string[], 'unresolvable-address'>>;
  /** Whether discovery is running, so that a change is published to the doors at once. */
  running: () => boolean;
}

/**
 * What the user keeps about devices in settings: boards added by address, nicknames and favourites. Each change
 * is saved first and then published, so the list never shows what the settings file does not hold.
 */
export function createDeviceSettings(deps: DeviceSettingsDeps) {
  const { published, manual } = deps;

  async function withSettings<T>(fn: (s: Settings) => Promise<Result<T, DevicesErrorCode>>): Promise<Result<T, DevicesErrorCode>> {
    if (!deps.settings) return fail('settings-unreadable', 'devices: no settings store in this process');
    const r = await deps.settings().get();
    if (!r.ok) return fail('settings-unreadable', r.message);
    published.settings = r.value;
    return fn(r.value);
  }

  async function save(patch: Partial<Settings>): Promise<Result<Settings, DevicesErrorCode>> {
    const r = await deps.settings!().update(patch);
    if (!r.ok) return fail(r.code === 'settings-unreadable' ? 'settings-unreadable' : 'settings-unwritable', r.message);
    published.settings = r.value;
    if (deps.running()) published.redecorate();
    return ok(r.value);
  }

  const findDevice = (id: string): Device | undefined => {
    const known = published.get(id) ?? deps.index.get(id);
    if (known) return published.decorate(known);
    const entry = published.settings?.pinnedDevices.find((e) => manual.isEntryOf(e, id));
    const d = entry && manual.device(entry);
    return d ? published.decorate(d) : undefined;
  };

  return {
    addManual({ address, nickname }: { address: string; nickname?: string }): Promise<Result<Device, DevicesErrorCode>> {
      return withSettings(async (s) => {
        const admitted = await manual.admit(s.pinnedDevices, address, deps.resolveHost);
        if (!admitted.ok) return admitted;
        const entry = nickname ? { address: address.trim(), nickname } : { address: address.trim() };
        const adding = manual.device(entry)!;
        const twin = announcedTwins([...published.all(), adding]).get(adding.id);
        if (twin) {
          return fail(
            'manual-device-exists',
            `address: ${entry.address} reaches ${displayName(twin)}, which the list already shows (found on the network): use that row; add a board by address only when discovery does not find it`,
          );
        }
        const saved = await save({ pinnedDevices: [...s.pinnedDevices, entry] });
        if (!saved.ok) return saved;
        return ok(published.decorate(manual.device(entry)!));
      });
    },
    removeManual({ id }: { id: string }): Promise<Result<{ removed: string }, DevicesErrorCode>> {
      return withSettings(async (s) => {
        const keep = s.pinnedDevices.filter((e) => !manual.isEntryOf(e, id));
        if (keep.length === s.pinnedDevices.length) {
          return fail('manual-device-not-found', `id: "${id}" is not a manually added device: list them with devices:list`);
        }
        const { [id]: _gone, ...nicknames } = s.nicknames;
        manual.forget(id);
        const saved = await save({ pinnedDevices: keep, nicknames, favourites: s.favourites.filter((f) => f !== id) });
        if (!saved.ok) return saved;
        return ok({ removed: id });
      });
    },
    setNickname({ id, nickname }: { id: string; nickname: string }): Promise<Result<Device | null, DevicesErrorCode>> {
      return withSettings(async (s) => {
        const name = nickname.trim();
        const { [id]: _old, ...nicknames } = s.nicknames;
        if (name) nicknames[id] = name;
        // A manual device's own nickname lives in its pinned entry; keep one source of truth per device.
        const pinnedDevices = s.pinnedDevices.map((e) => {
          if (!manual.isEntryOf(e, id)) return e;
          return { address: e.address };
        });
        const saved = await save({ nicknames, pinnedDevices });
        if (!saved.ok) return saved;
        return ok(findDevice(id) ?? null);
      });
    },
    setFavourite({ id, favourite }: { id: string; favourite: boolean }): Promise<Result<Device | null, DevicesErrorCode>> {
      return withSettings(async (s) => {
        const favourites = s.favourites.filter((f) => f !== id);
        if (favourite) favourites.push(id);
        const saved = await save({ favourites });
        if (!saved.ok) return saved;
        return ok(findDevice(id) ?? null);
      });
    },
  };
}

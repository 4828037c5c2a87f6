import { create } from 'zustand';
import { channels, events } from '../../../shared/contract/index';
import type { Settings, SettingsPatch } from '../../../shared/contract/settings';
import { getClient } from '../../transport/client';

interface SettingsState {
  settings: Settings | null;
  error: string | null;
  saving: boolean;
  load(): Promise<void>;
  update(patch: SettingsPatch): Promise<boolean>;
}

let subscribed = false;

export const useSettingsStore = create<SettingsState>((set) => ({
  settings: null,
  error: null,
  saving: false,
  async load() {
    const client = getClient();
    if (!subscribed) {
      subscribed = true;
      client.on(events.settings.changed, (settings) => set({ settings }));
    }
    const r = await client.call(channels.settings.get, {});
    set(r.ok ? { settings: r.value, error: null } : { error: r.message });
  },
  async update(patch) {
    set({ saving: true });
    const r = await getClient().call(channels.settings.update, patch);
    set(r.ok ? { settings: r.value, error: null, saving: false } : { error: r.message, saving: false });
    return r.ok;
  },
}));

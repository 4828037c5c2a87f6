import { create } from 'zustand';
import { channels, events } from '../../shared/contract/index';
import type { Settings, SettingsPatch } from '../../shared/contract/settings';
import { getClient } from '../transport/client';
import { failureOf, subscribeOnce, type ActionResult } from './store-kit';

interface SettingsState {
  settings: Settings | null;
  error: string | null;
  saving: boolean;
  load(): Promise<void>;
  update(patch: SettingsPatch): Promise<ActionResult>;
  /** Why the SSH key at `path` could not be read, or null when it can (or the core could not say). */
  sshKeyProblem(path: string): Promise<string | null>;
}

/** The app's settings (theme, concurrency, presets…), shared by every screen that reads one. */
export const useSettingsStore = create<SettingsState>((set) => {
  const follow = (settings: Settings) => set({ settings });
  return {
    settings: null,
    error: null,
    saving: false,
    async load() {
      subscribeOnce(events.settings.changed, follow);
      const r = await getClient().call(channels.settings.get, {});
      set(r.ok ? { settings: r.value, error: null } : { error: r.message });
    },
    async update(patch) {
      set({ saving: true });
      const r = await getClient().call(channels.settings.update, patch);
      set(r.ok ? { settings: r.value, error: null, saving: false } : { error: r.message, saving: false });
      return failureOf(r);
    },
    async sshKeyProblem(path) {
      const r = await getClient().call(channels.settings.checkSshKey, { path });
      return r.ok && !r.value.readable ? (r.value.problem ?? 'unreadable') : null;
    },
  };
});

import { create } from 'zustand';
import { channels, events } from '../../../shared/contract/index';
import type { ApiKeyStatus, ApiRegion } from '../../../shared/contract/credentials';
import type { Result } from '../../../shared/contract/result';
import { getClient } from '../../transport/client';
import { failureOf, subscribeOnce, type ActionResult } from '../../app/store-kit';

export type { ApiKeyStatus, ApiRegion };

interface CredentialsState {
  status: ApiKeyStatus | null;
  regions: ApiRegion[];
  loadError: string | null;
  saving: boolean;
  load(): Promise<void>;
  /** The key is not kept anywhere in the renderer. */
  save(apiKey: string, apiUrl: string): Promise<ActionResult>;
  remove(): Promise<ActionResult>;
  migrate(): Promise<ActionResult>;
}

export const useCredentialsStore = create<CredentialsState>((set, get) => {
  /** Saved, deleted or migrated elsewhere (the CLI, another window): follow the URL we are showing. */
  const follow = (status: ApiKeyStatus) => {
    const current = get().status;
    if (!current || current.apiUrl === status.apiUrl)
      set({ status: { ...status, accountName: status.accountName ?? (status.present ? current?.accountName : undefined) } });
  };
  /** A save, delete or migrate answers with the new status. */
  const settle = (r: Result<ApiKeyStatus>): ActionResult => {
    if (r.ok) set({ status: r.value });
    return failureOf(r);
  };

  return {
    status: null,
    regions: [],
    loadError: null,
    saving: false,

    async load() {
      const client = getClient();
      subscribeOnce(events.credentials.apiKeyChanged, follow);
      const [status, regions] = await Promise.all([client.call(channels.credentials.apiKeyStatus, {}), client.call(channels.credentials.regions, {})]);
      if (regions.ok) set({ regions: regions.value });
      if (status.ok) {
        // Keep an account name learnt earlier in this session if the status call doesn't repeat it.
        const previous = get().status;
        const accountName =
          status.value.accountName ??
          (previous?.present && previous.apiUrl === status.value.apiUrl && previous.masked === status.value.masked ? previous.accountName : undefined);
        set({ status: { ...status.value, ...(accountName !== undefined && { accountName }) }, loadError: null });
      } else set({ loadError: status.message });
    },

    async save(apiKey, apiUrl) {
      set({ saving: true });
      const r = await getClient().call(channels.credentials.apiKeySave, { apiKey, apiUrl });
      set({ saving: false });
      return settle(r);
    },

    async remove() {
      const apiUrl = get().status?.apiUrl;
      return settle(await getClient().call(channels.credentials.apiKeyDelete, apiUrl ? { apiUrl } : {}));
    },

    async migrate() {
      const apiUrl = get().status?.apiUrl;
      return settle(await getClient().call(channels.credentials.migratePlaintextKey, apiUrl ? { apiUrl } : {}));
    },
  };
});

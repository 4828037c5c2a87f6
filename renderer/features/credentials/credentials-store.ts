import { create } from 'zustand';
import { channels, events } from '../../../shared/contract/index';
import type { ApiKeyStatus, ApiRegion } from '../../../shared/contract/credentials';
import { getClient } from '../../transport/client';

export type { ApiKeyStatus, ApiRegion };

/** A failure as the form shows it: which field it belongs to, and the backend's message. */
export interface SaveFailure {
  field: 'apiKey' | 'apiUrl' | 'form';
  code: string;
  message: string;
}

/** Which input a failed save points at: the key itself, the URL, or neither (keychain, network). */
export function failureField(code: string, message: string): SaveFailure['field'] {
  if (code === 'api-key-invalid') return 'apiKey';
  if (code === 'invalid-request') return /url/i.test(message) ? 'apiUrl' : /key/i.test(message) ? 'apiKey' : 'form';
  return 'form';
}

interface CredentialsState {
  status: ApiKeyStatus | null;
  regions: ApiRegion[];
  loadError: string | null;
  saving: boolean;
  load(): Promise<void>;
  /** Resolves to null on success, or the failure to show. The key is not kept anywhere in the renderer. */
  save(apiKey: string, apiUrl: string): Promise<SaveFailure | null>;
  remove(): Promise<string | null>;
  migrate(): Promise<string | null>;
}

let subscribed = false;

export const useCredentialsStore = create<CredentialsState>((set, get) => ({
  status: null,
  regions: [],
  loadError: null,
  saving: false,

  async load() {
    const client = getClient();
    if (!subscribed) {
      subscribed = true;
      // Saved, deleted or migrated elsewhere (the CLI, another window): follow the URL we are showing.
      client.on(events.credentials.apiKeyChanged, (status) => {
        const current = get().status;
        if (!current || current.apiUrl === status.apiUrl) set({ status: { ...status, accountName: status.accountName ?? (status.present ? current?.accountName : undefined) } });
      });
    }
    const [status, regions] = await Promise.all([client.call(channels.credentials.apiKeyStatus, {}), client.call(channels.credentials.regions, {})]);
    if (regions.ok) set({ regions: regions.value });
    if (status.ok) {
      // Keep an account name learnt earlier in this session if the status call doesn't repeat it.
      const previous = get().status;
      const accountName = status.value.accountName ?? (previous?.present && previous.apiUrl === status.value.apiUrl && previous.masked === status.value.masked ? previous.accountName : undefined);
      set({ status: { ...status.value, ...(accountName !== undefined && { accountName }) }, loadError: null });
    } else set({ loadError: status.message });
  },

  async save(apiKey, apiUrl) {
    set({ saving: true });
    const r = await getClient().call(channels.credentials.apiKeySave, { apiKey, apiUrl });
    if (r.ok) {
      set({ saving: false, status: r.value });
      return null;
    }
    set({ saving: false });
    return { field: failureField(r.code, r.message), code: r.code, message: r.message };
  },

  async remove() {
    const apiUrl = get().status?.apiUrl;
    const r = await getClient().call(channels.credentials.apiKeyDelete, apiUrl ? { apiUrl } : {});
    if (!r.ok) return r.message;
    set({ status: r.value });
    return null;
  },

  async migrate() {
    const apiUrl = get().status?.apiUrl;
    const r = await getClient().call(channels.credentials.migratePlaintextKey, apiUrl ? { apiUrl } : {});
    if (!r.ok) return r.message;
    set({ status: r.value });
    return null;
  },
}));

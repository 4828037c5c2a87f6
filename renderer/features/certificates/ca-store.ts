import { create } from 'zustand';
import { channels, events } from '../../../shared/contract/index';
import type { CaCreateRequest, CaTrusted, CertificateAuthority } from '../../../shared/contract/ca';
import type { Result } from '../../../shared/contract/result';
import { getClient } from '../../transport/client';

export type { CertificateAuthority, CaTrusted };

interface CaState {
  authorities: CertificateAuthority[];
  /** Why trust states are unknown (no API key, cloud unreachable). */
  cloudNote: string | null;
  loaded: boolean;
  error: string | null;
  load(): Promise<void>;
  create(request: CaCreateRequest): Promise<Result<CertificateAuthority>>;
  /** Resolves to null on success, or the failure to show. */
  importCa(name: string, certificate: File, key: File): Promise<string | null>;
  remove(name: string): Promise<string | null>;
  trust(name: string, firstToClaim: boolean): Promise<Result<CaTrusted>>;
}

async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

let subscribed = false;

/** The own CAs of the Team Store and their trust state in the account (Certificates → Certificate authorities). */
export const useCaStore = create<CaState>((set, get) => ({
  authorities: [],
  cloudNote: null,
  loaded: false,
  error: null,

  async load() {
    if (!subscribed) {
      subscribed = true;
      getClient().on(events.ca.changed, () => void get().load());
    }
    const r = await getClient().call(channels.ca.list, {});
    if (r.ok) set({ authorities: r.value.authorities, cloudNote: r.value.cloudNote, loaded: true, error: null });
    else set({ loaded: true, error: r.message });
  },

  async create(request) {
    const r = await getClient().call(channels.ca.create, request);
    if (r.ok) await get().load();
    return r;
  },

  async importCa(name, certificate, key) {
    let files;
    try {
      files = { certificate: { fileName: certificate.name, base64: await base64Of(certificate) }, key: { fileName: key.name, base64: await base64Of(key) } };
    } catch (err) {
      return `Could not read the chosen files: ${(err as Error).message}. Choose them again.`;
    }
    const r = await getClient().call(channels.ca.import, { name, ...files });
    if (!r.ok) return r.message;
    await get().load();
    return null;
  },

  async remove(name) {
    const r = await getClient().call(channels.ca.delete, { name });
    if (!r.ok) return r.message;
    await get().load();
    return null;
  },

  async trust(name, firstToClaim) {
    const r = await getClient().call(channels.ca.trust, { name, firstToClaim });
    if (r.ok) await get().load();
    return r;
  },
}));

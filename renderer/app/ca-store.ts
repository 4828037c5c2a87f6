import { create } from 'zustand';
import { channels, events } from '../../shared/contract/index';
import type { CaCreateRequest, CaTrusted, CertificateAuthority } from '../../shared/contract/ca';
import { fail, type Result } from '../../shared/contract/result';
import { getClient } from '../transport/client';
import { failureOf, latestOnly, STALE, subscribeOnce, type ActionResult } from './store-kit';

export type { CertificateAuthority, CaTrusted };

interface CaState {
  authorities: CertificateAuthority[];
  /** Why trust states are unknown (no API key, cloud unreachable). */
  cloudNote: string | null;
  loaded: boolean;
  error: string | null;
  load(): Promise<void>;
  /** Answers the new CA (the wizard shows it). */
  create(request: CaCreateRequest): Promise<Result<CertificateAuthority>>;
  importCa(name: string, certificate: File, key: File): Promise<ActionResult>;
  remove(name: string): Promise<ActionResult>;
  /** Answers what the account now trusts (the wizard shows it). */
  trust(name: string, firstToClaim: boolean): Promise<Result<CaTrusted>>;
}

async function base64Of(file: File): Promise<string> {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

const latestList = latestOnly();

/**
 * The own CAs of the Team Store and their trust state in the account, shared by the Certificates screen (where
 * they are made, imported, trusted and deleted) and the Provisioning set-up panel (where one is chosen).
 */
export const useCaStore = create<CaState>((set, get) => {
  // Changed from elsewhere (the CLI, another window): list again.
  const listAgain = () => void get().load();
  /** After a change made here: list again, then answer. */
  const thenList = async <T>(r: Promise<Result<T>>): Promise<Result<T>> => {
    const answer = await r;
    if (answer.ok) await get().load();
    return answer;
  };

  return {
    authorities: [],
    cloudNote: null,
    loaded: false,
    error: null,

    async load() {
      subscribeOnce(events.ca.changed, listAgain);
      const r = await latestList(getClient().call(channels.ca.list, {}));
      if (r === STALE) return;
      if (r.ok) set({ authorities: r.value.authorities, cloudNote: r.value.cloudNote, loaded: true, error: null });
      else set({ loaded: true, error: r.message });
    },
    create(request) {
      return thenList(getClient().call(channels.ca.create, request));
    },
    async importCa(name, certificate, key) {
      let files;
      try {
        files = { certificate: { fileName: certificate.name, base64: await base64Of(certificate) }, key: { fileName: key.name, base64: await base64Of(key) } };
      } catch (err) {
        return fail('file-unreadable', `Could not read the chosen files: ${(err as Error).message}. Choose them again.`);
      }
      return failureOf(await thenList(getClient().call(channels.ca.import, { name, ...files })));
    },
    async remove(name) {
      return failureOf(await thenList(getClient().call(channels.ca.delete, { name })));
    },
    trust(name, firstToClaim) {
      return thenList(getClient().call(channels.ca.trust, { name, firstToClaim }));
    },
  };
});

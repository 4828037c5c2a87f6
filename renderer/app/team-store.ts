import { create } from 'zustand';
import { channels, events } from '../../shared/contract/index';
import { C_FILE_TOO_LARGE, MAX_C_FILE_BYTES, type CloudCertificate, type TeamCertificate } from '../../shared/contract/certificates';
import { fail, type Result } from '../../shared/contract/result';
import { getClient } from '../transport/client';
import { failureOf, latestOnly, STALE, subscribeOnce, type ActionResult } from './store-kit';

export type { TeamCertificate, CloudCertificate };

interface TeamStoreState {
  /** The Team Store folder, once listed. */
  teamStore: string | null;
  team: TeamCertificate[];
  /** The account's developer certificates in the cloud, when the last list asked the cloud and could. */
  cloud: CloudCertificate[] | null;
  cloudNote: string | null;
  loaded: boolean;
  loading: boolean;
  listError: string | null;

  /** Lists the Team Store, and (unless `cloud: false`) the account's developer certificates in the cloud. */
  load(scope?: { cloud?: boolean }): Promise<void>;
  /** Makes a developer certificate in the cloud and saves it into the Team Store. */
  createDeveloper(name: string): Promise<ActionResult>;
  /** Copies a developer certificate that is only in the cloud into the Team Store. */
  fetchDeveloper(name: string): Promise<ActionResult>;
  /** Imports a C file the user chose: `update_default_resources.c`, or the portal's `mbed_cloud_dev_credentials.c`. */
  importFile(kind: TeamCertificate['kind'], name: string, file: File): Promise<ActionResult>;
  remove(name: string, cloud: boolean): Promise<ActionResult>;
}

const latestList = latestOnly();

/**
 * The Team Store's certificates (mbl-cli's shared folder), shared by the Certificates screen and the
 * Provisioning set-up panel: one list, one set of actions, followed live when another door changes it.
 */
export const useTeamStore = create<TeamStoreState>((set, get) => {
  // Changed from elsewhere (the CLI, the wizard, provisioning with -c/-p): list again.
  const listAgain = () => void get().load();
  /** After a change made here: list again, then answer. */
  const thenList = async (r: Promise<Result<unknown>>): Promise<ActionResult> => {
    const failure = failureOf(await r);
    if (!failure) await get().load();
    return failure;
  };

  return {
    teamStore: null,
    team: [],
    cloud: null,
    cloudNote: null,
    loaded: false,
    loading: false,
    listError: null,

    async load(scope = {}) {
      subscribeOnce(events.certificates.teamStoreChanged, listAgain);
      set({ loading: true });
      const r = await latestList(getClient().call(channels.certificates.list, scope));
      if (r === STALE) return;
      if (r.ok)
        set({
          loaded: true,
          loading: false,
          listError: null,
          teamStore: r.value.teamStore,
          team: r.value.team,
          cloud: r.value.cloud,
          cloudNote: r.value.cloudNote,
        });
      else set({ loaded: true, loading: false, listError: r.message });
    },
    createDeveloper(name) {
      return thenList(getClient().call(channels.certificates.createDev, { name }));
    },
    fetchDeveloper(name) {
      return thenList(getClient().call(channels.certificates.fetchDev, { name }));
    },
    async importFile(kind, name, file) {
      // The core parses and checks the file; a file past the channel's bound is not even read into memory.
      if (file.size > MAX_C_FILE_BYTES) return fail('file-too-large', `${file.name}: ${C_FILE_TOO_LARGE}. Choose the C file itself.`);
      let text: string;
      try {
        text = await file.text();
      } catch (err) {
        return fail('file-unreadable', `Could not read ${file.name}: ${(err as Error).message}. Choose the file again.`);
      }
      const channel = kind === 'update' ? channels.certificates.importUpdate : channels.certificates.importDev;
      return thenList(getClient().call(channel, { name, fileName: file.name, text }));
    },
    remove(name, cloud) {
      return thenList(getClient().call(channels.certificates.delete, { name, cloud }));
    },
  };
});

import { create } from 'zustand';
import { channels, events } from '../../../shared/contract/index';
import type { CloudCertificate, StorePaths, TeamCertificate, WizardCreateSummary, WizardFolderState, WizardPreview } from '../../../shared/contract/certificates';
import type { FieldErrors } from '../../../shared/domain/update-certificate';
import { getClient } from '../../transport/client';
import { emptyWizardForm, firstStepWithError, toUpdateCertInput, type WizardForm, type WizardFormField, type WizardStep } from './wizard-form';

export type { TeamCertificate, CloudCertificate };

interface WizardState {
  step: WizardStep;
  /** The last domain and model (settings.wizardPreset) the form was filled from. */
  preset: { domain?: string; model?: string } | null;
  form: WizardForm;
  /** Steps whose Next was pressed: their errors are shown from then on. */
  attempted: boolean[];
  dir: string;
  dirEdited: boolean;
  folder: WizardFolderState | null;
  force: boolean;
  preview: WizardPreview | null;
  /** Errors the backend gave for the last create, by field. */
  serverErrors: FieldErrors;
  creating: boolean;
  error: string | null;
  result: WizardCreateSummary | null;
  savedAs: string | null;
  saving: boolean;
  saveError: string | null;
}

const freshWizard = (preset?: { domain?: string; model?: string }): WizardState => ({
  step: 0,
  preset: preset ?? null,
  form: emptyWizardForm(preset),
  attempted: [false, false, false, false, false],
  dir: '',
  dirEdited: false,
  folder: null,
  force: false,
  preview: null,
  serverErrors: {},
  creating: false,
  error: null,
  result: null,
  savedAs: null,
  saving: false,
  saveError: null,
});

interface CertificatesState {
  view: 'list' | 'wizard' | 'ca-wizard';
  /** The Team Store folder, once listed. */
  teamStore: string | null;
  team: TeamCertificate[];
  cloud: CloudCertificate[] | null;
  cloudNote: string | null;
  loading: boolean;
  listError: string | null;
  wizard: WizardState;
  /** Where the User Store and Team Store are (Settings → Stores). */
  stores: StorePaths | null;
  storesError: string | null;

  load(): Promise<void>;
  loadStores(): Promise<void>;
  /** Resolves to null on success, or the failure to show. */
  setStores(paths: { user?: string; team?: string }): Promise<string | null>;
  createDeveloper(name: string): Promise<string | null>;
  /** Copies a developer certificate that is only in the cloud into the Team Store. */
  fetchDeveloper(name: string): Promise<string | null>;
  importUpdate(name: string, file: File): Promise<string | null>;
  remove(name: string, cloud: boolean): Promise<string | null>;

  openWizard(preset?: { domain?: string; model?: string }): void;
  openCaWizard(): void;
  closeWizard(): void;
  setField(field: WizardFormField, value: string): void;
  setStep(step: WizardStep): void;
  markAttempted(step: WizardStep): void;
  setDir(dir: string): void;
  setForce(force: boolean): void;
  loadDefaultDir(): Promise<void>;
  refreshPreview(): Promise<void>;
  createCertificate(): Promise<boolean>;
  saveToTeamStore(name: string): Promise<boolean>;
}

let subscribed = false;
let listSeq = 0;

export const useCertificatesStore = create<CertificatesState>((set, get) => {
  const patchWizard = (patch: Partial<WizardState>) => set({ wizard: { ...get().wizard, ...patch } });
  let previewSeq = 0;
  let dirSeq = 0;
  let previewTimer: ReturnType<typeof setTimeout> | undefined;

  return {
    view: 'list',
    teamStore: null,
    team: [],
    cloud: null,
    cloudNote: null,
    loading: false,
    listError: null,
    wizard: freshWizard(),
    stores: null,
    storesError: null,

    async load() {
      const client = getClient();
      if (!subscribed) {
        subscribed = true;
        // Changed from elsewhere (the CLI, the wizard, provisioning with -c/-p): list again.
        client.on(events.certificates.teamStoreChanged, () => void get().load());
      }
      const seq = ++listSeq;
      set({ loading: true });
      const r = await client.call(channels.certificates.list, {});
      if (seq !== listSeq) return;
      if (r.ok) set({ loading: false, listError: null, teamStore: r.value.teamStore, team: r.value.team, cloud: r.value.cloud, cloudNote: r.value.cloudNote });
      else set({ loading: false, listError: r.message });
    },
    async loadStores() {
      const r = await getClient().call(channels.certificates.stores, {});
      set(r.ok ? { stores: r.value, storesError: null } : { storesError: r.message });
    },
    async setStores(paths) {
      const r = await getClient().call(channels.certificates.setStores, paths);
      if (!r.ok) return r.message;
      set({ stores: r.value, storesError: null });
      return null;
    },
    async createDeveloper(name) {
      const r = await getClient().call(channels.certificates.createDev, { name });
      if (!r.ok) return r.message;
      await get().load();
      return null;
    },
    async fetchDeveloper(name) {
      const r = await getClient().call(channels.certificates.fetchDev, { name });
      if (!r.ok) return r.message;
      await get().load();
      return null;
    },
    async importUpdate(name, file) {
      let text: string;
      try {
        text = await file.text();
      } catch (err) {
        return `Could not read ${file.name}: ${(err as Error).message}. Choose the file again.`;
      }
      const r = await getClient().call(channels.certificates.importUpdate, { name, fileName: file.name, text });
      if (!r.ok) return r.message;
      await get().load();
      return null;
    },
    async remove(name, cloud) {
      const r = await getClient().call(channels.certificates.delete, { name, cloud });
      if (!r.ok) return r.message;
      await get().load();
      return null;
    },

    openWizard(preset) {
      set({ view: 'wizard', wizard: freshWizard(preset) });
    },
    openCaWizard() {
      set({ view: 'ca-wizard' });
    },
    closeWizard() {
      set({ view: 'list' });
      void get().load();
    },
    setField(field, value) {
      const form = { ...get().wizard.form, [field]: value };
      if (field === 'commonName') form.commonNameEdited = true;
      const serverErrors = { ...get().wizard.serverErrors };
      delete serverErrors[field];
      patchWizard({ form, serverErrors });
    },
    setStep(step) {
      patchWizard({ step, error: null });
    },
    markAttempted(step) {
      const attempted = [...get().wizard.attempted];
      attempted[step] = true;
      patchWizard({ attempted });
    },
    setDir(dir) {
      patchWizard({ dir, dirEdited: true });
      // Ask the backend what is already in the folder once the user pauses typing.
      clearTimeout(previewTimer);
      previewTimer = setTimeout(() => void get().refreshPreview(), 250);
    },
    setForce(force) {
      patchWizard({ force });
    },

    /** Suggests `~/update-certificates/<model>` unless the user typed a folder of their own. */
    async loadDefaultDir() {
      const { form, dirEdited } = get().wizard;
      if (dirEdited) return;
      const seq = ++dirSeq;
      const r = await getClient().call(channels.certificates.wizardDefaultDir, { domain: form.domain.trim(), model: form.model.trim() });
      if (seq !== dirSeq || get().wizard.dirEdited) return;
      if (r.ok) patchWizard({ dir: r.value.dir, folder: r.value.folder });
      else patchWizard({ error: r.message });
    },

    /** The backend's view of the form and the target folder (what would be kept or reused there). */
    async refreshPreview() {
      const { form, dir } = get().wizard;
      const seq = ++previewSeq;
      const request = { ...toUpdateCertInput(form), ...(dir.trim() ? { dir: dir.trim() } : {}) };
      const r = await getClient().call(channels.certificates.wizardPreview, request);
      if (seq !== previewSeq) return;
      if (r.ok) patchWizard({ preview: r.value, folder: r.value.folder ?? null });
      else patchWizard({ preview: null, error: r.message });
    },

    async createCertificate() {
      const { form, dir, force } = get().wizard;
      if (!dir.trim()) {
        patchWizard({ error: 'Folder: enter the folder the files go into, for example ~/update-certificates/dev-device' });
        return false;
      }
      patchWizard({ creating: true, error: null });
      const r = await getClient().call(channels.certificates.wizardCreate, { ...toUpdateCertInput(form), dir: dir.trim(), force });
      if (r.ok) {
        patchWizard({ creating: false, result: r.value, step: 4, savedAs: null, saveError: null });
        return true;
      }
      const fieldErrors = (r.details?.fieldErrors ?? {}) as FieldErrors;
      const back = firstStepWithError(fieldErrors);
      if (back !== undefined) {
        const attempted = get().wizard.attempted.map((a, i) => a || i === back);
        patchWizard({ creating: false, serverErrors: fieldErrors, attempted, step: back, error: null });
      } else patchWizard({ creating: false, error: r.message });
      return false;
    },

    /** The generated update_default_resources.c goes into the Team Store like an imported one. */
    async saveToTeamStore(name) {
      const result = get().wizard.result;
      if (!result) return false;
      patchWizard({ saving: true, saveError: null });
      const r = await getClient().call(channels.certificates.importUpdate, { name, fileName: 'update_default_resources.c', text: result.cFileText });
      if (r.ok) patchWizard({ saving: false, savedAs: r.value.name });
      else patchWizard({ saving: false, saveError: r.message });
      return r.ok;
    },
  };
});

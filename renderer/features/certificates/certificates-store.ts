import { create } from 'zustand';
import { channels } from '../../../shared/contract/index';
import type { CertificateSummary, StorePaths, WizardCreateSummary, WizardFolderState, WizardPreview } from '../../../shared/contract/certificates';
import { fail } from '../../../shared/contract/result';
import type { FieldErrors } from '../../../shared/domain/update-certificate';
import { getClient } from '../../transport/client';
import { failureOf, latestOnly, STALE, type ActionResult } from '../../app/store-kit';
import { useTeamStore } from '../../app/team-store';
import {
  DONE_STEP,
  emptyWizardForm,
  firstStepWithError,
  STEP_FIELDS,
  toWizardRequest,
  type WizardForm,
  type WizardFormField,
  type WizardStep,
} from './wizard-form';

export interface WizardState {
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
  /** The existing certificate (Advanced step), once the core has checked it and its key. */
  existing: CertificateSummary | null;
  checking: boolean;
  /** Errors the backend gave for the last check or create, by field. */
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
  attempted: [false, false, false, false, false, false],
  dir: '',
  dirEdited: false,
  folder: null,
  force: false,
  preview: null,
  existing: null,
  checking: false,
  serverErrors: {},
  creating: false,
  error: null,
  result: null,
  savedAs: null,
  saving: false,
  saveError: null,
});

/** The Certificates screen's own state: which view, the update-certificate wizard, the store folders. The certificates themselves are in `useTeamStore`. */
interface CertificatesState {
  view: 'list' | 'wizard' | 'ca-wizard';
  wizard: WizardState;
  /** Where the User Store and Team Store are (Settings → Stores). */
  stores: StorePaths | null;
  storesError: string | null;

  loadStores(): Promise<void>;
  setStores(paths: { user?: string; team?: string }): Promise<ActionResult>;

  openWizard(preset?: { domain?: string; model?: string }): void;
  openCaWizard(): void;
  closeWizard(): void;
  setField(field: WizardFormField, value: string): void;
  setCertificateSource(source: WizardForm['certificate']): void;
  /** Asks the core to check the existing certificate and key as create will; answers whether they passed. */
  checkExisting(): Promise<boolean>;
  setStep(step: WizardStep): void;
  markAttempted(step: WizardStep): void;
  setDir(dir: string): void;
  setForce(force: boolean): void;
  loadDefaultDir(): Promise<void>;
  refreshPreview(): Promise<void>;
  createCertificate(): Promise<ActionResult>;
  saveToTeamStore(name: string): Promise<ActionResult>;
}

export const useCertificatesStore = create<CertificatesState>((set, get) => {
  const patchWizard = (patch: Partial<WizardState>) => set({ wizard: { ...get().wizard, ...patch } });
  const latestPreview = latestOnly();
  const latestDir = latestOnly();
  let previewTimer: ReturnType<typeof setTimeout> | undefined;

  return {
    view: 'list',
    wizard: freshWizard(),
    stores: null,
    storesError: null,

    async loadStores() {
      const r = await getClient().call(channels.certificates.stores, {});
      set(r.ok ? { stores: r.value, storesError: null } : { storesError: r.message });
    },
    async setStores(paths) {
      const r = await getClient().call(channels.certificates.setStores, paths);
      if (r.ok) set({ stores: r.value, storesError: null });
      return failureOf(r);
    },

    openWizard(preset) {
      set({ view: 'wizard', wizard: freshWizard(preset) });
    },
    openCaWizard() {
      set({ view: 'ca-wizard' });
    },
    closeWizard() {
      set({ view: 'list' });
      void useTeamStore.getState().load();
    },
    setField(field, value) {
      const form = { ...get().wizard.form, [field]: value };
      if (field === 'commonName') form.commonNameEdited = true;
      if (field === 'vendorId') form.vendorIdEdited = true;
      if (field === 'classId') form.classIdEdited = true;
      const serverErrors = { ...get().wizard.serverErrors };
      delete serverErrors[field];
      const existing = field === 'certificatePath' || field === 'keyPath' ? null : get().wizard.existing;
      patchWizard({ form, serverErrors, existing });
    },
    setCertificateSource(certificate) {
      // What was checked belongs to the existing files; a new certificate has none.
      const { certificatePath: _c, keyPath: _k, ...serverErrors } = get().wizard.serverErrors;
      patchWizard({ form: { ...get().wizard.form, certificate }, existing: null, serverErrors });
    },
    async checkExisting() {
      const { form } = get().wizard;
      patchWizard({ checking: true, error: null });
      const r = await getClient().call(channels.certificates.wizardPreview, toWizardRequest(form));
      if (!r.ok) {
        patchWizard({ checking: false, error: r.message });
        return false;
      }
      const fileErrors = Object.fromEntries(STEP_FIELDS[1].filter((f) => r.value.fieldErrors[f]).map((f) => [f, r.value.fieldErrors[f]]));
      patchWizard({ checking: false, existing: r.value.certificate ?? null, serverErrors: { ...get().wizard.serverErrors, ...fileErrors } });
      return Object.keys(fileErrors).length === 0 && r.value.certificate !== undefined;
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
      const r = await latestDir(getClient().call(channels.certificates.wizardDefaultDir, { domain: form.domain.trim(), model: form.model.trim() }));
      if (r === STALE || get().wizard.dirEdited) return;
      if (r.ok) patchWizard({ dir: r.value.dir, folder: r.value.folder });
      else patchWizard({ error: r.message });
    },

    /** The backend's view of the form and the target folder (what would be kept or reused there). */
    async refreshPreview() {
      const { form, dir } = get().wizard;
      const request = { ...toWizardRequest(form), ...(dir.trim() ? { dir: dir.trim() } : {}) };
      const r = await latestPreview(getClient().call(channels.certificates.wizardPreview, request));
      if (r === STALE) return;
      if (r.ok) patchWizard({ preview: r.value, folder: r.value.folder ?? null });
      else patchWizard({ preview: null, error: r.message });
    },

    async createCertificate() {
      const { form, dir, force } = get().wizard;
      if (!dir.trim()) {
        const failure = fail('invalid-input', 'Folder: enter the folder the files go into, for example ~/update-certificates/dev-device');
        patchWizard({ error: failure.message });
        return failure;
      }
      patchWizard({ creating: true, error: null });
      const r = await getClient().call(channels.certificates.wizardCreate, { ...toWizardRequest(form), dir: dir.trim(), force });
      if (r.ok) {
        patchWizard({ creating: false, result: r.value, step: DONE_STEP, savedAs: null, saveError: null });
        return null;
      }
      const fieldErrors = (r.details?.fieldErrors ?? {}) as FieldErrors;
      const back = firstStepWithError(fieldErrors);
      if (back !== undefined) {
        const attempted = get().wizard.attempted.map((a, i) => a || i === back);
        patchWizard({ creating: false, serverErrors: fieldErrors, attempted, step: back, error: null });
      } else patchWizard({ creating: false, error: r.message });
      return r;
    },

    /** The generated update_default_resources.c goes into the Team Store like an imported one. */
    async saveToTeamStore(name) {
      const result = get().wizard.result;
      if (!result) return fail('nothing-to-save', 'Nothing to save yet: create the certificate first.');
      patchWizard({ saving: true, saveError: null });
      const r = await getClient().call(channels.certificates.importUpdate, { name, fileName: 'update_default_resources.c', text: result.cFileText });
      if (r.ok) patchWizard({ saving: false, savedAs: r.value.name });
      else patchWizard({ saving: false, saveError: r.message });
      return failureOf(r);
    },
  };
});

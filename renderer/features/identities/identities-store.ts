import { create } from 'zustand';
import { channels } from '../../../shared/contract/index';
import type { IdentityFilter, IdentityRecord } from '../../../shared/contract/identities';
import { fail, ok, type Result } from '../../../shared/contract/result';
import { getClient } from '../../transport/client';
import { downloadText } from '../../app/download';
import { latestOnly, STALE } from '../../app/store-kit';

interface IdentitiesState {
  records: IdentityRecord[];
  loaded: boolean;
  error: string | null;
  device: string;
  runId: string;
  /** A station's name, whole, or empty for every station. */
  station: string;
  /** `YYYY-MM-DD` from the date input, or empty. */
  since: string;
  setFilter(patch: Partial<Pick<IdentitiesState, 'device' | 'runId' | 'station' | 'since'>>): void;
  load(): Promise<void>;
  /** Downloads the enrollment CSV of the confirmed identities the filter selects; answers how many went in and how many were left out. */
  exportEnrollment(): Promise<Result<{ count: number; refused: number }>>;
}

const filterOf = (s: Pick<IdentitiesState, 'device' | 'runId' | 'station' | 'since'>): IdentityFilter => ({
  ...(s.device.trim() ? { device: s.device.trim() } : {}),
  ...(s.runId.trim() ? { runId: s.runId.trim() } : {}),
  ...(s.station.trim() ? { station: s.station.trim() } : {}),
  ...(s.since ? { since: s.since } : {}),
});

let debounce: ReturnType<typeof setTimeout> | undefined;
const latestList = latestOnly();

/** Identities: the registry's records, filtered by device, run, station and date, and their enrollment list. */
export const useIdentitiesStore = create<IdentitiesState>((set, get) => ({
  records: [],
  loaded: false,
  error: null,
  device: '',
  runId: '',
  station: '',
  since: '',
  setFilter(patch) {
    set(patch);
    if (debounce) clearTimeout(debounce);
    debounce = setTimeout(() => void get().load(), 200);
  },
  async load() {
    const r = await latestList(getClient().call(channels.identities.list, filterOf(get())));
    if (r === STALE) return;
    set(r.ok ? { records: r.value, error: null, loaded: true } : { error: r.message, loaded: true });
  },
  async exportEnrollment() {
    const r = await getClient().call(channels.identities.exportEnrollment, filterOf(get()));
    if (!r.ok) return r;
    if (r.value.identities.length === 0) return fail('no-identities', 'None of the identities shown is confirmed on its device: nothing to enroll.');
    downloadText(r.value.fileName, r.value.csv, 'text/csv');
    return ok({ count: r.value.identities.length, refused: r.value.refused.length });
  },
}));

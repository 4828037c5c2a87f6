import { create } from 'zustand';
import { channels } from '../../../shared/contract/index';
import type { AuditEntry, HistoryFilter, HistorySyncStatus } from '../../../shared/contract/history';
import { getClient } from '../../transport/client';
import { downloadText, mimeFor } from '../../app/download';
import { failureOf, latestOnly, STALE, type ActionResult } from '../../app/store-kit';

type ResultFilter = NonNullable<HistoryFilter['result']> | '';

interface HistoryState {
  entries: AuditEntry[];
  loaded: boolean;
  loading: boolean;
  error: string | null;
  device: string;
  station: string;
  result: ResultFilter;
  /** The store in use and the entries waiting in the local journal for the shared database. */
  sync: HistorySyncStatus | null;
  setDevice(device: string): void;
  setStation(station: string): void;
  setResult(result: ResultFilter): void;
  load(): Promise<void>;
  exportAs(format: 'csv' | 'json'): Promise<ActionResult>;
}

const filterOf = (s: Pick<HistoryState, 'device' | 'station' | 'result'>): HistoryFilter => ({
  ...(s.device.trim() ? { device: s.device.trim() } : {}),
  ...(s.station ? { station: s.station } : {}),
  ...(s.result ? { result: s.result } : {}),
});

let debounce: ReturnType<typeof setTimeout> | undefined;
/** A newer filter may answer first. */
const latestList = latestOnly();

export const useHistoryStore = create<HistoryState>((set, get) => ({
  entries: [],
  loaded: false,
  loading: false,
  error: null,
  device: '',
  station: '',
  result: '',
  sync: null,
  setDevice(device) {
    set({ device });
    if (debounce) clearTimeout(debounce);
    debounce = setTimeout(() => void get().load(), 200);
  },
  setStation(station) {
    set({ station });
    void get().load();
  },
  setResult(result) {
    set({ result });
    void get().load();
  },
  async load() {
    set({ loading: true });
    // Asked first: it sends what waits in the journal, so the list that follows includes it.
    const sync = getClient().call(channels.history.syncStatus, {});
    const r = await latestList(getClient().call(channels.history.list, filterOf(get())));
    const synced = await sync;
    if (synced.ok) set({ sync: synced.value });
    if (r === STALE) return;
    set(r.ok ? { entries: r.value, error: null, loaded: true, loading: false } : { error: r.message, loaded: true, loading: false });
  },
  async exportAs(format) {
    const r = await getClient().call(channels.history.export, { ...filterOf(get()), format });
    if (r.ok) downloadText(r.value.fileName, r.value.text, mimeFor(r.value.format));
    return failureOf(r);
  },
}));

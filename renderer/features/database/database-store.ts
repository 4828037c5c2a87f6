import { create } from 'zustand';
import { channels } from '../../../shared/contract/index';
import type { DatabaseStatus, MigrationReport } from '../../../shared/contract/database';
import { getClient } from '../../transport/client';
import { failureOf, type ActionResult } from '../../app/store-kit';

interface DatabaseState {
  status: DatabaseStatus | null;
  /** A failure of the last call (not a connection problem: that is in `status.error`). */
  error: string | null;
  /** The URL itself was refused (`database-url-invalid`): the screen marks that field. */
  urlRefused: boolean;
  busy: 'testing' | 'saving' | 'migrating' | null;
  load(): Promise<void>;
  test(url: string, password: string): Promise<DatabaseStatus | null>;
  save(url: string, password: string): Promise<ActionResult>;
  /** The migration it ran, or the failure (also kept in `error`). */
  migrate(): Promise<MigrationReport | ActionResult>;
  answerConsent(migrateOnStart: boolean): Promise<ActionResult>;
}

const connection = (url: string, password: string) => ({ url: url.trim(), ...(password ? { password } : {}) });

/** Settings → Shared database, and the once-asked consent to migrate on start. */
export const useDatabaseStore = create<DatabaseState>((set, get) => ({
  status: null,
  error: null,
  urlRefused: false,
  busy: null,
  async load() {
    const r = await getClient().call(channels.database.status, {});
    set(r.ok ? { status: r.value, error: null } : { error: r.message });
  },
  async test(url, password) {
    set({ busy: 'testing', error: null, urlRefused: false });
    const r = await getClient().call(channels.database.test, connection(url, password));
    set({ busy: null, error: r.ok ? null : r.message, urlRefused: !r.ok && r.code === 'database-url-invalid' });
    return r.ok ? r.value : null;
  },
  async save(url, password) {
    set({ busy: 'saving', error: null, urlRefused: false });
    const r = await getClient().call(channels.database.save, connection(url, password));
    set(r.ok ? { busy: null, status: r.value } : { busy: null, error: r.message, urlRefused: r.code === 'database-url-invalid' });
    return failureOf(r);
  },
  async migrate() {
    set({ busy: 'migrating', error: null });
    const r = await getClient().call(channels.database.migrate, {});
    set({ busy: null, error: r.ok ? null : r.message });
    await get().load();
    return r.ok ? r.value : r;
  },
  async answerConsent(migrateOnStart) {
    const r = await getClient().call(channels.database.consent, { migrateOnStart });
    set(r.ok ? { status: r.value, error: null } : { error: r.message });
    return failureOf(r);
  },
}));

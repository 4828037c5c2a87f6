import { afterAll, beforeAll } from 'vitest';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startCloudEmulator, type CloudEmulator } from '../../../../cloud-emulator/emulator';
import { createCore, defaultCoreDeps } from '../../../../../electron/services/composition';
import type { SecretBackend } from '../../../../../electron/services/keychain/index';
import { emptyHome } from '../stores/mbl-cli-fixture';

/**
 * A core on temporary folders, pointed at the cloud emulator, with an in-memory keychain backend (the real
 * gnome-keyring is used by the integration tests). Call `withEmulatedCloud()` once at the top of a test file.
 */
export const KEY = 'ak_1MDE3YTkyZGVmMGI0MDI0MjBhMDE0YzExMDAwMDAwMDA01a2b';
export const LEGACY_KEY = 'ak_mblcli_plaintext_legacy_key_9f3e';

export const cloud: { emu: CloudEmulator } = { emu: undefined as unknown as CloudEmulator };
export function withEmulatedCloud(): void {
  beforeAll(async () => {
    cloud.emu = await startCloudEmulator();
    cloud.emu.addAccount({ name: 'Lab bench account', apiKey: KEY });
    cloud.emu.addAccount({ name: 'Old mbl-cli account', apiKey: LEGACY_KEY });
  });
  afterAll(() => cloud.emu?.close());
}

/** What the in-memory keychain holds, `service|account` → secret. */
export const items = new Map<string, string>();
const backend: SecretBackend = {
  getPassword: async (s, a) => items.get(`${s}|${a}`) ?? null,
  setPassword: async (s, a, p) => void items.set(`${s}|${a}`, p),
  deletePassword: async (s, a) => items.delete(`${s}|${a}`),
  findCredentials: async () => [],
};

export function core(home = emptyHome(), dataDir = mkdtempSync(join(tmpdir(), 'pws-data-')), env: NodeJS.ProcessEnv = { PWS_API_URL: cloud.emu.url }) {
  items.clear();
  const { events, router, services } = createCore(defaultCoreDeps({ home, dataDir, env }), { secretBackend: async () => backend });
  const seen: string[] = [];
  events.onAny((name, payload) => seen.push(`${name} ${JSON.stringify(payload)}`));
  const call = (name: string, req: unknown = {}) =>
    router.dispatch(name, req, { door: 'test' }) as Promise<{ ok: boolean; value?: any; code?: string; message?: string }>;
  return { home, dataDir, call, seen, services, settings: services.settings };
}

import { describe, it, expect } from 'vitest';
import { createKeychainService, type SecretBackend } from '../../../../../electron/services/keychain/index';
import { fail, ok, type Result } from '../../../../../shared/contract/result';
import { silentLogger } from '../../../../../electron/services/log';

const KEY = 'ak_1MDE3YTkyZGVmMGI0MDI0MjBhMDE0YzExMDAwMDAwMDA01a2b';
const OTHER = 'ak_9Zq0ZmFrZWtleWZvcnRoZXNlY29uZGFjY291bnQwMDAw9c8d';
const URL_ = 'https://api.eu-west-1.mbedcloud.com';

/** An in-memory keychain that can be locked or made to throw like libsecret does. */
function memoryBackend() {
  const items = new Map<string, string>();
  const state = { locked: false, throwMessage: undefined as string | undefined };
  const guard = () => {
    if (state.throwMessage) throw new Error(state.throwMessage);
  };
  const backend: SecretBackend = {
    async getPassword(s, a) {
      guard();
      return state.locked ? null : (items.get(`${s}|${a}`) ?? null);
    },
    async setPassword(s, a, p) {
      guard();
      if (state.locked) throw new Error('Cannot create an item in a locked collection');
      items.set(`${s}|${a}`, p);
    },
    async deletePassword(s, a) {
      guard();
      return items.delete(`${s}|${a}`);
    },
    async findCredentials(s) {
      guard();
      return [...items].filter(([k]) => k.startsWith(`${s}|`)).map(([k, password]) => ({ account: k.split('|')[1]!, password }));
    },
    async isLocked() {
      return state.locked;
    },
  };
  return { backend, items, state };
}

type FakeClient = { baseUrl: string; key: string };
const setup = (env: NodeJS.ProcessEnv = {}) => {
  const mem = memoryBackend();
  const keychain = createKeychainService<FakeClient>({
    backend: async () => mem.backend,
    clientFactory: (baseUrl, key) => ({ baseUrl, key }),
    env,
    log: silentLogger,
  });
  const accept = async (c: FakeClient): Promise<Result<string>> => (c.key === KEY || c.key === OTHER ? ok('acct') : fail('unauthorized', 'no'));
  return { mem, keychain, accept };
};

describe('keychain service', () => {
  it('stores a validated key under service provisioning-workstation / account = URL, and only ever answers it masked', async () => {
    const { mem, keychain, accept } = setup();
    const r = await keychain.saveValidated(`${URL_}/`, KEY, accept);
    expect(r).toMatchObject({ ok: true, value: { presence: { present: true, masked: 'ak_…1a2b', apiUrl: URL_, source: 'keychain' } } });
    expect([...mem.items]).toEqual([[`provisioning-workstation|${URL_}`, KEY]]);
    const s = await keychain.status(URL_);
    expect(s).toEqual({ ok: true, value: { present: true, masked: 'ak_…1a2b', apiUrl: URL_, source: 'keychain' } });
    expect(JSON.stringify(s)).not.toContain(KEY);
    expect(await keychain.listUrls()).toEqual({ ok: true, value: [URL_] });
    const c = await keychain.client(URL_);
    expect(c).toEqual({ ok: true, value: { baseUrl: URL_, key: KEY } });
  });

  it('keeps the previous key when the new one fails validation', async () => {
    const { mem, keychain, accept } = setup();
    await keychain.saveValidated(URL_, KEY, accept);
    const r = await keychain.saveValidated(URL_, 'ak_not_a_real_key_000000', accept);
    expect(r).toMatchObject({ ok: false, code: 'unauthorized' });
    expect(mem.items.get(`provisioning-workstation|${URL_}`)).toBe(KEY);
  });

  it('says clearly when there is no D-Bus session, and never falls back to anything else', async () => {
    const { mem, keychain, accept } = setup();
    mem.state.throwMessage = 'The given address is empty';
    const r = await keychain.saveValidated(URL_, KEY, accept);
    expect(r).toMatchObject({
      ok: false,
      code: 'keychain-unavailable',
      message: 'no OS keychain is available (no D-Bus session): start a desktop session or run inside dbus-run-session',
    });
    // reading the key, where a headless machine has a way: said
    expect(await keychain.status(URL_)).toMatchObject({
      ok: false,
      code: 'keychain-unavailable',
      message:
        'no OS keychain is available (no D-Bus session): start a desktop session or run inside dbus-run-session; on a machine without one (CI), give the key in PWS_API_KEY instead',
    });
    mem.state.throwMessage = 'Cannot autolaunch D-Bus without X11 $DISPLAY';
    expect(await keychain.status(URL_)).toMatchObject({ ok: false, code: 'keychain-unavailable' });
  });

  it('tells a locked keychain from a missing key (libsecret answers null for both)', async () => {
    const { mem, keychain, accept } = setup();
    await keychain.saveValidated(URL_, KEY, accept);
    mem.state.locked = true;
    expect(await keychain.status(URL_)).toEqual({ ok: false, code: 'keychain-locked', message: 'the OS keychain is locked: unlock it and retry' });
    expect(await keychain.saveValidated(URL_, OTHER, accept)).toMatchObject({ ok: false, code: 'keychain-locked' });
    expect(await keychain.listUrls()).toMatchObject({ ok: false, code: 'keychain-locked' });
    expect(await keychain.client(URL_)).toMatchObject({ ok: false, code: 'keychain-locked' });
  });

  it('maps a raw locked-collection error too', async () => {
    const { mem, keychain, accept } = setup();
    mem.backend.isLocked = undefined;
    mem.state.locked = true;
    expect(await keychain.saveValidated(URL_, KEY, accept)).toMatchObject({
      ok: false,
      code: 'keychain-locked',
      message: 'the OS keychain is locked: unlock it and retry',
    });
  });

  it('uses PWS_API_KEY without touching the keychain', async () => {
    const { mem, keychain } = setup({ PWS_API_KEY: OTHER });
    mem.state.throwMessage = 'The given address is empty';
    expect(await keychain.status(URL_)).toEqual({ ok: true, value: { present: true, masked: 'ak_…9c8d', apiUrl: URL_, source: 'env' } });
    expect(await keychain.client(URL_)).toEqual({ ok: true, value: { baseUrl: URL_, key: OTHER } });
    expect(mem.items.size).toBe(0);
  });

  it('says a locked or missing keychain before the key is checked with the cloud', async () => {
    const { mem, keychain } = setup();
    const asked: string[] = [];
    const validate = async (c: FakeClient): Promise<Result<string>> => (asked.push(c.key), ok('acct'));
    mem.state.locked = true;
    expect(await keychain.ready()).toMatchObject({ ok: false, code: 'keychain-locked' });
    expect(await keychain.saveValidated(URL_, KEY, validate)).toMatchObject({ ok: false, code: 'keychain-locked' });
    mem.state.locked = false;
    mem.state.throwMessage = 'Cannot autolaunch D-Bus without X11 $DISPLAY';
    expect(await keychain.saveValidated(URL_, KEY, validate)).toMatchObject({ ok: false, code: 'keychain-unavailable' });
    expect(asked).toEqual([]);
    mem.state.throwMessage = undefined;
    expect(await keychain.ready()).toEqual({ ok: true, value: undefined });
  });

  it('reports a missing key with the command that fixes it', async () => {
    const { keychain } = setup();
    const c = await keychain.client(URL_);
    expect(c).toMatchObject({ ok: false, code: 'api-key-missing' });
    expect(!c.ok && c.message).toContain(`pws api-key save --api-url ${URL_}`);
    expect(await keychain.delete(URL_)).toEqual({ ok: true, value: { deleted: false } });
  });

  it('reports a keytar that cannot be loaded', async () => {
    const { BackendUnavailableError } = await import('../../../../../electron/services/keychain/index');
    const keychain = createKeychainService({
      backend: async () => Promise.reject(new BackendUnavailableError('keytar missing')),
      clientFactory: () => ({}),
      env: {},
      log: silentLogger,
    });
    expect(await keychain.status(URL_)).toMatchObject({ ok: false, code: 'keychain-unavailable' });
  });
});

describe('keychain error lines', () => {
  it('names a session bus without a Secret Service', async () => {
    const { keychainFailure } = await import('../../../../../electron/services/keychain/index');
    expect(keychainFailure(new Error('Error calling StartServiceByName for org.freedesktop.secrets: Timeout was reached'))).toMatchObject({
      code: 'keychain-unavailable',
      message: expect.stringMatching(/^no OS keychain service answered on the D-Bus session \(org\.freedesktop\.secrets\): start gnome-keyring-daemon/),
    });
    expect(keychainFailure(new Error('Object does not exist at path “/org/freedesktop/secrets/collection/login”'))).toMatchObject({ code: 'keychain-locked' });
    expect(keychainFailure(new Error('something else'))).toMatchObject({ code: 'keychain-error' });
  });
});

import { lstat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { fail, ok, type Result } from '../../../shared/contract/result';
import type { StorePaths, TeamCertificate } from '../../../shared/contract/certificates';
import type { Logger } from '../log';
import { devCertsFromDisk, ensureStoreConfig, readStoreConfig, writeStoreConfig } from './store-config';
import { ensureStoreFolder, resolveStorePaths, writeStorePaths } from './store-paths';
import {
  describeCertificate,
  listTeamCertificates,
  readCertificateBins,
  removeCertificateFolder,
  writeCertificateFolder,
  type CertificateBins,
  type CertificateKind,
} from './team-certificates';
import { isAuthorityFolder, listAuthorities, readAuthority, readAuthorityKey, writeAuthorityFolder, type StoredAuthority } from './team-authorities';

export interface StoresService {
  /** The store folders (creating `~/.mbl-stores.json` and the folders on first use). */
  paths(): Promise<Result<StorePaths>>;
  /** Repoints the stores (absolute paths); folders are created with mbl-cli's modes. */
  setPaths(patch: { user?: string; team?: string }): Promise<Result<StorePaths>>;
  list(): Promise<Result<TeamCertificate[]>>;
  read(name: string, expected?: CertificateKind): Promise<Result<CertificateBins>>;
  /** Stores a certificate folder (replacing one of that name) and updates the Team Store's config.json. */
  write(name: string, kind: CertificateKind, files: ReadonlyArray<{ name: string; data: Uint8Array }>): Promise<Result<TeamCertificate>>;
  /** Removes a certificate folder; false when there was none. */
  remove(name: string): Promise<Result<boolean>>;
  /** The own CAs kept in the Team Store (certificates only; a key is read by `authorityKey` when signing). */
  authorities(): Promise<Result<StoredAuthority[]>>;
  authority(name: string): Promise<Result<StoredAuthority>>;
  authorityKey(name: string): Promise<Result<string>>;
  /** Stores a new CA; refused when anything of that name is in the Team Store. */
  writeAuthority(name: string, der: Uint8Array, keyPem: string): Promise<Result<StoredAuthority>>;
  /** Removes a CA folder; false when there was none. */
  removeAuthority(name: string): Promise<Result<boolean>>;
  /** An old mbl-cli plaintext API key in the User Store's config.json, if any. Only the keychain migration asks for it. */
  legacyApiKey(): Promise<Result<string | null>>;
  /** Blanks `api_key` in the User Store's config.json (after the key went into the keychain). */
  blankLegacyApiKey(): Promise<Result<void>>;
}

export function createStoresService(deps: { home: string; clock: () => Date; log: Logger }): StoresService {
  // One write at a time: config.json is read-modify-write.
  let queue: Promise<unknown> = Promise.resolve();
  const serial = <T>(fn: () => Promise<Result<T>>): Promise<Result<T>> => {
    const run = queue.then(fn, fn);
    queue = run.catch(() => undefined);
    return run;
  };

  async function paths(): Promise<Result<StorePaths>> {
    const p = await resolveStorePaths(deps.home);
    if (!p.ok) return p;
    try {
      await ensureStoreFolder(p.value.user, 'user');
      await ensureStoreFolder(p.value.team, 'team');
      await ensureStoreConfig(p.value.user, 'user');
      await ensureStoreConfig(p.value.team, 'team');
    } catch (err) {
      return fail('store-unwritable', `could not create the store folders (${(err as Error).message}): check the paths in ${p.value.storesFile}`);
    }
    return p;
  }

  async function syncTeamConfig(team: string): Promise<void> {
    const cfg = await readStoreConfig(team);
    if (!cfg.ok) throw new Error(cfg.message);
    const dev_certs = await devCertsFromDisk(team, cfg.value.dev_certs);
    await writeStoreConfig(team, { ...cfg.value, dev_certs }, 'team');
  }

  return {
    paths,

    setPaths(patch) {
      return serial(async () => {
        for (const [k, v] of Object.entries(patch))
          if (v !== undefined && !isAbsolute(v)) return fail('invalid-request', `the ${k} store path must be absolute: ${v}`);
        const current = await resolveStorePaths(deps.home);
        if (!current.ok) return current;
        const next = { user: patch.user ?? current.value.user, team: patch.team ?? current.value.team };
        try {
          await ensureStoreFolder(next.user, 'user');
          await ensureStoreFolder(next.team, 'team');
          const written = await writeStorePaths(deps.home, next);
          deps.log.info(`stores now: user ${next.user}, team ${next.team}`);
          return ok(written);
        } catch (err) {
          return fail('store-unwritable', `could not use these store folders: ${(err as Error).message}`);
        }
      });
    },

    async list() {
      const p = await paths();
      if (!p.ok) return p;
      return listTeamCertificates(p.value.team, deps.clock());
    },

    async read(name, expected) {
      const p = await resolveStorePaths(deps.home);
      if (!p.ok) return p;
      return readCertificateBins(p.value.team, name, expected);
    },

    write(name, kind, files) {
      return serial(async () => {
        const p = await paths();
        if (!p.ok) return p;
        if (await isAuthorityFolder(p.value.team, name))
          return fail('certificate-exists', `"${name}" in the Team Store is a certificate authority: pick another name for the ${kind} certificate`);
        try {
          await writeCertificateFolder(p.value.team, name, files);
          await syncTeamConfig(p.value.team);
        } catch (err) {
          return fail('store-unwritable', `could not save "${name}" into the Team Store ${p.value.team}: ${(err as Error).message}`);
        }
        deps.log.info(`Team Store: saved ${kind} certificate "${name}" (${files.length} files)`);
        return describeCertificate(p.value.team, name, deps.clock());
      });
    },

    remove(name) {
      return serial(async () => {
        const p = await paths();
        if (!p.ok) return p;
        if (await isAuthorityFolder(p.value.team, name))
          return fail('certificate-invalid', `"${name}" is a certificate authority: delete it with \`pws ca delete ${name}\` (or on the Certificates screen)`);
        try {
          const removed = await removeCertificateFolder(p.value.team, name);
          await syncTeamConfig(p.value.team);
          if (removed) deps.log.info(`Team Store: deleted "${name}"`);
          return ok(removed);
        } catch (err) {
          return fail('store-unwritable', `could not delete "${name}" from the Team Store ${p.value.team}: ${(err as Error).message}`);
        }
      });
    },

    async authorities() {
      const p = await resolveStorePaths(deps.home);
      if (!p.ok) return p;
      return listAuthorities(p.value.team);
    },

    async authority(name) {
      const p = await resolveStorePaths(deps.home);
      if (!p.ok) return p;
      return readAuthority(p.value.team, name);
    },

    async authorityKey(name) {
      const p = await resolveStorePaths(deps.home);
      if (!p.ok) return p;
      return readAuthorityKey(p.value.team, name);
    },

    writeAuthority(name, der, keyPem) {
      return serial(async () => {
        const p = await paths();
        if (!p.ok) return p;
        const taken = await lstat(join(p.value.team, name)).then(
          () => true,
          () => false,
        );
        if (taken) return fail('ca-exists', `"${name}" is already in the Team Store (${p.value.team}): pick another name, or delete the old one first`);
        try {
          await writeAuthorityFolder(p.value.team, name, der, keyPem);
        } catch (err) {
          return fail(
            'store-unwritable',
            `could not save the CA "${name}" into the Team Store ${p.value.team}: ${(err as Error).message}; nothing was written`,
          );
        }
        deps.log.info(`Team Store: saved CA "${name}"`);
        return readAuthority(p.value.team, name);
      });
    },

    removeAuthority(name) {
      return serial(async () => {
        const p = await paths();
        if (!p.ok) return p;
        if (!(await isAuthorityFolder(p.value.team, name))) return ok(false);
        try {
          await removeCertificateFolder(p.value.team, name);
        } catch (err) {
          return fail('store-unwritable', `could not delete the CA "${name}" from the Team Store ${p.value.team}: ${(err as Error).message}`);
        }
        deps.log.info(`Team Store: deleted CA "${name}"`);
        return ok(true);
      });
    },

    async legacyApiKey() {
      const p = await resolveStorePaths(deps.home);
      if (!p.ok) return p;
      const cfg = await readStoreConfig(p.value.user);
      if (!cfg.ok) return cfg;
      const key = cfg.value.api_key.trim();
      return ok(key ? key : null);
    },

    blankLegacyApiKey() {
      return serial(async () => {
        const p = await paths();
        if (!p.ok) return p;
        const cfg = await readStoreConfig(p.value.user);
        if (!cfg.ok) return cfg;
        try {
          await writeStoreConfig(p.value.user, { ...cfg.value, api_key: '' }, 'user');
        } catch (err) {
          return fail('store-unwritable', `could not blank the old key in ${p.value.user}/config.json: ${(err as Error).message}; remove it by hand`);
        }
        return ok(undefined);
      });
    },
  };
}

import { X509Certificate } from 'node:crypto';
import {
  certificatesEvents,
  type CertificateDeleted,
  type CertificatesList,
  type CloudCertificate,
  type StorePaths,
  type TeamCertificate,
} from '../../../shared/contract/certificates';
import { fail, ok, type Failure, type Result } from '../../../shared/contract/result';
import { checkDeveloperCertificate, type CloudClient, type CloudFailure, type TrustedCertificate } from '../cloud/index';
import type { EventHub } from '../events';
import { expiryState } from '../../../shared/domain/expiry';
import type { StoresService } from '../stores/index';
import { checkCertName } from '../stores/team-certificates';
import { developerCertificateBinFiles, developerCertificateFiles, updateCertificateFiles } from './import-c-file';

/**
 * The Team Store half of the `certificates:*` channels: the store's certificates (through the stores service) and
 * the cloud's developer certificates (through a cloud client for the API URL in use). Every call answers a Result.
 */
export interface TeamStoreService {
  listCertificates(req: { cloud?: boolean; apiUrl?: string }): Promise<Result<CertificatesList>>;
  createDeveloperCertificate(req: { name: string; description?: string; apiUrl?: string }): Promise<Result<TeamCertificate>>;
  fetchDeveloperCertificate(req: { name: string; apiUrl?: string }): Promise<Result<TeamCertificate>>;
  /**
   * For provisioning's `-c`: the stored certificate NAME if there is one (reused), else the cloud's
   * certificate of that name copied into the Team Store, else (with `create`) a new one.
   */
  ensureDeveloperCertificate(req: {
    name: string;
    create: boolean;
    apiUrl?: string;
  }): Promise<Result<TeamCertificate & { source: 'stored' | 'fetched' | 'created' }>>;
  importUpdateCertificate(req: { name: string; fileName?: string; text: string }): Promise<Result<TeamCertificate>>;
  importDeveloperCertificate(req: { name: string; fileName?: string; text: string }): Promise<Result<TeamCertificate>>;
  deleteCertificate(req: { name: string; cloud: boolean; apiUrl?: string }): Promise<Result<CertificateDeleted>>;
  stores(): Promise<Result<StorePaths>>;
  setStores(req: { user?: string; team?: string }): Promise<Result<StorePaths>>;
}

export interface TeamStoreDeps {
  stores: StoresService;
  /** A cloud client with the saved key for this API URL (default: the one in use); `api-key-missing` without one. */
  cloud: (apiUrl?: string) => Promise<Result<CloudClient>>;
  events: EventHub;
  clock: () => Date;
}

function cloudFailure(f: CloudFailure, doing: string): Failure {
  return fail(f.code, `${doing}: ${f.message}`, {
    ...(f.status !== undefined ? { status: f.status } : {}),
    ...(f.requestId ? { requestId: f.requestId } : {}),
  });
}

export function createTeamStoreService(deps: TeamStoreDeps): TeamStoreService {
  async function findCloudByName(c: CloudClient, name: string): Promise<Result<TrustedCertificate | null>> {
    const list = await c.listTrustedCertificates({ deviceExecutionMode: 1 });
    if (!list.ok) return cloudFailure(list, 'could not list the developer certificates in the cloud');
    return ok(list.value.find((t) => t.name === name) ?? null);
  }

  async function storeDeveloperFromCloud(
    name: string,
    resp: { developer_certificate: string; developer_private_key?: string | undefined; security_file_content: string },
  ): Promise<Result<TeamCertificate>> {
    const checked = checkDeveloperCertificate(resp);
    if (!checked.ok) return fail('certificate-invalid', `the developer certificate "${name}" from the cloud is not usable: ${checked.message}`);
    const files = developerCertificateBinFiles(checked.value.symbols, 'security_file_content');
    if (!files.ok) return files;
    return deps.stores.write(name, 'developer', files.value);
  }

  /** A C file's arrays as the certificate's `.bin` files, stored under NAME; nothing is stored from a bad file. */
  async function importCFile(kind: 'update' | 'developer', req: { name: string; fileName?: string; text: string }): Promise<Result<TeamCertificate>> {
    const name = checkCertName(req.name);
    if (!name.ok) return name;
    const files =
      kind === 'update'
        ? updateCertificateFiles(req.text, req.fileName ?? 'update_default_resources.c')
        : developerCertificateFiles(req.text, req.fileName ?? 'the developer credentials C file');
    if (!files.ok) return files;
    const stored = await deps.stores.write(name.value, kind, files.value);
    if (stored.ok) emitChanged('imported', name.value);
    return stored;
  }

  const emitChanged = (reason: 'created' | 'imported' | 'fetched' | 'deleted' | 'stores-moved', name?: string) =>
    deps.events.emit(certificatesEvents.teamStoreChanged, name === undefined ? { reason } : { reason, name });

  const cloudView = (t: TrustedCertificate, team: Set<string>, now: Date): CloudCertificate => {
    let notAfter: string | null = t.validity ? new Date(t.validity).toISOString() : null;
    let fingerprint: string | null = t.certificate_fingerprint || null;
    try {
      const x = new X509Certificate(t.certificate);
      notAfter = new Date(x.validTo).toISOString();
      fingerprint = x.fingerprint256.replace(/:/g, '').toLowerCase();
    } catch {
      /* keep what the API said */
    }
    return {
      id: t.id,
      name: t.name,
      fingerprint,
      createdAt: t.created_at ?? null,
      notAfter,
      expiry: expiryState(notAfter, now),
      inTeamStore: team.has(t.name),
    };
  };

  const service: TeamStoreService = {
    async listCertificates(req) {
      const team = await deps.stores.list();
      if (!team.ok) return team;
      const paths = await deps.stores.paths();
      if (!paths.ok) return paths;
      const result: CertificatesList = { teamStore: paths.value.team, team: team.value, cloud: null, cloudNote: null };
      if (req.cloud === false) return ok(result);
      const c = await deps.cloud(req.apiUrl);
      if (!c.ok) {
        result.cloudNote = c.code === 'api-key-missing' ? 'no API key saved: add one to also list the developer certificates in the cloud' : c.message;
        return ok(result);
      }
      const list = await c.value.listTrustedCertificates({ deviceExecutionMode: 1 });
      if (!list.ok) {
        result.cloudNote = `could not list the cloud's developer certificates: ${list.message}`;
        return ok(result);
      }
      const names = new Set(team.value.map((t) => t.name));
      const now = deps.clock();
      result.cloud = list.value.map((t) => cloudView(t, names, now));
      return ok(result);
    },

    async createDeveloperCertificate(req) {
      const name = checkCertName(req.name);
      if (!name.ok) return name;
      const c = await deps.cloud(req.apiUrl);
      if (!c.ok) return c;
      const created = await c.value.createDeveloperCertificate({ name: name.value, ...(req.description ? { description: req.description } : {}) });
      if (!created.ok) {
        if (created.code === 'conflict') {
          const local = await deps.stores.read(name.value);
          return fail(
            'certificate-exists',
            `the cloud already has a developer certificate named "${name.value}" (HTTP 409): ${
              local.ok
                ? 'it is in your Team Store already, so use it as it is'
                : `copy it into the Team Store with \`pws certs fetch-dev ${name.value}\`, or pick another name`
            } (or delete it with \`pws certs delete ${name.value} --cloud\`)`,
            { status: 409 },
          );
        }
        return cloudFailure(created, `could not create the developer certificate "${name.value}"`);
      }
      const stored = await storeDeveloperFromCloud(name.value, created.value);
      if (stored.ok) emitChanged('created', name.value);
      return stored;
    },

    async fetchDeveloperCertificate(req) {
      const name = checkCertName(req.name);
      if (!name.ok) return name;
      const c = await deps.cloud(req.apiUrl);
      if (!c.ok) return c;
      const found = await findCloudByName(c.value, name.value);
      if (!found.ok) return found;
      if (!found.value)
        return fail(
          'not-found-in-cloud',
          `the cloud has no developer certificate named "${name.value}": create it with \`pws certs create-dev ${name.value}\``,
        );
      const full = await c.value.getDeveloperCertificate(found.value.id);
      if (!full.ok) return cloudFailure(full, `could not download the developer certificate "${name.value}"`);
      const stored = await storeDeveloperFromCloud(name.value, full.value);
      if (stored.ok) emitChanged('fetched', name.value);
      return stored;
    },

    async ensureDeveloperCertificate(req) {
      const name = checkCertName(req.name);
      if (!name.ok) return name;
      const local = await deps.stores.list();
      const mine = local.ok ? local.value.find((t) => t.name === name.value) : undefined;
      if (mine) {
        if (mine.kind !== 'developer')
          return fail('certificate-invalid', `"${name.value}" in the Team Store is an update certificate, not a developer certificate: pick another name`);
        return ok({ ...mine, source: 'stored' as const });
      }
      const fetched = await service.fetchDeveloperCertificate({ name: name.value, ...(req.apiUrl ? { apiUrl: req.apiUrl } : {}) });
      if (fetched.ok) return ok({ ...fetched.value, source: 'fetched' as const });
      if (fetched.code !== 'not-found-in-cloud' || !req.create) return fetched;
      const created = await service.createDeveloperCertificate({ name: name.value, ...(req.apiUrl ? { apiUrl: req.apiUrl } : {}) });
      return created.ok ? ok({ ...created.value, source: 'created' as const }) : created;
    },

    importUpdateCertificate: (req) => importCFile('update', req),
    importDeveloperCertificate: (req) => importCFile('developer', req),

    async deleteCertificate(req) {
      const name = checkCertName(req.name);
      if (!name.ok) return name;
      let cloud = false;
      if (req.cloud) {
        const c = await deps.cloud(req.apiUrl);
        if (!c.ok) return fail(c.code, `${c.message}; nothing was deleted`);
        const found = await findCloudByName(c.value, name.value);
        if (!found.ok) return fail(found.code, `${found.message}; nothing was deleted`);
        if (found.value) {
          const del = await c.value.deleteTrustedCertificate(found.value.id);
          if (!del.ok) return cloudFailure(del, `could not delete "${name.value}" in the cloud (the Team Store copy is kept)`);
          cloud = true;
        }
      }
      const removed = await deps.stores.remove(name.value);
      if (!removed.ok) return removed;
      if (!removed.value && !cloud)
        return fail(
          'certificate-missing',
          `no certificate "${name.value}" in the Team Store${req.cloud ? ' or in the cloud' : ''}: \`pws certs list\` shows what is there`,
        );
      emitChanged('deleted', name.value);
      return ok({ name: name.value, local: removed.value, cloud });
    },

    stores: () => deps.stores.paths(),

    async setStores(req) {
      const r = await deps.stores.setPaths(req);
      if (r.ok) emitChanged('stores-moved');
      return r;
    },
  };
  return service;
}

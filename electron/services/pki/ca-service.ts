import { X509Certificate } from 'node:crypto';
import {
  caEvents,
  DEFAULT_CA_DAYS,
  type CaCreateRequest,
  type CaList,
  type CaTrust,
  type CaTrusted,
  type CaTrustOutcome,
  type CertificateAuthority,
} from '../../../shared/contract/ca';
import { fail, ok, type Result } from '../../../shared/contract/result';
import type { CloudClient, TrustedCertificate } from '../cloud/index';
import type { EventHub } from '../events';
import type { Logger } from '../log';
import { expiryState } from '../../../shared/domain/expiry';
import type { StoresService } from '../stores/index';
import type { StoredAuthority } from '../stores/team-authorities';
import { checkCertName } from '../stores/team-certificates';
import { sha256, summarizeCertificate } from './certificate-summary';
import { checkCaImport, makeCaCertificate } from './certificate-authority';
import { loadSigningCa, type SigningCa } from './signing-ca';

/**
 * The user's own CAs: made or imported into the Team Store, listed with their trust state in the account, trusted
 * through POST /v3/trusted-certificates, and handed to provisioning for signing. The CA key is read only by
 * `signingCa`, never returned, logged or uploaded.
 */
export interface CaService {
  list(request: { cloud?: boolean }): Promise<Result<CaList>>;
  create(request: CaCreateRequest): Promise<Result<CertificateAuthority>>;
  /** Certificate and key as the user gave them (PEM or DER); `fileNames` name them in messages. */
  import(request: {
    name: string;
    certificate: Uint8Array;
    key: Uint8Array;
    fileNames: { certificate: string; key: string };
  }): Promise<Result<CertificateAuthority>>;
  delete(request: { name: string }): Promise<Result<{ name: string }>>;
  trust(request: { name: string; firstToClaim?: boolean }): Promise<Result<CaTrusted>>;
  /** The CA with its key in memory, for a provisioning run. */
  signingCa(name: string): Promise<Result<SigningCa>>;
  /** Whether the account trusts this CA for bootstrap; `unknown` without a key or a network. */
  trustOf(name: string): Promise<Result<CaTrust>>;
}

export interface CaDeps {
  stores: StoresService;
  /** The cloud client for the current API URL and key (the keychain's), or why there is none. */
  cloud: () => Promise<Result<CloudClient>>;
  events: EventHub;
  clock: () => Date;
  log: Logger;
}

const fingerprintOfPem = (pem: string): string | null => {
  try {
    return new X509Certificate(pem).fingerprint256.replace(/:/g, '').toLowerCase();
  } catch {
    return null;
  }
};

const pemOf = (der: Uint8Array) => new X509Certificate(Buffer.from(der)).toString();
const fingerprintOf = (der: Uint8Array) => Buffer.from(sha256(der)).toString('hex');

export function createCaService(deps: CaDeps): CaService {
  /** The account's bootstrap certificates by fingerprint, or why they could not be listed. */
  async function trustedInAccount(): Promise<{ byFingerprint: Map<string, TrustedCertificate> } | { note: string }> {
    const c = await deps.cloud();
    if (!c.ok) return { note: c.code === 'api-key-missing' ? 'no API key saved: add one in Settings to see which CAs the account trusts' : c.message };
    const list = await c.value.listTrustedCertificates({ service: 'bootstrap' });
    if (!list.ok) return { note: `could not list the account's trusted certificates: ${list.message}` };
    const byFingerprint = new Map<string, TrustedCertificate>();
    for (const t of list.value) {
      const fp = fingerprintOfPem(t.certificate) ?? t.certificate_fingerprint.toLowerCase();
      if (t.device_execution_mode !== 1) byFingerprint.set(fp, t);
    }
    return { byFingerprint };
  }

  function describe(a: StoredAuthority, trust: CaTrust): Result<CertificateAuthority> {
    const s = summarizeCertificate(a.der);
    if (!s.ok) return fail('certificate-unreadable', `the CA "${a.name}" in ${a.path} is unreadable (${s.message}): import it again`);
    const { subject, fingerprint, notBefore, notAfter, keyType } = s.value;
    return ok({ name: a.name, subject, fingerprint, notBefore, notAfter, expiry: expiryState(notAfter, deps.clock()), keyType, path: a.path, trust });
  }

  const trustFrom = (found: TrustedCertificate | undefined): CaTrust =>
    found ? { state: 'trusted', id: found.id, firstToClaim: found.enrollment_mode ?? false } : { state: 'not-trusted' };

  async function saved(name: string, der: Uint8Array, keyPem: string, reason: 'created' | 'imported'): Promise<Result<CertificateAuthority>> {
    const written = await deps.stores.writeAuthority(name, der, keyPem);
    if (!written.ok) return written;
    deps.events.emit(caEvents.changed, { reason, name });
    return describe(written.value, { state: 'not-trusted' });
  }

  return {
    async list(request) {
      const stored = await deps.stores.authorities();
      if (!stored.ok) return stored;
      const paths = await deps.stores.paths();
      if (!paths.ok) return paths;
      const cloud = request.cloud === false || stored.value.length === 0 ? { note: null } : await trustedInAccount();
      const authorities: CertificateAuthority[] = [];
      for (const a of stored.value) {
        const trust: CaTrust =
          'byFingerprint' in cloud
            ? trustFrom(cloud.byFingerprint.get(fingerprintOf(a.der)))
            : { state: 'unknown', ...(cloud.note ? { note: cloud.note } : {}) };
        const d = describe(a, trust);
        if (d.ok) authorities.push(d.value);
        else deps.log.warn(d.message);
      }
      return ok({ teamStore: paths.value.team, authorities, cloudNote: 'note' in cloud ? cloud.note : null });
    },

    async create(request) {
      const name = checkCertName(request.name);
      if (!name.ok) return name;
      const now = deps.clock();
      const days = request.days ?? DEFAULT_CA_DAYS;
      const material = makeCaCertificate({
        name: name.value,
        organization: request.organization || undefined,
        organizationalUnit: request.organizationalUnit || undefined,
        country: request.country || undefined,
        notBefore: now,
        notAfter: new Date(now.getTime() + days * 86_400_000),
      });
      return saved(name.value, material.der, material.keyPem, 'created');
    },

    async import(request) {
      const name = checkCertName(request.name);
      if (!name.ok) return name;
      const checked = checkCaImport(request.certificate, request.key, request.fileNames, deps.clock());
      if (!checked.ok)
        return fail(checked.code, checked.message.endsWith('nothing was imported') ? checked.message : `${checked.message}; nothing was imported`);
      return saved(name.value, checked.value.der, checked.value.keyPem, 'imported');
    },

    async delete(request) {
      const removed = await deps.stores.removeAuthority(request.name);
      if (!removed.ok) return removed;
      if (!removed.value) return fail('ca-missing', `no CA "${request.name}" in the Team Store: \`pws ca list\` shows what is there`);
      deps.events.emit(caEvents.changed, { reason: 'deleted', name: request.name });
      return ok({ name: request.name });
    },

    async trust(request) {
      const stored = await deps.stores.authority(request.name);
      if (!stored.ok) return stored;
      const c = await deps.cloud();
      if (!c.ok) return fail(c.code, `${c.message}; the CA was not trusted`);
      const firstToClaim = request.firstToClaim ?? false;
      const created = await c.value.createTrustedCertificate({
        name: request.name,
        certificate: pemOf(stored.value.der),
        service: 'bootstrap',
        description: `Own CA for device bootstrap certificates${firstToClaim ? ' (First-to-Claim)' : ''}, from the Provisioning Workstation`,
        enrollmentMode: firstToClaim,
      });
      let record: TrustedCertificate;
      let outcome: CaTrustOutcome = 'added';
      if (created.ok) record = created.value;
      else {
        // Already trusted (say, from another station): the same certificate counts, any other conflict is reported.
        const existing = created.code === 'conflict' ? await trustedInAccount() : undefined;
        const same = existing && 'byFingerprint' in existing ? existing.byFingerprint.get(fingerprintOf(stored.value.der)) : undefined;
        if (!same)
          return fail(created.code, `Device Management did not trust the CA "${request.name}": ${created.message}`, {
            ...(created.status ? { status: created.status } : {}),
          });
        record = same;
        outcome = 'already-trusted';
        if (firstToClaim && !same.enrollment_mode) {
          const updated = await c.value.updateTrustedCertificate(same.id, { enrollmentMode: true });
          if (!updated.ok)
            return fail(
              updated.code,
              `the account trusts the CA "${request.name}" already, but First-to-Claim could not be turned on for it: ${updated.message}`,
              {
                ...(updated.status ? { status: updated.status } : {}),
              },
            );
          record = updated.value;
          outcome = 'first-to-claim-turned-on';
        }
      }
      const authority = describe(stored.value, trustFrom(record));
      if (!authority.ok) return authority;
      deps.log.info(`CA "${request.name}" trusted in the account for bootstrap (id ${record.id})`);
      deps.events.emit(caEvents.changed, { reason: 'trusted', name: request.name });
      return ok({
        outcome,
        authority: authority.value,
        cloud: {
          id: record.id,
          name: record.name,
          service: record.service,
          status: record.status ?? null,
          firstToClaim: record.enrollment_mode ?? false,
          subject: record.subject,
          validity: record.validity,
        },
      });
    },

    async signingCa(name) {
      const stored = await deps.stores.authority(name);
      if (!stored.ok) return stored;
      const key = await deps.stores.authorityKey(name);
      if (!key.ok) return key;
      return loadSigningCa(name, stored.value.der, key.value);
    },

    async trustOf(name) {
      const stored = await deps.stores.authority(name);
      if (!stored.ok) return stored;
      const cloud = await trustedInAccount();
      if (!('byFingerprint' in cloud)) return ok({ state: 'unknown', note: cloud.note });
      return ok(trustFrom(cloud.byFingerprint.get(fingerprintOf(stored.value.der))));
    },
  };
}

/**
 * Typed Device Management REST client (the subset in compat-formats §4). Plain Node (global fetch);
 * never imports electron.
 *
 * - Every method returns a `CloudResult`: `{ ok: true, value }` or `{ ok: false, code, message, status?,
 *   requestId?, fields? }`. Expected failures (HTTP errors, network, timeouts, cancellation, bad
 *   answers) never throw. Messages say what to do next.
 * - Per-request timeout (`timeoutMs`, default 30 s) covers the whole exchange including the body.
 * - Retries with exponential backoff and jitter only for GET/DELETE on 429/502/503/504 and network
 *   errors; a 429 is retried for any method (it means the request was not processed), honouring
 *   `Retry-After` (seconds or HTTP date). POSTs are never retried on 5xx or network errors. Timeouts
 *   are not retried (the timeout is the caller's patience for the call).
 * - The API key is only ever put in the Authorization header; every failure message is passed through
 *   `redact`, which removes the key and anything shaped like one.
 */
import { ENROLLMENT_IDENTITY_RE } from '../../../shared/domain/enrollment';
import { createCloudHttp, type CallOptions, type CloudClientOptions, type CloudFailure, type CloudResult } from './http-transport';
import {
  AccountInfoSchema,
  ApiKeyInfoSchema,
  BulkUploadSchema,
  CreatedDeveloperCertificateSchema,
  DeveloperCertificateSchema,
  EnrollmentIdentitySchema,
  TrustedCertificateListSchema,
  TrustedCertificateSchema,
  type AccountInfo,
  type ApiKeyInfo,
  type BulkUpload,
  type CreatedDeveloperCertificate,
  type DeveloperCertificate,
  type EnrollmentIdentity,
  type TrustedCertificate,
} from './schemas';

export { validateApiUrl } from '../../../shared/domain/api-url';
export { MAX_RESPONSE_BYTES, type CallOptions, type CloudClientOptions, type CloudErrorCode, type CloudFailure, type CloudResult } from './http-transport';

export type CloudClient = {
  readonly baseUrl: string;
  getMe(opts?: CallOptions): Promise<CloudResult<AccountInfo>>;
  getApiKeyInfo(opts?: CallOptions): Promise<CloudResult<ApiKeyInfo>>;
  createDeveloperCertificate(input: { name: string; description?: string }, opts?: CallOptions): Promise<CloudResult<CreatedDeveloperCertificate>>;
  getDeveloperCertificate(id: string, opts?: CallOptions): Promise<CloudResult<DeveloperCertificate>>;
  /** All pages, in order. `deviceExecutionMode: 1` lists developer certificates; `service` one service's certificates. */
  listTrustedCertificates(
    filter?: { deviceExecutionMode?: 1; service?: TrustedService; pageSize?: number },
    opts?: CallOptions,
  ): Promise<CloudResult<TrustedCertificate[]>>;
  /** POST /v3/trusted-certificates: the account trusts this certificate (a CA, for `bootstrap`) from now on. */
  createTrustedCertificate(input: NewTrustedCertificate, opts?: CallOptions): Promise<CloudResult<TrustedCertificate>>;
  getTrustedCertificate(id: string, opts?: CallOptions): Promise<CloudResult<TrustedCertificate>>;
  /** PUT /v3/trusted-certificates/{id}: changes the fields given, here whether it serves First-to-Claim enrollment. */
  updateTrustedCertificate(id: string, change: { enrollmentMode: boolean }, opts?: CallOptions): Promise<CloudResult<TrustedCertificate>>;
  deleteTrustedCertificate(id: string, opts?: CallOptions): Promise<CloudResult<void>>;
  createEnrollment(identity: string, opts?: CallOptions): Promise<CloudResult<EnrollmentIdentity>>;
  uploadEnrollmentsBulk(csv: Uint8Array | string, opts?: CallOptions): Promise<CloudResult<BulkUpload>>;
  getBulkUpload(id: string, opts?: CallOptions): Promise<CloudResult<BulkUpload>>;
  /**
   * The text of a bulk upload's report file (`full_report_file`, `errors_report_file`). Fetched only from the API's
   * own origin, so the key is never sent anywhere else.
   */
  getBulkReport(url: string, opts?: CallOptions): Promise<CloudResult<string>>;
  /** Polls until `completed`. Default: every 2 s, at most 10 min. */
  waitForBulkUpload(id: string, opts?: CallOptions & { intervalMs?: number; maxWaitMs?: number }): Promise<CloudResult<BulkUpload>>;
};

export type TrustedService = 'bootstrap' | 'lwm2m';

export type NewTrustedCertificate = {
  name: string;
  /** PEM: the certificate, or a chain from root to leaf. */
  certificate: string;
  service: TrustedService;
  description?: string;
  /** Trusted for First-to-Claim enrollment. */
  enrollmentMode?: boolean;
};

export function createCloudClient(options: CloudClientOptions): CloudClient {
  const { baseUrl, host, request, fail, cancelled, pause } = createCloudHttp(options);
  const seg = (id: string) => encodeURIComponent(id);
  const needId = (id: string, what: string): CloudFailure | undefined =>
    typeof id === 'string' && id.trim() !== ''
      ? undefined
      : fail('validation', `${what} id is empty: pick one from the list`, { fields: [{ name: 'id', message: 'is required' }] });

  const client: CloudClient = {
    baseUrl,
    getMe: (o) => request({ method: 'GET', path: '/v3/accounts/me', schema: AccountInfoSchema, signal: o?.signal, what: 'the account' }),
    getApiKeyInfo: (o) => request({ method: 'GET', path: '/v3/api-keys/me', schema: ApiKeyInfoSchema, signal: o?.signal, what: 'the API key' }),

    async createDeveloperCertificate(input, o) {
      const name = input.name?.trim() ?? '';
      if (!name || name.length > 100)
        return fail('validation', 'the certificate name must be 1 to 100 characters: enter a shorter or non-empty name', {
          fields: [{ name: 'name', message: name ? 'is longer than 100 characters' : 'is required' }],
        });
      return request({
        method: 'POST',
        path: '/v3/developer-certificates',
        json: { name, ...(input.description !== undefined ? { description: input.description } : {}) },
        schema: CreatedDeveloperCertificateSchema,
        signal: o?.signal,
        what: 'the developer certificate',
        conflict: 'a developer certificate with this name already exists: pick another name or reuse it',
      });
    },

    async getDeveloperCertificate(id, o) {
      return (
        needId(id, 'the developer certificate') ??
        request({
          method: 'GET',
          path: `/v3/developer-certificates/${seg(id)}`,
          schema: DeveloperCertificateSchema,
          signal: o?.signal,
          what: 'the developer certificate',
        })
      );
    },

    async listTrustedCertificates(filter, o) {
      const limit = Math.min(1000, Math.max(2, filter?.pageSize ?? 100));
      const all: TrustedCertificate[] = [];
      const seen = new Set<string>();
      let after: string | undefined;
      for (let page = 0; page < 100_000; page++) {
        const r = await request({
          method: 'GET',
          path: '/v3/trusted-certificates',
          query: { limit, after, device_execution_mode__eq: filter?.deviceExecutionMode, service__eq: filter?.service },
          schema: TrustedCertificateListSchema,
          signal: o?.signal,
          what: 'the certificate list',
        });
        if (!r.ok) return r;
        for (const c of r.value.data) {
          if (seen.has(c.id)) return fail('invalid-response', `${host} repeated certificate ${c.id} while paging: try again`);
          seen.add(c.id);
          all.push(c);
        }
        if (!r.value.has_more) return { ok: true, value: all };
        const last = r.value.data[r.value.data.length - 1];
        if (!last) return fail('invalid-response', `${host} said there were more certificates but sent an empty page: try again`);
        after = last.id;
      }
      return fail('invalid-response', `${host} sent too many pages of certificates: try again`);
    },

    async createTrustedCertificate(input, o) {
      const name = input.name.trim();
      if (!name || name.length > 100)
        return fail('validation', 'the certificate name must be 1 to 100 characters: enter a shorter or non-empty name', {
          fields: [{ name: 'name', message: name ? 'is longer than 100 characters' : 'is required' }],
        });
      if (!input.certificate.includes('-----BEGIN CERTIFICATE-----'))
        return fail('validation', 'the certificate must be PEM (-----BEGIN CERTIFICATE-----)', { fields: [{ name: 'certificate', message: 'is not PEM' }] });
      return request({
        method: 'POST',
        path: '/v3/trusted-certificates',
        json: {
          name,
          certificate: input.certificate,
          service: input.service,
          status: 'ACTIVE',
          ...(input.description !== undefined ? { description: input.description } : {}),
          ...(input.enrollmentMode !== undefined ? { enrollment_mode: input.enrollmentMode } : {}),
        },
        schema: TrustedCertificateSchema,
        signal: o?.signal,
        what: 'the trusted certificate',
        conflict:
          'the account already trusts a certificate with this name or subject: it may be trusted already (see the list), or delete the old one in the portal first',
      });
    },

    async getTrustedCertificate(id, o) {
      return (
        needId(id, 'the certificate') ??
        request({ method: 'GET', path: `/v3/trusted-certificates/${seg(id)}`, schema: TrustedCertificateSchema, signal: o?.signal, what: 'the certificate' })
      );
    },

    async updateTrustedCertificate(id, change, o) {
      return (
        needId(id, 'the certificate') ??
        request({
          method: 'PUT',
          path: `/v3/trusted-certificates/${seg(id)}`,
          json: { enrollment_mode: change.enrollmentMode },
          schema: TrustedCertificateSchema,
          signal: o?.signal,
          what: 'the trusted certificate',
        })
      );
    },

    async deleteTrustedCertificate(id, o) {
      return (
        needId(id, 'the certificate') ??
        request<void>({ method: 'DELETE', path: `/v3/trusted-certificates/${seg(id)}`, signal: o?.signal, what: 'the certificate' })
      );
    },

    async createEnrollment(identity, o) {
      const id = identity.trim();
      if (!ENROLLMENT_IDENTITY_RE.test(id))
        return fail('validation', 'that is not an enrollment identity: it is A- followed by 32 colon-separated hex bytes', {
          fields: [{ name: 'enrollment_identity', message: 'does not match ^A-[A-Za-z0-9:]{95}$' }],
        });
      return request({
        method: 'POST',
        path: '/v3/device-enrollments',
        json: { enrollment_identity: id },
        schema: EnrollmentIdentitySchema,
        signal: o?.signal,
        what: 'the enrollment',
        conflict: 'this enrollment identity is already enrolled (or claimed by a device): nothing to do, or delete the old enrollment first',
      });
    },

    async uploadEnrollmentsBulk(csv, o) {
      const bytes = typeof csv === 'string' ? new TextEncoder().encode(csv) : csv;
      if (bytes.length > 10 * 1024 * 1024)
        return fail('validation', 'the CSV file is larger than 10 MB: split it into smaller files', {
          fields: [{ name: 'enrollment_identities', message: 'is larger than 10 MB' }],
        });
      const form = new FormData();
      form.append('enrollment_identities', new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'text/csv' }), 'enrollment_identities.csv');
      return request({
        method: 'POST',
        path: '/v3/device-enrollments-bulk-uploads',
        form,
        schema: BulkUploadSchema,
        signal: o?.signal,
        what: 'the bulk upload',
      });
    },

    async getBulkUpload(id, o) {
      return (
        needId(id, 'the bulk upload') ??
        request({ method: 'GET', path: `/v3/device-enrollments-bulk-uploads/${seg(id)}`, schema: BulkUploadSchema, signal: o?.signal, what: 'the bulk upload' })
      );
    },

    async getBulkReport(url, o) {
      let u: URL;
      try {
        u = new URL(url);
      } catch {
        return fail('invalid-response', `the bulk upload's report link is not a URL: download the report in the portal`);
      }
      const api = new URL(baseUrl);
      const prefix = api.pathname.replace(/\/+$/, '');
      if (u.origin !== api.origin || !u.pathname.startsWith(`${prefix}/`))
        return fail('invalid-response', `the bulk upload's report is on ${u.host}, not ${host}: download it in the portal`);
      return request<string>({
        method: 'GET',
        path: u.pathname.slice(prefix.length),
        query: Object.fromEntries(u.searchParams),
        text: true,
        signal: o?.signal,
        what: 'the bulk upload report',
      });
    },

    async waitForBulkUpload(id, o) {
      const interval = o?.intervalMs ?? 2_000;
      const maxWait = o?.maxWaitMs ?? 10 * 60_000;
      let waited = 0;
      for (;;) {
        const r = await client.getBulkUpload(id, o?.signal ? { signal: o.signal } : {});
        if (!r.ok || r.value.status === 'completed') return r;
        if (waited >= maxWait)
          return fail('timeout', `the bulk upload is still ${r.value.status} after ${Math.round(maxWait / 1000)} s: check it again later (id ${r.value.id})`);
        if (!(await pause(interval, o?.signal))) return cancelled();
        waited += interval;
      }
    },
  };
  return client;
}

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
import type { z } from 'zod';
import type { Failure, Ok } from '../../../shared/contract/result';
import { ENROLLMENT_IDENTITY_RE } from '../../../shared/domain/enrollment';
import { validateApiUrl } from './regions';
import {
  AccountInfoSchema,
  ApiKeyInfoSchema,
  BulkUploadSchema,
  CreatedDeveloperCertificateSchema,
  DeveloperCertificateSchema,
  EnrollmentIdentitySchema,
  ErrorResponseSchema,
  TrustedCertificateListSchema,
  TrustedCertificateSchema,
  type AccountInfo,
  type ApiKeyInfo,
  type BulkUpload,
  type CreatedDeveloperCertificate,
  type DeveloperCertificate,
  type EnrollmentIdentity,
  type ErrorResponse,
  type TrustedCertificate,
} from './schemas';

export { API_REGIONS, validateApiUrl, type ApiRegion } from './regions';

export type CloudErrorCode =
  | 'unauthorized'
  | 'forbidden'
  | 'conflict'
  | 'not-found'
  | 'rate-limited'
  | 'server-error'
  | 'timeout'
  | 'network'
  | 'cancelled'
  | 'invalid-response'
  | 'validation'
  | 'http-error';

export type CloudFailure = Failure<CloudErrorCode> & {
  /** HTTP status, when there was an answer. */
  status?: number;
  /** The service's request id, worth quoting to support. */
  requestId?: string;
  /** Field errors of a 400 (or of our own checks before sending). */
  fields?: { name: string; message: string }[];
};
export type CloudResult<T> = Ok<T> | CloudFailure;

export type CallOptions = { signal?: AbortSignal };

export type CloudClientOptions = {
  baseUrl: string;
  apiKey: string;
  fetch?: typeof fetch;
  /** Per-request timeout in ms (default 30 000). */
  timeoutMs?: number;
  /** Injected for tests; default is setTimeout. */
  sleep?: (ms: number) => Promise<void>;
  /** Retries after the first attempt (default 3). */
  maxRetries?: number;
  /** Longest Retry-After we are willing to wait in ms (default 60 000); longer gives `rate-limited` at once. */
  maxRetryAfterMs?: number;
  /** Random source for jitter, [0, 1) (tests). */
  random?: () => number;
};

export type CloudClient = {
  readonly baseUrl: string;
  getMe(opts?: CallOptions): Promise<CloudResult<AccountInfo>>;
  getApiKeyInfo(opts?: CallOptions): Promise<CloudResult<ApiKeyInfo>>;
  createDeveloperCertificate(input: { name: string; description?: string }, opts?: CallOptions): Promise<CloudResult<CreatedDeveloperCertificate>>;
  getDeveloperCertificate(id: string, opts?: CallOptions): Promise<CloudResult<DeveloperCertificate>>;
  /** All pages, in order. `deviceExecutionMode: 1` lists developer certificates; `service` one service's certificates. */
  listTrustedCertificates(filter?: { deviceExecutionMode?: 1; service?: TrustedService; pageSize?: number }, opts?: CallOptions): Promise<CloudResult<TrustedCertificate[]>>;
  /** POST /v3/trusted-certificates: the account trusts this certificate (a CA, for `bootstrap`) from now on. */
  createTrustedCertificate(input: NewTrustedCertificate, opts?: CallOptions): Promise<CloudResult<TrustedCertificate>>;
  getTrustedCertificate(id: string, opts?: CallOptions): Promise<CloudResult<TrustedCertificate>>;
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

type Method = 'GET' | 'POST' | 'DELETE';
type Call<T> = {
  method: Method;
  path: string;
  query?: Record<string, string | number | undefined>;
  json?: unknown;
  form?: FormData;
  /** Undefined for answers without a body (204). */
  schema?: z.ZodType<T>;
  /** Answer the body as text, unparsed (report files). */
  text?: boolean;
  signal?: AbortSignal | undefined;
  /** "the developer certificate", for not-found messages. */
  what: string;
  /** Message for a 409. */
  conflict?: string;
};

type Attempt<T> = { kind: 'done'; result: CloudResult<T> } | { kind: 'retry'; failure: CloudFailure; waitMs?: number };


/** No Device Management answer of the subset we use comes near this; a larger one is refused, not buffered. */
export const MAX_RESPONSE_BYTES = 16 * 1024 * 1024;

/** The body as text, or undefined as soon as it passes `max` bytes (the rest is never read). */
async function readCappedText(res: Response, max: number): Promise<string | undefined> {
  if (Number(res.headers.get('content-length') ?? 0) > max) return undefined;
  if (!res.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
    size += chunk.byteLength;
    if (size > max) return undefined;
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

export function createCloudClient(options: CloudClientOptions): CloudClient {
  const apiKey = options.apiKey.trim();
  const fetchImpl = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;
  const sleep = options.sleep;
  const maxRetries = options.maxRetries ?? 3;
  const maxRetryAfterMs = options.maxRetryAfterMs ?? 60_000;
  const random = options.random ?? Math.random;
  const urlCheck = validateApiUrl(options.baseUrl);
  const baseUrl = urlCheck.ok ? urlCheck.value : options.baseUrl;
  const host = urlCheck.ok ? new URL(baseUrl).host : 'the API URL';

  const redact = (s: string): string => {
    let out = apiKey.length >= 4 ? s.split(apiKey).join('[API key]') : s;
    out = out.replace(/\bak_[A-Za-z0-9_-]{8,}/g, '[API key]').replace(/\bBearer\s+\S+/gi, 'Bearer [API key]');
    return out;
  };

  const fail = (code: CloudErrorCode, message: string, extra: { status?: number; requestId?: string; fields?: { name: string; message: string }[] } = {}): CloudFailure => {
    const f: CloudFailure = { ok: false, code, message: redact(message) };
    if (extra.status !== undefined) f.status = extra.status;
    if (extra.requestId) f.requestId = redact(extra.requestId);
    if (extra.fields?.length) f.fields = extra.fields.map((x) => ({ name: redact(x.name), message: redact(x.message) }));
    return f;
  };
  const cancelled = () => fail('cancelled', 'the request was cancelled');

  /** Waits, unless the signal fires first (then false). */
  const pause = (ms: number, signal?: AbortSignal): Promise<boolean> => {
    if (signal?.aborted) return Promise.resolve(false);
    return new Promise<boolean>((resolve) => {
      if (!sleep) {
        // Our own timer, cleared on abort so nothing lingers.
        const onAbortTimer = () => {
          clearTimeout(t);
          resolve(false);
        };
        const t = setTimeout(() => {
          signal?.removeEventListener('abort', onAbortTimer);
          resolve(true);
        }, ms);
        signal?.addEventListener('abort', onAbortTimer, { once: true });
        return;
      }
      const onAbort = () => resolve(false);
      signal?.addEventListener('abort', onAbort, { once: true });
      sleep(ms).then(
        () => {
          signal?.removeEventListener('abort', onAbort);
          resolve(!signal?.aborted);
        },
        () => resolve(false),
      );
    });
  };

  const backoffMs = (attempt: number) => {
    const d = Math.min(8_000, 500 * 2 ** attempt);
    return Math.round(d / 2 + random() * (d / 2));
  };

  const parseRetryAfter = (v: string | null): number | undefined => {
    if (!v) return undefined;
    if (/^\s*\d+\s*$/.test(v)) return Number(v) * 1000;
    const t = Date.parse(v);
    return Number.isNaN(t) ? undefined : Math.max(0, t - Date.now());
  };

  const httpFailure = (status: number, body: ErrorResponse | undefined, requestId: string | undefined, call: Call<unknown>, retryAfterMs?: number): CloudFailure => {
    const extra = { status, ...(requestId ? { requestId } : {}), ...(body?.fields ? { fields: body.fields } : {}) };
    const rid = requestId ? ` (request id ${requestId})` : '';
    switch (status) {
      case 400: {
        const detail = body?.fields?.length ? body.fields.map((f) => `${f.name}: ${f.message}`).join('; ') : (body?.message ?? 'no details given');
        return fail('validation', `Device Management refused the request as invalid (${detail}): correct it and try again`, extra);
      }
      case 401:
        return fail('unauthorized', 'the API key was not accepted: check it or create a new one in the portal', extra);
      case 403:
        return fail('forbidden', 'the API key is not allowed to do this: use a key with administrator rights, or ask an account administrator', extra);
      case 404:
        return fail('not-found', `${call.what} was not found: it may have been deleted; refresh and try again`, extra);
      case 409:
        return fail('conflict', call.conflict ?? `${call.what} conflicts with an existing one: refresh and try again`, extra);
      case 429: {
        const when = retryAfterMs !== undefined ? `wait ${Math.ceil(retryAfterMs / 1000)} s` : 'wait a minute';
        return fail('rate-limited', `Device Management is limiting requests from this account: ${when} and try again`, extra);
      }
      default:
        if (status >= 500)
          return fail('server-error', `Device Management had a problem (HTTP ${status})${rid}: try again later; if it persists, report the request id`, extra);
        return fail('http-error', `unexpected HTTP ${status} from ${host}${rid}: check the API URL and try again`, extra);
    }
  };

  async function attemptOnce<T>(call: Call<T>): Promise<Attempt<T>> {
    const idempotent = call.method === 'GET' || call.method === 'DELETE';
    const url = new URL(baseUrl + call.path);
    for (const [k, v] of Object.entries(call.query ?? {})) if (v !== undefined) url.searchParams.set(k, String(v));

    const ctl = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      ctl.abort();
    }, timeoutMs);
    const onAbort = () => ctl.abort();
    call.signal?.addEventListener('abort', onAbort, { once: true });
    const headers: Record<string, string> = { authorization: `Bearer ${apiKey}`, accept: 'application/json' };
    let body: string | FormData | undefined;
    if (call.json !== undefined) {
      headers['content-type'] = 'application/json';
      body = JSON.stringify(call.json);
    } else if (call.form) body = call.form;

    let res: Response;
    let text: string;
    try {
      res = await fetchImpl(url, { method: call.method, headers, ...(body !== undefined ? { body } : {}), signal: ctl.signal, redirect: 'manual' });
      const capped = await readCappedText(res, MAX_RESPONSE_BYTES);
      if (capped === undefined) {
        ctl.abort();
        return {
          kind: 'done',
          result: fail('invalid-response', `${host} sent an answer larger than ${MAX_RESPONSE_BYTES / (1024 * 1024)} MiB: check that the API URL points at Device Management`, { status: res.status }),
        };
      }
      text = capped;
    } catch {
      // The error itself is not shown: it may quote headers. What happened is known from our flags.
      if (call.signal?.aborted) return { kind: 'done', result: cancelled() };
      if (timedOut)
        return { kind: 'done', result: fail('timeout', `no answer from ${host} within ${Math.round(timeoutMs / 100) / 10} s: check the network, or try again later`) };
      const f = fail('network', `could not reach ${host}: check the network or the API URL`);
      return idempotent ? { kind: 'retry', failure: f } : { kind: 'done', result: f };
    } finally {
      clearTimeout(timer);
      call.signal?.removeEventListener('abort', onAbort);
    }

    const requestId = res.headers.get('x-request-id') ?? undefined;
    if (res.status >= 200 && res.status < 300) {
      if (call.text) return { kind: 'done', result: { ok: true, value: text as T } };
      if (!call.schema) return { kind: 'done', result: { ok: true, value: undefined as T } };
      let json: unknown;
      try {
        json = JSON.parse(text);
      } catch {
        return { kind: 'done', result: fail('invalid-response', `${host} did not answer with JSON: check that the API URL points at Device Management`, { status: res.status, ...(requestId ? { requestId } : {}) }) };
      }
      const parsed = call.schema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'unknown shape';
        return {
          kind: 'done',
          result: fail('invalid-response', `unexpected answer from ${host} (${where}): check that the API URL points at Device Management`, { status: res.status, ...(requestId ? { requestId } : {}) }),
        };
      }
      return { kind: 'done', result: { ok: true, value: parsed.data } };
    }
    if (res.status >= 300 && res.status < 400) {
      const loc = res.headers.get('location');
      return { kind: 'done', result: fail('invalid-response', `${host} redirects${loc ? ` to ${loc}` : ''}: set the API URL to the final address`, { status: res.status }) };
    }

    let errBody: ErrorResponse | undefined;
    try {
      const p = ErrorResponseSchema.safeParse(JSON.parse(text));
      if (p.success) errBody = p.data;
    } catch {
      /* not JSON: keep the status only */
    }
    const rid = errBody?.request_id ?? requestId;
    if (res.status === 429) {
      const waitMs = parseRetryAfter(res.headers.get('retry-after'));
      const f = httpFailure(429, errBody, rid, call as Call<unknown>, waitMs);
      if (waitMs !== undefined && waitMs > maxRetryAfterMs) return { kind: 'done', result: f };
      return { kind: 'retry', failure: f, ...(waitMs !== undefined ? { waitMs } : {}) };
    }
    const f = httpFailure(res.status, errBody, rid, call as Call<unknown>);
    if (idempotent && (res.status === 502 || res.status === 503 || res.status === 504)) {
      const waitMs = parseRetryAfter(res.headers.get('retry-after'));
      return { kind: 'retry', failure: f, ...(waitMs !== undefined && waitMs <= maxRetryAfterMs ? { waitMs } : {}) };
    }
    return { kind: 'done', result: f };
  }

  async function request<T>(call: Call<T>): Promise<CloudResult<T>> {
    if (!urlCheck.ok) return fail('validation', urlCheck.message);
    if (!apiKey) return fail('unauthorized', 'no API key is set: add one in the settings');
    if (!/^[\x21-\x7e]+$/.test(apiKey)) return fail('validation', 'the API key contains spaces or characters that cannot be sent: paste it again');
    for (let n = 0; ; n++) {
      if (call.signal?.aborted) return cancelled();
      let a: Attempt<T>;
      try {
        a = await attemptOnce(call);
      } catch (e) {
        // Unexpected (a bug or a broken fetch). Never let its text, which might quote headers, out.
        return fail('network', `the request to ${host} failed unexpectedly (${e instanceof Error ? e.name : 'error'}): try again`);
      }
      if (a.kind === 'done') return a.result;
      if (n >= maxRetries) return a.failure;
      if (!(await pause(a.waitMs ?? backoffMs(n), call.signal))) return cancelled();
    }
  }

  const seg = (id: string) => encodeURIComponent(id);
  const needId = (id: string, what: string): CloudFailure | undefined =>
    typeof id === 'string' && id.trim() !== '' ? undefined : fail('validation', `${what} id is empty: pick one from the list`, { fields: [{ name: 'id', message: 'is required' }] });

  const client: CloudClient = {
    baseUrl,
    getMe: (o) => request({ method: 'GET', path: '/v3/accounts/me', schema: AccountInfoSchema, signal: o?.signal, what: 'the account' }),
    getApiKeyInfo: (o) => request({ method: 'GET', path: '/v3/api-keys/me', schema: ApiKeyInfoSchema, signal: o?.signal, what: 'the API key' }),

    async createDeveloperCertificate(input, o) {
      const name = input.name?.trim() ?? '';
      if (!name || name.length > 100)
        return fail('validation', 'the certificate name must be 1 to 100 characters: enter a shorter or non-empty name', { fields: [{ name: 'name', message: name ? 'is longer than 100 characters' : 'is required' }] });
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
        request({ method: 'GET', path: `/v3/developer-certificates/${seg(id)}`, schema: DeveloperCertificateSchema, signal: o?.signal, what: 'the developer certificate' })
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
        return fail('validation', 'the certificate name must be 1 to 100 characters: enter a shorter or non-empty name', { fields: [{ name: 'name', message: name ? 'is longer than 100 characters' : 'is required' }] });
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
        conflict: 'the account already trusts a certificate with this name or subject: it may be trusted already (see the list), or delete the old one in the portal first',
      });
    },

    async getTrustedCertificate(id, o) {
      return needId(id, 'the certificate') ?? request({ method: 'GET', path: `/v3/trusted-certificates/${seg(id)}`, schema: TrustedCertificateSchema, signal: o?.signal, what: 'the certificate' });
    },

    async deleteTrustedCertificate(id, o) {
      return needId(id, 'the certificate') ?? request<void>({ method: 'DELETE', path: `/v3/trusted-certificates/${seg(id)}`, signal: o?.signal, what: 'the certificate' });
    },

    async createEnrollment(identity, o) {
      const id = identity.trim();
      if (!ENROLLMENT_IDENTITY_RE.test(id))
        return fail('validation', 'that is not an enrollment identity: it is A- followed by 32 colon-separated hex bytes', { fields: [{ name: 'enrollment_identity', message: 'does not match ^A-[A-Za-z0-9:]{95}$' }] });
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
      if (bytes.length > 10 * 1024 * 1024) return fail('validation', 'the CSV file is larger than 10 MB: split it into smaller files', { fields: [{ name: 'enrollment_identities', message: 'is larger than 10 MB' }] });
      const form = new FormData();
      form.append('enrollment_identities', new Blob([bytes as Uint8Array<ArrayBuffer>], { type: 'text/csv' }), 'enrollment_identities.csv');
      return request({ method: 'POST', path: '/v3/device-enrollments-bulk-uploads', form, schema: BulkUploadSchema, signal: o?.signal, what: 'the bulk upload' });
    },

    async getBulkUpload(id, o) {
      return needId(id, 'the bulk upload') ?? request({ method: 'GET', path: `/v3/device-enrollments-bulk-uploads/${seg(id)}`, schema: BulkUploadSchema, signal: o?.signal, what: 'the bulk upload' });
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
      if (u.origin !== api.origin || !u.pathname.startsWith(`${prefix}/`)) return fail('invalid-response', `the bulk upload's report is on ${u.host}, not ${host}: download it in the portal`);
      return request<string>({ method: 'GET', path: u.pathname.slice(prefix.length), query: Object.fromEntries(u.searchParams), text: true, signal: o?.signal, what: 'the bulk upload report' });
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

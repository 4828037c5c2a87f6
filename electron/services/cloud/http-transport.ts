import type { z } from 'zod';
import type { Failure, Ok } from '../../../shared/contract/result';
import { redactApiKeys } from '../../../shared/domain/mask';
import { ErrorResponseSchema, type ErrorResponse } from './schemas';
import { validateApiUrl } from '../../../shared/domain/api-url';

/**
 * The HTTP half of the Device Management client (client.ts has the endpoints): one request with its timeout,
 * retries, size cap, schema check and the mapping of HTTP failures to codes and messages that say what to do;
 * every message passes through `redact`, so neither the key nor anything shaped like one gets out.
 */

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

export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';
export type Call<T> = {
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

export interface CloudHttp {
  /** The validated base URL (no trailing slash), or the URL as given when it is invalid (every request then fails). */
  readonly baseUrl: string;
  /** The API's host, for messages. */
  readonly host: string;
  request<T>(call: Call<T>): Promise<CloudResult<T>>;
  fail(code: CloudErrorCode, message: string, extra?: { status?: number; requestId?: string; fields?: { name: string; message: string }[] }): CloudFailure;
  cancelled(): CloudFailure;
  /** Waits, unless the signal fires first (then false). */
  pause(ms: number, signal?: AbortSignal): Promise<boolean>;
}

export function createCloudHttp(options: CloudClientOptions): CloudHttp {
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
    out = redactApiKeys(out, '[API key]').replace(/\bBearer\s+\S+/gi, 'Bearer [API key]');
    return out;
  };

  const fail = (
    code: CloudErrorCode,
    message: string,
    extra: { status?: number; requestId?: string; fields?: { name: string; message: string }[] } = {},
  ): CloudFailure => {
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

  const httpFailure = (
    status: number,
    body: ErrorResponse | undefined,
    requestId: string | undefined,
    call: Call<unknown>,
    retryAfterMs?: number,
  ): CloudFailure => {
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
    const idempotent = call.method !== 'POST';
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
          result: fail(
            'invalid-response',
            `${host} sent an answer larger than ${MAX_RESPONSE_BYTES / (1024 * 1024)} MiB: check that the API URL points at Device Management`,
            { status: res.status },
          ),
        };
      }
      text = capped;
    } catch {
      // The error itself is not shown: it may quote headers. What happened is known from our flags.
      if (call.signal?.aborted) return { kind: 'done', result: cancelled() };
      if (timedOut)
        return {
          kind: 'done',
          result: fail('timeout', `no answer from ${host} within ${Math.round(timeoutMs / 100) / 10} s: check the network, or try again later`),
        };
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
        return {
          kind: 'done',
          result: fail('invalid-response', `${host} did not answer with JSON: check that the API URL points at Device Management`, {
            status: res.status,
            ...(requestId ? { requestId } : {}),
          }),
        };
      }
      const parsed = call.schema.safeParse(json);
      if (!parsed.success) {
        const issue = parsed.error.issues[0];
        const where = issue ? `${issue.path.join('.') || 'body'}: ${issue.message}` : 'unknown shape';
        return {
          kind: 'done',
          result: fail('invalid-response', `unexpected answer from ${host} (${where}): check that the API URL points at Device Management`, {
            status: res.status,
            ...(requestId ? { requestId } : {}),
          }),
        };
      }
      return { kind: 'done', result: { ok: true, value: parsed.data } };
    }
    if (res.status >= 300 && res.status < 400) {
      const loc = res.headers.get('location');
      return {
        kind: 'done',
        result: fail('invalid-response', `${host} redirects${loc ? ` to ${loc}` : ''}: set the API URL to the final address`, { status: res.status }),
      };
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

  return { baseUrl, host, request, fail, cancelled, pause };
}

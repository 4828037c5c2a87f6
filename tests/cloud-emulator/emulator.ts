/**
 * Device Management API emulator: a real `node:http` server that follows the resolved Swagger subset
 * in ./device-management-api.subset.json (copied from ../shared/spec/). Test infrastructure only; it
 * emulates the API for the client and e2e tests, it is not the service.
 *
 *   const emu = await startCloudEmulator();              // 127.0.0.1, port 0 (trustedCaDir: see CloudEmulatorOptions)
 *   const acct = emu.addAccount({ name: 'lab', apiKey: 'ak_test_…' });
 *   emu.inject({ method: 'GET', path: '/v3/accounts/me', status: 429, retryAfter: 2 });
 *   ... emu.requests ...
 *   await emu.close();
 *
 * Every request body and query is validated against the spec (ajv); invalid ones get 400 with the
 * spec's ErrorResponse. Every response body is checked against its spec definition too; mismatches
 * are collected in `responseViolations` (tests may assert it stays empty).
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { randomBytes, X509Certificate } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { renderDeveloperCredentialsC } from '../../shared/domain/credentials-c-file';
import { parseEnrollmentCsv } from '../../shared/domain/enrollment';
import { bootstrapServerRootCaDer, derToPem, issueDeveloperCertificate, pemToDer, type IssuedDeveloperCertificate } from './certs';
import { boundaryOf, parseMultipart } from './multipart';
import { checkResponse, operationValidator, type FieldError } from './spec';

export type Fault = {
  /** HTTP method to match (any when omitted). */
  method?: string;
  /** Exact pathname, or a RegExp tested against the pathname (any when omitted). */
  path?: RegExp | string;
  /** Answer with this status and an ErrorResponse body instead of handling the request. */
  status?: number;
  /** Seconds for a `Retry-After` header (with `status`, typically 429 or 503). */
  retryAfter?: number;
  /** Wait this long before answering (or dropping, or handling normally). */
  delayMs?: number;
  /** Destroy the socket without any answer. */
  drop?: boolean;
  /** How many matching requests this fault applies to (default 1; Infinity for all). */
  times?: number;
};

export type RecordedRequest = {
  method: string;
  /** Pathname without the query. */
  path: string;
  query: Record<string, string>;
  /** Request headers, with `authorization` masked. */
  headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON body, or for multipart the names of the parts; undefined when empty. */
  body?: unknown;
  accountId?: string;
  /** The fault applied to this request, if any. */
  fault?: Fault;
  /** Status sent (undefined when dropped or still pending). */
  status?: number;
  at: number;
};

export type EmulatedAccount = { id: string; name: string; apiKey: string };

export type CloudEmulator = {
  url: string;
  close(): Promise<void>;
  addAccount(a: { name: string; apiKey: string; id?: string }): EmulatedAccount;
  inject(fault: Fault): void;
  clearFaults(): void;
  requests: RecordedRequest[];
  /** Responses that did not match their spec definition (should stay empty). */
  responseViolations: string[];
  /** Adds a trusted certificate record directly (for paging/filter tests); returns its id. */
  addTrustedCertificate(accountId: string, t: { name: string; deviceExecutionMode?: number; service?: 'lwm2m' | 'bootstrap' }): Promise<string>;
};

// ------------------------------------------------------------------------------------------------

type DevCert = {
  id: string;
  name: string;
  description?: string;
  createdAt: string;
  issued: IssuedDeveloperCertificate;
  endpointName: string;
  securityFile: string;
};
/** The certificate a trusted-certificate record holds (a developer certificate's, or one the account uploaded). */
type TrustedCert = Pick<IssuedDeveloperCertificate, 'certPem' | 'subject' | 'issuer' | 'notAfter' | 'fingerprintHex'>;
type Trusted = {
  id: string;
  name: string;
  description?: string;
  createdAt: string;
  deviceExecutionMode: number;
  service: 'lwm2m' | 'bootstrap';
  enrollmentMode: boolean;
  issued: TrustedCert;
};
type Enrollment = { id: string; identity: string; createdAt: string };
type Bulk = {
  id: string;
  createdAt: string;
  status: 'new' | 'processing' | 'completed';
  csv: Buffer;
  total: number;
  processed: number;
  errors: number;
  report: string[];
  errorReport: string[];
  completedAt?: string;
};
type AccountState = EmulatedAccount & {
  devCerts: Map<string, DevCert>;
  trusted: Trusted[];
  enrollments: Map<string, Enrollment>;
  bulk: Map<string, Bulk>;
};

const hex32 = () => randomBytes(16).toString('hex');
const now = () => new Date().toISOString().replace(/\.\d+Z$/, 'Z');

class HttpError {
  constructor(
    readonly status: number,
    readonly type: string,
    readonly message: string,
    readonly fields?: FieldError[],
  ) {}
}

const ERROR_TYPES: Record<number, string> = {
  400: 'validation_error',
  401: 'invalid_token',
  403: 'forbidden',
  404: 'not_found',
  405: 'method_not_allowed',
  409: 'duplicate',
  413: 'payload_too_large',
  429: 'too_many_requests',
  500: 'internal_server_error',
  502: 'bad_gateway',
  503: 'service_unavailable',
  504: 'gateway_timeout',
};

type Handler = (ctx: Ctx) => Promise<{ status: number; body?: unknown; definition?: string }>;
type Ctx = { acct: AccountState; params: Record<string, string>; query: Record<string, unknown>; body: unknown; raw: Buffer; req: http.IncomingMessage };
type Route = { method: string; specPath: string; re: RegExp; keys: string[]; handler: Handler };

/** `C=GB, O=…, CN=…` from Node's one-attribute-a-line form. */
const dn = (text: string) => text.split('\n').filter(Boolean).join(', ');

/** The certificates of a PEM chain, or undefined when one does not parse. */
function readChain(pem: string): X509Certificate[] | undefined {
  const blocks = pem.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g) ?? [];
  try {
    return blocks.map((b) => new X509Certificate(pemToDer(b)));
  } catch {
    return undefined;
  }
}

export type CloudEmulatorOptions = {
  port?: number;
  host?: string;
  /**
   * A folder the emulator keeps one PEM file in per CA an account trusts for bootstrap (own CAs, not developer
   * certificates): the device lab's provisioning utility accepts a bootstrap certificate that chains to one of
   * them, as the bootstrap server would. Removed again when the record is deleted or the emulator closes.
   */
  trustedCaDir?: string;
};

export async function startCloudEmulator(opts: CloudEmulatorOptions = {}): Promise<CloudEmulator> {
  const host = opts.host ?? '127.0.0.1';
  const accounts = new Map<string, AccountState>(); // by api key
  const faults: (Fault & { left: number })[] = [];
  const requests: RecordedRequest[] = [];
  const responseViolations: string[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let baseUrl = '';

  const sleep = (ms: number) =>
    new Promise<void>((resolve) => {
      const t = setTimeout(() => {
        timers.delete(t);
        resolve();
      }, ms);
      timers.add(t);
    });

  const routes: Route[] = [];
  const route = (method: string, specPath: string, handler: Handler) => {
    const keys: string[] = [];
    const re = new RegExp(`^${specPath.replace(/\{([^}]+)\}/g, (_m, k: string) => (keys.push(k), '([^/]+)'))}$`);
    operationValidator(specPath, method); // fail fast if the spec lacks it
    routes.push({ method, specPath, re, keys, handler });
  };

  const findTrusted = (acct: AccountState, id: string) => acct.trusted.find((t) => t.id === id);
  const nameTaken = (acct: AccountState, name: string) => acct.trusted.some((t) => t.name === name) || [...acct.devCerts.values()].some((d) => d.name === name);

  const trustedView = (acct: AccountState, t: Trusted) => ({
    object: 'trusted-cert',
    id: t.id,
    account_id: acct.id,
    name: t.name,
    description: t.description ?? '',
    certificate: t.issued.certPem,
    certificate_fingerprint: t.issued.fingerprintHex,
    issuer: t.issued.issuer,
    subject: t.issued.subject,
    validity: t.issued.notAfter.toISOString().replace(/\.\d+Z$/, 'Z'),
    service: t.service,
    status: 'ACTIVE',
    device_execution_mode: t.deviceExecutionMode,
    enrollment_mode: t.enrollmentMode,
    owner_id: null,
    valid: t.issued.notAfter.getTime() > Date.now(),
    created_at: t.createdAt,
    updated_at: t.createdAt,
    etag: '1',
  });

  const devCertView = (acct: AccountState, d: DevCert) => ({
    object: 'trusted-cert',
    id: d.id,
    account_id: acct.id,
    name: d.name,
    ...(d.description !== undefined ? { description: d.description } : {}),
    developer_certificate: d.issued.certPem,
    developer_private_key: d.issued.keyPem,
    security_file_content: d.securityFile,
    created_at: d.createdAt,
    etag: '1',
  });

  const enrollmentView = (acct: AccountState, e: Enrollment) => ({
    object: 'enrollment',
    id: e.id,
    etag: '1',
    account_id: acct.id,
    created_at: e.createdAt,
    expires_at: new Date(Date.parse(e.createdAt) + 90 * 86400_000).toISOString().replace(/\.\d+Z$/, 'Z'),
    claimed_at: null,
    enrollment_identity: e.identity,
    enrolled_device_id: null,
  });

  const bulkView = (acct: AccountState, b: Bulk) => ({
    object: 'enrollment-identity-bulk-uploads',
    id: b.id,
    etag: String(b.status === 'new' ? 1 : b.status === 'processing' ? 2 : 3),
    account_id: acct.id,
    created_at: b.createdAt,
    status: b.status,
    total_count: b.total,
    processed_count: b.processed,
    errors_count: b.errors,
    full_report_file: b.status === 'completed' ? `${baseUrl}/v3/device-enrollments-bulk-uploads/${b.id}/full_report.csv` : '',
    errors_report_file: b.status === 'completed' ? `${baseUrl}/v3/device-enrollments-bulk-uploads/${b.id}/errors_report.csv` : '',
    ...(b.completedAt ? { completed_at: b.completedAt } : {}),
  });

  const enroll = (acct: AccountState, identity: string): Enrollment | undefined => {
    if ([...acct.enrollments.values()].some((e) => e.identity === identity)) return undefined;
    const e = { id: hex32(), identity, createdAt: now() };
    acct.enrollments.set(e.id, e);
    return e;
  };

  // --- routes ------------------------------------------------------------------------------------
  route('GET', '/v3/accounts/me', async ({ acct }) => ({
    status: 200,
    definition: 'AccountInfo',
    body: {
      object: 'account',
      id: acct.id,
      display_name: acct.name,
      company: acct.name,
      aliases: [],
      status: 'ACTIVE',
      tier: '1',
      end_market: 'IT',
      etag: '1',
      created_at: '2020-01-01T00:00:00Z',
      updated_at: '2020-01-01T00:00:00Z',
    },
  }));

  route('GET', '/v3/api-keys/me', async ({ acct }) => ({
    status: 200,
    definition: 'ApiKeyInfoResp',
    body: {
      object: 'api-key',
      id: hex32().replace(/^.{8}/, '00000000'),
      account_id: acct.id,
      name: `${acct.name} key`,
      // Only the non-secret prefix, never the whole key.
      key: `${acct.apiKey.slice(0, 6)}…`,
      status: 'ACTIVE',
      groups: [],
      etag: '1',
      created_at: '2020-01-01T00:00:00Z',
    },
  }));

  route('POST', '/v3/developer-certificates', async ({ acct, body }) => {
    const { name, description } = body as { name: string; description?: unknown };
    if (nameTaken(acct, name))
      throw new HttpError(409, 'duplicate', `A certificate with the name "${name}" already exists.`, [{ name: 'name', message: 'already exists' }]);
    const endpointName = hex32();
    const issued = await issueDeveloperCertificate(endpointName, acct.id);
    const securityFile = renderDeveloperCredentialsC({
      endpointName,
      accountId: acct.id,
      serverUri: `coaps://bootstrap.emulator.invalid:5684?aid=${acct.id}`,
      deviceCertDer: issued.certDer,
      serverRootCaDer: bootstrapServerRootCaDer(),
      devicePrivateKeyDer: issued.keyDer,
    });
    const d: DevCert = { id: hex32(), name, createdAt: now(), issued, endpointName, securityFile, ...(typeof description === 'string' ? { description } : {}) };
    acct.devCerts.set(d.id, d);
    acct.trusted.push({ id: d.id, name, createdAt: d.createdAt, deviceExecutionMode: 1, service: 'bootstrap', enrollmentMode: false, issued });
    return { status: 201, definition: 'DeveloperCertificateResponseData', body: devCertView(acct, d) };
  });

  route('GET', '/v3/developer-certificates/{developerCertificateId}', async ({ acct, params }) => {
    const d = acct.devCerts.get(params.developerCertificateId!);
    if (!d) throw new HttpError(404, 'not_found', 'Developer certificate not found.');
    return { status: 200, definition: 'DeveloperCertificateResponseData', body: devCertView(acct, d) };
  });

  route('GET', '/v3/trusted-certificates', async ({ acct, query }) => {
    const limit = (query.limit as number | undefined) ?? 50;
    if (limit < 2 || limit > 1000)
      throw new HttpError(400, 'validation_error', 'limit must be between 2 and 1000.', [{ name: 'limit', message: 'must be between 2 and 1000' }]);
    const order = (query.order as string | undefined) ?? 'ASC';
    if (order !== 'ASC' && order !== 'DESC')
      throw new HttpError(400, 'validation_error', 'order must be ASC or DESC.', [{ name: 'order', message: 'must be ASC or DESC' }]);
    let all = acct.trusted.slice();
    if (order === 'DESC') all.reverse();
    if (query.device_execution_mode__eq !== undefined) all = all.filter((t) => t.deviceExecutionMode === query.device_execution_mode__eq);
    if (query.device_execution_mode__neq !== undefined) all = all.filter((t) => t.deviceExecutionMode !== query.device_execution_mode__neq);
    if (query.name__eq !== undefined) all = all.filter((t) => t.name === query.name__eq);
    if (query.service__eq !== undefined) all = all.filter((t) => t.service === query.service__eq);
    let start = 0;
    if (query.after !== undefined) {
      const i = all.findIndex((t) => t.id === query.after);
      if (i < 0) throw new HttpError(400, 'validation_error', 'after does not name a known certificate.', [{ name: 'after', message: 'unknown entity id' }]);
      start = i + 1;
    }
    const page = all.slice(start, start + limit);
    return {
      status: 200,
      definition: 'TrustedCertificateRespList',
      body: {
        object: 'list',
        limit,
        order,
        ...(query.after !== undefined ? { after: query.after } : {}),
        has_more: start + limit < all.length,
        total_count: all.length,
        data: page.map((t) => trustedView(acct, t)),
      },
    };
  });

  const mirrorFile = (acct: AccountState, t: Trusted) => (opts.trustedCaDir ? join(opts.trustedCaDir, `${acct.id}-${t.id}.pem`) : undefined);
  const mirrored = new Set<string>();

  // An own CA: recorded (and mirrored for the lab), never used to sign anything here. The chain must run from a
  // self-signed root down to the certificate trusted, unless a signature is given or it is for enrollment.
  route('POST', '/v3/trusted-certificates', async ({ acct, body }) => {
    const b = body as {
      name: string;
      certificate: string;
      service: 'lwm2m' | 'bootstrap';
      description?: string | null;
      status?: string;
      enrollment_mode?: boolean;
      signature?: string;
    };
    if (nameTaken(acct, b.name))
      throw new HttpError(409, 'duplicate', `A certificate with the name "${b.name}" already exists.`, [{ name: 'name', message: 'already exists' }]);
    const chain = readChain(b.certificate);
    if (!chain?.length)
      throw new HttpError(400, 'validation_error', 'The certificate is not a PEM X.509 certificate.', [
        { name: 'certificate', message: 'is not a PEM certificate' },
      ]);
    for (const [i, c] of chain.entries()) {
      const issuer = i === 0 ? c : chain[i - 1]!;
      const signed = c.checkIssued(issuer) && c.verify(issuer.publicKey);
      if (!signed && (i > 0 || (!b.signature && !b.enrollment_mode)))
        throw new HttpError(400, 'validation_error', 'The chain must run from a self-signed root to the certificate, or a signature is required.', [
          { name: 'signature', message: 'is required' },
        ]);
    }
    const leaf = chain[chain.length - 1]!;
    if (acct.trusted.some((t) => t.issued.subject === dn(leaf.subject) && t.deviceExecutionMode !== 1))
      throw new HttpError(409, 'duplicate', `A certificate with the subject "${dn(leaf.subject)}" already exists.`, [
        { name: 'certificate', message: 'subject already exists' },
      ]);
    const t: Trusted = {
      id: hex32(),
      name: b.name,
      ...(typeof b.description === 'string' ? { description: b.description } : {}),
      createdAt: now(),
      deviceExecutionMode: 0,
      service: b.service,
      enrollmentMode: b.enrollment_mode ?? false,
      issued: {
        certPem: derToPem(leaf.raw, 'CERTIFICATE'),
        subject: dn(leaf.subject),
        issuer: dn(leaf.issuer),
        notAfter: new Date(leaf.validTo),
        fingerprintHex: leaf.fingerprint256.replace(/:/g, '').toLowerCase(),
      },
    };
    acct.trusted.push(t);
    const file = mirrorFile(acct, t);
    if (file && t.service === 'bootstrap') {
      mkdirSync(opts.trustedCaDir!, { recursive: true });
      writeFileSync(file, t.issued.certPem);
      mirrored.add(file);
    }
    return { status: 201, definition: 'TrustedCertificateResp', body: trustedView(acct, t) };
  });

  route('GET', '/v3/trusted-certificates/{cert_id}', async ({ acct, params }) => {
    const t = findTrusted(acct, params.cert_id!);
    if (!t) throw new HttpError(404, 'not_found', 'Trusted certificate not found.');
    return { status: 200, definition: 'TrustedCertificateResp', body: trustedView(acct, t) };
  });

  route('PUT', '/v3/trusted-certificates/{cert_id}', async ({ acct, params, body }) => {
    const t = findTrusted(acct, params.cert_id!);
    if (!t) throw new HttpError(404, 'not_found', 'Trusted certificate not found.');
    const b = body as { name?: string; description?: string | null; enrollment_mode?: boolean };
    if (b.name !== undefined && b.name !== t.name && nameTaken(acct, b.name))
      throw new HttpError(409, 'duplicate', `A certificate with the name "${b.name}" already exists.`, [{ name: 'name', message: 'already exists' }]);
    if (b.name !== undefined) t.name = b.name;
    if (b.description !== undefined) t.description = b.description ?? '';
    if (b.enrollment_mode !== undefined) t.enrollmentMode = b.enrollment_mode;
    return { status: 200, definition: 'TrustedCertificateResp', body: trustedView(acct, t) };
  });

  route('DELETE', '/v3/trusted-certificates/{cert_id}', async ({ acct, params }) => {
    const t = findTrusted(acct, params.cert_id!);
    if (!t) throw new HttpError(404, 'not_found', 'Trusted certificate not found.');
    acct.trusted = acct.trusted.filter((x) => x !== t);
    acct.devCerts.delete(t.id);
    const file = mirrorFile(acct, t);
    if (file && mirrored.delete(file)) rmSync(file, { force: true });
    return { status: 204 };
  });

  route('POST', '/v3/device-enrollments', async ({ acct, body }) => {
    const identity = (body as { enrollment_identity: string }).enrollment_identity;
    const e = enroll(acct, identity);
    if (!e) throw new HttpError(409, 'duplicate', 'This enrollment identity already exists.', [{ name: 'enrollment_identity', message: 'already exists' }]);
    return { status: 201, definition: 'EnrollmentIdentity', body: enrollmentView(acct, e) };
  });

  route('POST', '/v3/device-enrollments-bulk-uploads', async ({ acct, raw, req }) => {
    const boundary = boundaryOf(req.headers['content-type']);
    if (!boundary)
      throw new HttpError(400, 'validation_error', 'The request must be multipart/form-data.', [
        { name: 'enrollment_identities', message: 'a multipart file is required' },
      ]);
    const parts = parseMultipart(raw, boundary);
    if (!parts)
      throw new HttpError(400, 'validation_error', 'The multipart body could not be read.', [
        { name: 'enrollment_identities', message: 'malformed multipart body' },
      ]);
    const file = parts.find((p) => p.name === 'enrollment_identities');
    if (!file)
      throw new HttpError(400, 'validation_error', 'The file field enrollment_identities is missing.', [
        { name: 'enrollment_identities', message: 'is required' },
      ]);
    if (file.data.length > 10 * 1024 * 1024) throw new HttpError(413, 'payload_too_large', 'The CSV file is larger than 10 MB.');
    const parsed = parseEnrollmentCsv(new Uint8Array(file.data));
    const b: Bulk = {
      id: hex32(),
      createdAt: now(),
      status: 'new',
      csv: file.data,
      total: parsed.rows.length,
      processed: 0,
      errors: 0,
      report: [],
      errorReport: [],
    };
    acct.bulk.set(b.id, b);
    return { status: 201, definition: 'BulkResponse', body: bulkView(acct, b) };
  });

  route('GET', '/v3/device-enrollments-bulk-uploads/{id}', async ({ acct, params }) => {
    const b = acct.bulk.get(params.id!);
    if (!b) throw new HttpError(404, 'not_found', 'Bulk upload not found.');
    // Each poll moves the job on: new -> processing -> completed.
    if (b.status === 'new') {
      b.status = 'processing';
      b.processed = Math.floor(b.total / 2);
    } else if (b.status === 'processing') {
      const parsed = parseEnrollmentCsv(new Uint8Array(b.csv));
      b.report = ['entity__id,status,error'];
      b.errorReport = ['entity__id,error'];
      for (const row of parsed.rows) {
        let err: string | undefined;
        if (!parsed.identities.includes(row.value) || parsed.invalid.includes(row)) err = 'invalid enrollment identity';
        else if (!enroll(acct, row.value)) err = 'duplicate enrollment identity';
        b.report.push(`${row.value},${err ? 'failed' : 'enrolled'},${err ?? ''}`);
        if (err) {
          b.errors++;
          b.errorReport.push(`${row.value},${err}`);
        }
      }
      b.processed = b.total;
      b.status = 'completed';
      b.completedAt = now();
    }
    return { status: 200, definition: 'BulkResponse', body: bulkView(acct, b) };
  });

  // --- server ------------------------------------------------------------------------------------
  const sendJson = (res: http.ServerResponse, status: number, body: unknown, extra: Record<string, string> = {}) => {
    if (res.destroyed || res.writableEnded) return;
    if (body === undefined) {
      res.writeHead(status, extra).end();
      return;
    }
    const text = JSON.stringify(body);
    res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(text), ...extra }).end(text);
  };
  const sendError = (
    res: http.ServerResponse,
    status: number,
    requestId: string,
    message: string,
    type?: string,
    fields?: FieldError[],
    extra: Record<string, string> = {},
  ) => {
    const body = { code: status, message, object: 'error', request_id: requestId, type: type ?? ERROR_TYPES[status] ?? 'error', ...(fields ? { fields } : {}) };
    const v = checkResponse('ErrorResponse', body);
    responseViolations.push(...v);
    sendJson(res, status, body, { 'x-request-id': requestId, ...extra });
  };

  const readBody = (req: http.IncomingMessage) =>
    new Promise<Buffer>((resolve, reject) => {
      const chunks: Buffer[] = [];
      let size = 0;
      req.on('data', (c: Buffer) => {
        size += c.length;
        if (size > 11 * 1024 * 1024) {
          reject(new HttpError(413, 'payload_too_large', 'The request body is too large.'));
          req.destroy();
          return;
        }
        chunks.push(c);
      });
      req.on('end', () => resolve(Buffer.concat(chunks)));
      req.on('error', reject);
    });

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const requestId = hex32();
    const u = new URL(req.url ?? '/', 'http://emulator.invalid');
    const method = (req.method ?? 'GET').toUpperCase();
    const query = Object.fromEntries(u.searchParams.entries());
    const headers = { ...req.headers };
    if (headers.authorization) headers.authorization = 'Bearer [masked]';
    const rec: RecordedRequest = { method, path: u.pathname, query, headers, at: Date.now() };
    requests.push(rec);
    res.on('finish', () => (rec.status = res.statusCode));

    const fault = faults.find(
      (f) =>
        f.left > 0 &&
        (!f.method || f.method.toUpperCase() === method) &&
        (f.path === undefined || (typeof f.path === 'string' ? f.path === u.pathname : f.path.test(u.pathname))),
    );
    if (fault) {
      fault.left--;
      const { left: _l, ...applied } = fault;
      rec.fault = applied;
      if (fault.delayMs) await sleep(fault.delayMs);
      if (res.destroyed) return;
      if (fault.drop) {
        req.socket.destroy();
        return;
      }
      if (fault.status) {
        req.resume();
        const extra: Record<string, string> = fault.retryAfter !== undefined ? { 'retry-after': String(fault.retryAfter) } : {};
        sendError(res, fault.status, requestId, `Injected fault: HTTP ${fault.status}.`, undefined, undefined, extra);
        return;
      }
    }

    const raw = await readBody(req);

    // Auth first, like the service.
    const m = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
    const acct = m ? accounts.get(m[1]!) : undefined;
    if (!acct) {
      sendError(res, 401, requestId, m ? 'The API key is not valid.' : 'An Authorization: Bearer header is required.');
      return;
    }
    rec.accountId = acct.id;

    // The bulk upload report files (linked from BulkResponse; not part of the JSON API).
    const report = /^\/v3\/device-enrollments-bulk-uploads\/([^/]+)\/(full|errors)_report\.csv$/.exec(u.pathname);
    if (report && method === 'GET') {
      const b = acct.bulk.get(report[1]!);
      if (!b || b.status !== 'completed') {
        sendError(res, 404, requestId, 'No such report.');
        return;
      }
      const text = `${(report[2] === 'full' ? b.report : b.errorReport).join('\n')}\n`;
      res.writeHead(200, { 'content-type': 'text/csv', 'content-length': Buffer.byteLength(text) }).end(text);
      return;
    }

    const candidates = routes.filter((r) => r.re.test(u.pathname));
    if (candidates.length === 0) {
      sendError(res, 404, requestId, `No such endpoint: ${u.pathname}.`);
      return;
    }
    const r = candidates.find((c) => c.method === method);
    if (!r) {
      sendError(res, 405, requestId, `${method} is not allowed on ${u.pathname}.`, undefined, undefined, { allow: candidates.map((c) => c.method).join(', ') });
      return;
    }
    const params = Object.fromEntries(r.keys.map((k, i) => [k, decodeURIComponent(r.re.exec(u.pathname)![i + 1]!)]));
    const validator = operationValidator(r.specPath, r.method);

    let body: unknown;
    const isMultipart = validator.formData.length > 0;
    if (!isMultipart && raw.length > 0) {
      try {
        body = JSON.parse(raw.toString('utf8'));
      } catch {
        sendError(res, 400, requestId, 'The request body is not valid JSON.', 'validation_error', [{ name: 'body', message: 'is not valid JSON' }]);
        return;
      }
    }
    rec.body = isMultipart ? `[multipart ${raw.length} bytes]` : body;

    const q = validator.query(query);
    const fields = [...q.fields, ...validator.body(body)];
    if (fields.length) {
      sendError(res, 400, requestId, `Validation failed: ${fields.map((f) => `${f.name} ${f.message}`).join('; ')}.`, 'validation_error', fields);
      return;
    }

    try {
      const out = await r.handler({ acct, params, query: q.value, body, raw, req });
      if (out.definition) responseViolations.push(...checkResponse(out.definition, out.body));
      sendJson(res, out.status, out.body, { 'x-request-id': requestId });
    } catch (e) {
      if (e instanceof HttpError) sendError(res, e.status, requestId, e.message, e.type, e.fields);
      else throw e;
    }
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      if (e instanceof HttpError) {
        sendError(res, e.status, hex32(), e.message, e.type, e.fields);
        return;
      }
      sendError(res, 500, hex32(), `Emulator bug: ${e instanceof Error ? e.message : String(e)}`);
    });
  });
  server.on('connection', (s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const addr = server.address() as AddressInfo;
  baseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${addr.port}`;

  return {
    url: baseUrl,
    requests,
    responseViolations,
    async close() {
      for (const t of timers) clearTimeout(t);
      timers.clear();
      for (const s of sockets) s.destroy();
      for (const f of mirrored) rmSync(f, { force: true });
      mirrored.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    addAccount({ name, apiKey, id }) {
      const accountId = id ?? hex32();
      if (!/^[a-f0-9]{32}$/.test(accountId)) throw new Error('an account id is 32 lowercase hex characters');
      if (accounts.has(apiKey)) throw new Error('that API key is already used by another emulated account');
      const a: AccountState = { id: accountId, name, apiKey, devCerts: new Map(), trusted: [], enrollments: new Map(), bulk: new Map() };
      accounts.set(apiKey, a);
      return { id: a.id, name: a.name, apiKey: a.apiKey };
    },
    inject(fault) {
      faults.push({ ...fault, left: fault.times ?? 1 });
    },
    clearFaults() {
      faults.length = 0;
    },
    async addTrustedCertificate(accountId, t) {
      const acct = [...accounts.values()].find((a) => a.id === accountId);
      if (!acct) throw new Error(`no emulated account ${accountId}`);
      if (nameTaken(acct, t.name)) throw new Error(`a certificate named ${t.name} already exists`);
      const issued = await issueDeveloperCertificate(hex32(), acct.id);
      const id = hex32();
      acct.trusted.push({
        id,
        name: t.name,
        createdAt: now(),
        deviceExecutionMode: t.deviceExecutionMode ?? 1,
        service: t.service ?? 'bootstrap',
        enrollmentMode: false,
        issued,
      });
      return id;
    },
  };
}

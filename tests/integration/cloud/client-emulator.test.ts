import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it, expect, beforeAll, afterAll, afterEach } from 'vitest';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startCloudEmulator, type CloudEmulator, type EmulatedAccount } from '../../cloud-emulator/emulator';
import { createCloudClient, type CloudClientOptions, type CloudResult } from '../../../electron/services/cloud/client';
import { checkDeveloperCertificate, pemToDer } from '../../../electron/services/cloud/developer-certificate';
import { parseCSymbols, renderDeveloperCredentialsC, symbolText } from '../../../shared/domain/credentials-c-file';
import { buildEnrollmentCsv } from '../../../shared/domain/enrollment';
import { makeCaCertificate } from '../../../electron/services/pki/certificate-authority';

const API_KEY = 'ak_1MDE2NTYyNTE1NzQwMDI0MjAzMjMwODAwMDAwMDA_integration_secret';
const fixture = (rel: string) => readFileSync(fileURLToPath(new URL(`../../fixtures/${rel}`, import.meta.url)), 'utf8');
const hexId = (n: number) => `A-${Array.from({ length: 32 }, (_, i) => ((i + n * 31) & 0xff).toString(16).padStart(2, '0').toUpperCase()).join(':')}`;

let emu: CloudEmulator;
let account: EmulatedAccount;
const failures: unknown[] = [];
let waits: number[] = [];

function client(opts: Partial<CloudClientOptions> = {}) {
  return createCloudClient({
    baseUrl: emu.url,
    apiKey: API_KEY,
    sleep: async (ms) => {
      waits.push(ms);
    },
    random: () => 0.5,
    ...opts,
  });
}

/** Remembers failures so the last test can check none of them leaks the API key. */
function track<T>(r: CloudResult<T>): CloudResult<T> {
  if (!r.ok) failures.push(r);
  return r;
}

const since = (mark: number, method: string, path: string) => emu.requests.slice(mark).filter((r) => r.method === method && r.path === path);

beforeAll(async () => {
  emu = await startCloudEmulator();
  account = emu.addAccount({ name: 'Integration', apiKey: API_KEY });
});
afterAll(async () => {
  await emu?.close();
});
afterEach(() => {
  emu.clearFaults();
  waits = [];
});

describe('account and key', () => {
  it('getMe answers the account', async () => {
    const r = track(await client().getMe());
    expect(r).toMatchObject({ ok: true, value: { id: account.id, object: 'account' } });
    expect(account.id).toMatch(/^[a-f0-9]{32}$/);
  });

  it('getApiKeyInfo answers without the secret', async () => {
    const r = track(await client().getApiKeyInfo());
    expect(r.ok).toBe(true);
    expect(JSON.stringify(r)).not.toContain(API_KEY);
  });

  it('an unknown key gives unauthorized with what to do', async () => {
    const wrong = 'ak_wrong_key_0123456789abcdef';
    const r = track(await client({ apiKey: wrong }).getMe());
    expect(r).toMatchObject({
      ok: false,
      code: 'unauthorized',
      status: 401,
      message: 'the API key was not accepted: check it or create a new one in the portal',
    });
    if (!r.ok) expect(r.requestId).toMatch(/^[a-f0-9]{32}$/);
    expect(JSON.stringify(r)).not.toContain(wrong);
  });

  it('an injected 403 gives forbidden', async () => {
    emu.inject({ method: 'GET', path: '/v3/accounts/me', status: 403 });
    const r = track(await client().getMe());
    expect(r).toMatchObject({ ok: false, code: 'forbidden', status: 403 });
  });
});

describe('developer certificates', () => {
  let certId = '';

  it('creates a real certificate signed by the account CA, consistent with its C file', async () => {
    const mark = emu.requests.length;
    const r = track(await client().createDeveloperCertificate({ name: 'bench-board-1', description: 'first' }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(since(mark, 'POST', '/v3/developer-certificates').map((q) => q.status)).toEqual([201]);
    certId = r.value.id;

    const sym = parseCSymbols(r.value.security_file_content, { file: 'security_file_content' });
    expect(sym.ok).toBe(true);
    if (!sym.ok) return;
    const m = sym.value;
    const endpoint = symbolText(m.get('MBED_CLOUD_DEV_BOOTSTRAP_ENDPOINT_NAME')!);
    expect(endpoint).toMatch(/^[a-f0-9]{32}$/);
    expect(symbolText(m.get('MBED_CLOUD_DEV_ACCOUNT_ID')!)).toBe(account.id);
    expect(symbolText(m.get('MBED_CLOUD_DEV_BOOTSTRAP_SERVER_URI')!)).toBe(`coaps://bootstrap.emulator.invalid:5684?aid=${account.id}`);

    const deviceDer = m.get('MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_CERTIFICATE')!.value;
    const device = new X509Certificate(deviceDer);
    const ca = new X509Certificate(fixture('account-ca/ca.pem'));
    expect(device.verify(ca.publicKey)).toBe(true);
    expect(device.subject).toContain(`CN=${endpoint}`);
    const years = (Date.parse(device.validTo) - Date.parse(device.validFrom)) / (365.25 * 86400_000);
    expect(years).toBeGreaterThan(9.9);
    expect(Buffer.from(m.get('MBED_CLOUD_DEV_BOOTSTRAP_SERVER_ROOT_CA_CERTIFICATE')!.value)).toEqual(Buffer.from(pemToDer(fixture('bootstrap-ca/ca.pem'))!));

    // PEM and C file agree, the key belongs to the certificate.
    expect(checkDeveloperCertificate(r.value)).toMatchObject({ ok: true, value: { endpointName: endpoint, accountId: account.id } });
    // The C file is exactly our §2.3 rendering.
    expect(r.value.security_file_content).toBe(
      renderDeveloperCredentialsC({
        endpointName: endpoint,
        accountId: account.id,
        serverUri: symbolText(m.get('MBED_CLOUD_DEV_BOOTSTRAP_SERVER_URI')!),
        deviceCertDer: deviceDer,
        serverRootCaDer: m.get('MBED_CLOUD_DEV_BOOTSTRAP_SERVER_ROOT_CA_CERTIFICATE')!.value,
        devicePrivateKeyDer: m.get('MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_PRIVATE_KEY')!.value,
      }),
    );
  });

  it('checkDeveloperCertificate refuses a PEM that is not the one in the C file', async () => {
    const a = track(await client().createDeveloperCertificate({ name: 'mismatch-a' }));
    const b = track(await client().createDeveloperCertificate({ name: 'mismatch-b' }));
    if (!a.ok || !b.ok) throw new Error('setup failed');
    expect(checkDeveloperCertificate({ ...a.value, developer_certificate: b.value.developer_certificate })).toMatchObject({
      ok: false,
      reason: 'certificate-mismatch',
    });
    expect(checkDeveloperCertificate({ ...a.value, developer_private_key: b.value.developer_private_key })).toMatchObject({
      ok: false,
      reason: 'key-mismatch',
    });
    const cut = a.value.security_file_content.slice(0, 900);
    const r = checkDeveloperCertificate({ ...a.value, security_file_content: cut });
    expect(r).toMatchObject({ ok: false, reason: 'c-file' });
    if (!r.ok) expect(r.message).toContain('MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_CERTIFICATE');
  });

  it('the same name again is a conflict with a clear message', async () => {
    const r = track(await client().createDeveloperCertificate({ name: 'bench-board-1' }));
    expect(r).toMatchObject({
      ok: false,
      code: 'conflict',
      status: 409,
      message: 'a developer certificate with this name already exists: pick another name or reuse it',
    });
  });

  it('reads it back by id, and an unknown id is not-found', async () => {
    const r = track(await client().getDeveloperCertificate(certId));
    expect(r).toMatchObject({ ok: true, value: { id: certId, name: 'bench-board-1' } });
    const missing = track(await client().getDeveloperCertificate('0'.repeat(32)));
    expect(missing).toMatchObject({ ok: false, code: 'not-found', status: 404 });
  });

  it('deletes it through trusted-certificates (204)', async () => {
    const mark = emu.requests.length;
    const r = track(await client().deleteTrustedCertificate(certId));
    expect(r).toEqual({ ok: true, value: undefined });
    expect(since(mark, 'DELETE', `/v3/trusted-certificates/${certId}`).map((q) => q.status)).toEqual([204]);
    expect(track(await client().getTrustedCertificate(certId))).toMatchObject({ ok: false, code: 'not-found' });
    expect(track(await client().getDeveloperCertificate(certId))).toMatchObject({ ok: false, code: 'not-found' });
  });
});

describe('listing trusted certificates', () => {
  it('follows paging across more than two pages and filters developer certificates', async () => {
    const key = 'ak_paging_account_key_0000000001';
    const acct = emu.addAccount({ name: 'Paging', apiKey: key });
    const devIds: string[] = [];
    for (let i = 0; i < 7; i++) devIds.push(await emu.addTrustedCertificate(acct.id, { name: `dev-${i}`, deviceExecutionMode: 1 }));
    await emu.addTrustedCertificate(acct.id, { name: 'production-ca', deviceExecutionMode: 0, service: 'lwm2m' });
    const one = track(await client({ apiKey: key }).getTrustedCertificate(devIds[0]!));
    expect(one).toMatchObject({ ok: true, value: { id: devIds[0], device_execution_mode: 1, object: 'trusted-cert' } });

    const mark = emu.requests.length;
    const r = track(await client({ apiKey: key }).listTrustedCertificates({ deviceExecutionMode: 1, pageSize: 2 }));
    expect(r.ok).toBe(true);
    if (!r.ok) return;
    expect(r.value.map((c) => c.id)).toEqual(devIds);
    const pages = since(mark, 'GET', '/v3/trusted-certificates');
    expect(pages).toHaveLength(4);
    expect(pages.every((p) => p.query.device_execution_mode__eq === '1' && p.query.limit === '2')).toBe(true);
    expect(pages[0]!.query.after).toBeUndefined();
    expect(pages[1]!.query.after).toBe(devIds[1]);

    const all = track(await client({ apiKey: key }).listTrustedCertificates());
    expect(all.ok && all.value.length).toBe(8);
  });
});

describe('retries and failures', () => {
  it('retries a GET after 429, waiting Retry-After (fake sleep)', async () => {
    emu.inject({ method: 'GET', path: '/v3/accounts/me', status: 429, retryAfter: 7 });
    const mark = emu.requests.length;
    const r = track(await client().getMe());
    expect(r.ok).toBe(true);
    expect(waits).toEqual([7000]);
    expect(since(mark, 'GET', '/v3/accounts/me').map((q) => q.status)).toEqual([429, 200]);
  });

  it('honours 429 for a POST too (it was not processed)', async () => {
    emu.inject({ method: 'POST', path: '/v3/developer-certificates', status: 429, retryAfter: 1 });
    const r = track(await client().createDeveloperCertificate({ name: 'after-429' }));
    expect(r.ok).toBe(true);
    expect(waits).toEqual([1000]);
  });

  it('gives rate-limited after too many 429s', async () => {
    emu.inject({ path: '/v3/accounts/me', status: 429, retryAfter: 2, times: Infinity });
    const mark = emu.requests.length;
    const r = track(await client({ maxRetries: 2 }).getMe());
    expect(r).toMatchObject({ ok: false, code: 'rate-limited', status: 429 });
    expect(since(mark, 'GET', '/v3/accounts/me')).toHaveLength(3);
    expect(waits).toEqual([2000, 2000]);
  });

  it('retries a GET on 503 with exponential backoff', async () => {
    emu.inject({ method: 'GET', path: '/v3/accounts/me', status: 503, times: 2 });
    const r = track(await client().getMe());
    expect(r.ok).toBe(true);
    expect(waits).toHaveLength(2);
    expect(waits[1]!).toBeGreaterThan(waits[0]!);
  });

  it('never retries a POST on 500: exactly one request reaches the emulator', async () => {
    emu.inject({ method: 'POST', path: '/v3/developer-certificates', status: 500, times: 5 });
    const mark = emu.requests.length;
    const r = track(await client().createDeveloperCertificate({ name: 'after-500' }));
    expect(r).toMatchObject({ ok: false, code: 'server-error', status: 500 });
    if (!r.ok) expect(r.message).toContain(r.requestId!);
    expect(since(mark, 'POST', '/v3/developer-certificates')).toHaveLength(1);
    expect(waits).toEqual([]);
  });

  it('a dropped connection gives network with a clear message, after retrying the GET', async () => {
    emu.inject({ method: 'GET', path: '/v3/accounts/me', drop: true, times: Infinity });
    const mark = emu.requests.length;
    const r = track(await client({ maxRetries: 2 }).getMe());
    const host = new URL(emu.url).host;
    expect(r).toMatchObject({ ok: false, code: 'network', message: `could not reach ${host}: check the network or the API URL` });
    expect(since(mark, 'GET', '/v3/accounts/me')).toHaveLength(3);
  });

  it('a single dropped connection on a GET is recovered by a retry', async () => {
    emu.inject({ method: 'GET', path: '/v3/accounts/me', drop: true });
    expect(track(await client().getMe()).ok).toBe(true);
  });

  it('a dropped POST is not retried', async () => {
    emu.inject({ method: 'POST', path: '/v3/device-enrollments', drop: true, times: Infinity });
    const mark = emu.requests.length;
    const r = track(await client().createEnrollment(hexId(99)));
    expect(r).toMatchObject({ ok: false, code: 'network' });
    expect(since(mark, 'POST', '/v3/device-enrollments')).toHaveLength(1);
  });

  it('a slow answer gives timeout', async () => {
    emu.inject({ method: 'GET', path: '/v3/accounts/me', delayMs: 3000 });
    const t0 = Date.now();
    const r = track(await client({ timeoutMs: 200 }).getMe());
    expect(r).toMatchObject({ ok: false, code: 'timeout' });
    if (!r.ok) expect(r.message).toMatch(/no answer from 127\.0\.0\.1:\d+ within 0\.2 s/);
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('a slow answer within the timeout is fine', async () => {
    emu.inject({ method: 'GET', path: '/v3/accounts/me', delayMs: 100 });
    expect(track(await client({ timeoutMs: 5000 }).getMe()).ok).toBe(true);
  });

  it('aborting gives cancelled', async () => {
    emu.inject({ method: 'GET', path: '/v3/accounts/me', delayMs: 3000 });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 50);
    const t0 = Date.now();
    const r = track(await client().getMe({ signal: ac.signal }));
    expect(r).toMatchObject({ ok: false, code: 'cancelled' });
    expect(Date.now() - t0).toBeLessThan(2000);

    const mark = emu.requests.length;
    const pre = track(await client().getMe({ signal: AbortSignal.abort() }));
    expect(pre).toMatchObject({ ok: false, code: 'cancelled' });
    expect(emu.requests.length).toBe(mark);
  });

  it('aborting during a real Retry-After wait returns at once', async () => {
    emu.inject({ method: 'GET', path: '/v3/accounts/me', status: 429, retryAfter: 30 });
    const ac = new AbortController();
    setTimeout(() => ac.abort(), 100);
    const t0 = Date.now();
    const r = track(await createCloudClient({ baseUrl: emu.url, apiKey: API_KEY }).getMe({ signal: ac.signal }));
    expect(r).toMatchObject({ ok: false, code: 'cancelled' });
    expect(Date.now() - t0).toBeLessThan(2000);
  });

  it('aborting while waiting to retry gives cancelled', async () => {
    emu.inject({ method: 'GET', path: '/v3/accounts/me', status: 429, retryAfter: 30 });
    const ac = new AbortController();
    const c = client({ sleep: () => new Promise<void>(() => ac.abort()) });
    const r = track(await c.getMe({ signal: ac.signal }));
    expect(r).toMatchObject({ ok: false, code: 'cancelled' });
  });
});

describe('validation', () => {
  it('an invalid body gives validation naming the field (emulator checks against the spec)', async () => {
    const r = track(await client().createDeveloperCertificate({ name: 'bad-description', description: 5 as unknown as string }));
    expect(r).toMatchObject({ ok: false, code: 'validation', status: 400, fields: [{ name: 'description' }] });
    if (!r.ok) expect(r.message).toContain('description');
  });

  it('the emulator answers the spec ErrorResponse shape for a missing required field', async () => {
    const res = await fetch(`${emu.url}/v3/developer-certificates`, {
      method: 'POST',
      headers: { authorization: `Bearer ${API_KEY}`, 'content-type': 'application/json' },
      body: '{}',
    });
    expect(res.status).toBe(400);
    const body = (await res.json()) as Record<string, unknown>;
    expect(Object.keys(body).sort()).toEqual(['code', 'fields', 'message', 'object', 'request_id', 'type']);
    expect(body).toMatchObject({ code: 400, object: 'error', type: 'validation_error', fields: [{ name: 'name', message: expect.any(String) }] });
  });

  it('an invalid query gives validation naming the parameter', async () => {
    const res = await fetch(`${emu.url}/v3/trusted-certificates?limit=many`, { headers: { authorization: `Bearer ${API_KEY}` } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ type: 'validation_error', fields: [{ name: 'limit' }] });
  });

  it('checks a name locally before sending', async () => {
    const mark = emu.requests.length;
    const r = track(await client().createDeveloperCertificate({ name: 'x'.repeat(101) }));
    expect(r).toMatchObject({ ok: false, code: 'validation', fields: [{ name: 'name' }] });
    expect(emu.requests.length).toBe(mark);
  });

  it('an unexpected 200 body gives invalid-response', async () => {
    const fakeFetch = (async () => new Response('<html>captive portal</html>', { status: 200 })) as typeof fetch;
    const r = track(await client({ fetch: fakeFetch }).getMe());
    expect(r).toMatchObject({ ok: false, code: 'invalid-response' });
    const wrongShape = (async () => new Response(JSON.stringify({ object: 'account' }), { status: 200 })) as typeof fetch;
    expect(track(await client({ fetch: wrongShape }).getMe())).toMatchObject({ ok: false, code: 'invalid-response' });
  });

  it('a cloud answer larger than the cap is refused without reading the rest (a real server streaming 200 MB)', async () => {
    let sent = 0;
    const server = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const chunk = Buffer.alloc(1024 * 1024, 0x20);
      const pump = () => {
        while (sent < 200 * chunk.length) {
          sent += chunk.length;
          if (!res.write(chunk)) return void res.once('drain', pump);
        }
        res.end();
      };
      res.on('close', () => undefined);
      pump();
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const r = track(await client({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` }).getMe());
      expect(r).toMatchObject({ ok: false, code: 'invalid-response' });
      if (!r.ok) expect(r.message).toMatch(/larger than 16 MiB/);
      expect(sent).toBeLessThan(100 * 1024 * 1024);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });

  it('redacts the API key when an error body echoes it', async () => {
    const echo = (async (_u: unknown, init?: RequestInit) => {
      const auth = new Headers(init?.headers).get('authorization') ?? '';
      return new Response(
        JSON.stringify({
          code: 400,
          message: `bad header ${auth}`,
          object: 'error',
          request_id: 'r1',
          type: 'validation_error',
          fields: [{ name: 'authorization', message: `${API_KEY} is odd` }],
        }),
        { status: 400 },
      );
    }) as typeof fetch;
    const r = track(await client({ fetch: echo }).getMe());
    expect(r).toMatchObject({ ok: false, code: 'validation' });
    expect(JSON.stringify(r)).not.toContain(API_KEY);
  });
});

describe('enrollment', () => {
  it('enrolls one identity, and the same again is a conflict', async () => {
    const id = hexId(1);
    const r = track(await client().createEnrollment(id));
    expect(r).toMatchObject({ ok: true, value: { enrollment_identity: id, object: 'enrollment', account_id: account.id } });
    const again = track(await client().createEnrollment(id));
    expect(again).toMatchObject({ ok: false, code: 'conflict', status: 409 });
    expect(track(await client().createEnrollment('A-nope'))).toMatchObject({ ok: false, code: 'validation' });
  });

  it('bulk upload goes new -> processing -> completed and applies the CSV rules', async () => {
    const csv = `${buildEnrollmentCsv([hexId(2), hexId(3)])}\r\n"${hexId(4)}",with a comment\r\nnot-an-identity\n${hexId(1)}\n`;
    const c = client();
    const up = track(await c.uploadEnrollmentsBulk(new TextEncoder().encode(csv)));
    expect(up).toMatchObject({ ok: true, value: { status: 'new', object: 'enrollment-identity-bulk-uploads' } });
    if (!up.ok) return;
    const done = track(await c.waitForBulkUpload(up.value.id, { intervalMs: 1000 }));
    expect(done).toMatchObject({ ok: true, value: { status: 'completed', total_count: 5, processed_count: 5, errors_count: 2 } });
    expect(waits).toEqual([1000]);
    // hexId(1) was enrolled earlier (duplicate); the new ones are now enrolled.
    expect(track(await c.createEnrollment(hexId(4)))).toMatchObject({ ok: false, code: 'conflict' });
  });

  it('waiting for a bulk upload can be cancelled', async () => {
    const c = client();
    const up = track(await c.uploadEnrollmentsBulk(buildEnrollmentCsv([hexId(10)])));
    if (!up.ok) throw new Error('setup failed');
    const ac = new AbortController();
    const slow = client({ sleep: () => new Promise<void>(() => ac.abort()) });
    expect(track(await slow.waitForBulkUpload(up.value.id, { signal: ac.signal }))).toMatchObject({ ok: false, code: 'cancelled' });
  });

  it("a completed bulk upload's report gives the result per identity, and a report link to another host is refused", async () => {
    const c = client();
    const up = track(await c.uploadEnrollmentsBulk(buildEnrollmentCsv([hexId(20), hexId(20)])));
    if (!up.ok) throw new Error('setup failed');
    const done = track(await c.waitForBulkUpload(up.value.id, { intervalMs: 1 }));
    if (!done.ok) throw new Error('setup failed');
    const report = track(await c.getBulkReport(done.value.full_report_file!));
    expect(report).toMatchObject({ ok: true, value: expect.stringContaining(`${hexId(20)},enrolled,`) });
    expect(report.ok && report.value).toContain(`${hexId(20)},failed,duplicate enrollment identity`);
    const elsewhere = track(await c.getBulkReport('https://reports.example.com/x.csv'));
    expect(elsewhere).toMatchObject({ ok: false, code: 'invalid-response', message: expect.stringMatching(/on reports\.example\.com, not 127\.0\.0\.1/) });
    expect(emu.requests.some((r) => r.path === '/x.csv')).toBe(false);
  });

  it('an unknown bulk upload is not-found', async () => {
    expect(track(await client().getBulkUpload('f'.repeat(32)))).toMatchObject({ ok: false, code: 'not-found' });
  });
});

describe('own CAs: POST /v3/trusted-certificates', () => {
  const pem = (der: Uint8Array) => new X509Certificate(Buffer.from(der)).toString();
  const caPem = (name: string) =>
    pem(makeCaCertificate({ name, organization: 'Example', notBefore: new Date(), notAfter: new Date(Date.now() + 86_400_000 * 365) }).der);

  it('records a bootstrap CA (First-to-Claim with enrollment_mode), lists it by service, and mirrors it for the lab until deleted', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pws-trusted-'));
    const own = await startCloudEmulator({ trustedCaDir: dir });
    try {
      const acct = own.addAccount({ name: 'own', apiKey: API_KEY });
      const c = client({ baseUrl: own.url });
      const certificate = caPem('Lab CA');
      const r = track(await c.createTrustedCertificate({ name: 'lab-ca', certificate, service: 'bootstrap', enrollmentMode: true, description: 'pilot line' }));
      expect(r).toMatchObject({
        ok: true,
        value: {
          object: 'trusted-cert',
          name: 'lab-ca',
          service: 'bootstrap',
          enrollment_mode: true,
          status: 'ACTIVE',
          account_id: acct.id,
          subject: 'O=Example, CN=Lab CA',
        },
      });
      if (!r.ok) return;
      expect(r.value.certificate_fingerprint).toBe(new X509Certificate(certificate).fingerprint256.replace(/:/g, '').toLowerCase());
      expect(own.requests.at(-1)?.body).toMatchObject({ name: 'lab-ca', service: 'bootstrap', status: 'ACTIVE', enrollment_mode: true });
      const listed = track(await c.listTrustedCertificates({ service: 'bootstrap' }));
      expect(listed.ok && listed.value.map((t) => [t.name, t.device_execution_mode])).toEqual([['lab-ca', 0]]);
      expect(readdirSync(dir).map((f) => readFileSync(join(dir, f), 'utf8'))).toEqual([certificate]);
      track(await c.deleteTrustedCertificate(r.value.id));
      expect(readdirSync(dir)).toEqual([]);
      // closing the emulator removes what it still mirrors
      expect(track(await c.createTrustedCertificate({ name: 'again', certificate, service: 'bootstrap' })).ok).toBe(true);
      expect(readdirSync(dir)).toHaveLength(1);
    } finally {
      await own.close();
    }
    expect(readdirSync(dir)).toEqual([]);
    expect(own.responseViolations).toEqual([]);
  });

  it('refuses the same name or subject (409), a non-PEM body and a chain without a self-signed root (400, naming the field)', async () => {
    const c = client();
    const certificate = caPem('Dup CA');
    expect(track(await c.createTrustedCertificate({ name: 'dup-ca', certificate, service: 'bootstrap' })).ok).toBe(true);
    expect(track(await c.createTrustedCertificate({ name: 'dup-ca', certificate: caPem('Other'), service: 'bootstrap' }))).toMatchObject({
      ok: false,
      code: 'conflict',
      status: 409,
    });
    expect(track(await c.createTrustedCertificate({ name: 'dup-ca-2', certificate, service: 'bootstrap' }))).toMatchObject({ ok: false, code: 'conflict' });
    const garbage = `-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n`;
    expect(track(await c.createTrustedCertificate({ name: 'garbage', certificate: garbage, service: 'bootstrap' }))).toMatchObject({
      ok: false,
      code: 'validation',
      fields: [{ name: 'certificate' }],
    });
    // a developer certificate is signed by the account CA, not by itself: alone, it needs a signature
    const leaf = fixture('c-files/mbed_cloud_dev_credentials.pem');
    const leafOnly = leaf.match(/-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/)![0];
    expect(track(await c.createTrustedCertificate({ name: 'leaf', certificate: leafOnly, service: 'bootstrap' }))).toMatchObject({
      ok: false,
      code: 'validation',
      fields: [{ name: 'signature' }],
    });
    expect(track(await c.createTrustedCertificate({ name: 'x', certificate: 'not pem', service: 'bootstrap' }))).toMatchObject({
      ok: false,
      code: 'validation',
    });
  });
});

describe('hygiene', () => {
  it('no failure message or field carries the API key, and the emulator kept to the spec', () => {
    expect(failures.length).toBeGreaterThan(15);
    for (const f of failures) expect(JSON.stringify(f)).not.toContain(API_KEY);
    expect(emu.responseViolations).toEqual([]);
    expect(JSON.stringify(emu.requests)).not.toContain(API_KEY);
  });
});

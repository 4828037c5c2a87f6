import { fail, ok, type Result } from '../../../shared/contract/result';
import { notTextProblem, parseEnrollmentCsv } from '../../../shared/domain/enrollment';
import type { BulkUpload } from '../cloud/schemas';
import type { CredentialsService } from '../credentials/credentials-service';

export interface UploadOptions {
  /** The file's name, for messages. */
  fileName: string;
  /** Default: the API URL in use (PWS_API_URL, else the settings). */
  apiUrl?: string;
  signal?: AbortSignal;
  /** How often the bulk job is asked whether it has completed (default: the client's). */
  intervalMs?: number;
  /** Once the file is checked and a key found, before anything is sent. */
  onUploading?(info: { identities: number; apiUrl: string }): void;
}

/** One line of the bulk job's full report. */
export interface EnrollmentResult {
  identity: string;
  status: string;
  error?: string;
}

/** The completed bulk job and, when its full report could be read, one result per identity. */
export type EnrollmentUpload = BulkUpload & { results: EnrollmentResult[]; reportUnread?: string };

/** The bulk job's full report (`identity,status,error` lines after a header) as one result per identity. */
export function parseBulkReport(text: string): EnrollmentResult[] {
  return text
    .split(/\r?\n/)
    .slice(1)
    .filter((l) => l.trim())
    .map((l) => {
      const [identity = '', status = '', ...error] = l.split(',');
      const message = error.join(',').trim();
      return { identity: identity.trim(), status: status.trim(), ...(message ? { error: message } : {}) };
    });
}

/** First-to-Claim enrollment in the cloud. */
export interface EnrollmentService {
  /**
   * Checks an enrollment CSV (a header line, then one `A-…` identity per line), sends it to
   * /v3/device-enrollments-bulk-uploads and answers the bulk job once it has completed, with the result of each
   * identity from its full report (`reportUnread` says why when that report could not be read). Codes: `invalid-csv`
   * (nothing was sent), `invalid-request` (the API URL), the credentials' and the cloud's.
   */
  upload(csv: Uint8Array, opts: UploadOptions): Promise<Result<EnrollmentUpload>>;
}

const LINES_NAMED = 4;

function invalidLinesInWords(invalid: Array<{ line: number; value: string }>): string {
  const [first, ...others] = invalid;
  const what = `line ${first!.line}: "${first!.value.slice(0, 60)}" is not an enrollment identity (A- and 32 colon-separated hex bytes)`;
  if (others.length === 0) return `${what}: correct or remove that line`;
  const named = others.slice(0, LINES_NAMED).map((l) => l.line);
  const rest = others.length - named.length;
  const list = rest > 0 ? `${named.join(', ')} and ${rest} more` : named.length === 1 ? `${named[0]}` : `${named.slice(0, -1).join(', ')} and ${named.at(-1)}`;
  return `${what}, nor ${others.length === 1 ? 'is line' : 'are lines'} ${list}: correct or remove those lines`;
}

export function createEnrollmentService(deps: { credentials: Pick<CredentialsService, 'resolveApiUrl' | 'client'> }): EnrollmentService {
  return {
    async upload(csv, opts) {
      const notText = notTextProblem(csv);
      if (notText)
        return fail('invalid-csv', `${opts.fileName} is not an enrollment CSV: ${notText}: give the CSV \`pws enroll export\` writes; nothing was uploaded`);
      const parsed = parseEnrollmentCsv(csv);
      const first = parsed.invalid[0];
      if (first) {
        return fail('invalid-csv', `${opts.fileName} ${invalidLinesInWords(parsed.invalid)}; nothing was uploaded`);
      }
      if (parsed.identities.length === 0) return fail('invalid-csv', `${opts.fileName} holds no enrollment identities (the first line is the header)`);
      const url = await deps.credentials.resolveApiUrl(opts.apiUrl);
      if (!url.ok) return url;
      const client = await deps.credentials.client(url.value);
      if (!client.ok) return client;
      opts.onUploading?.({ identities: parsed.identities.length, apiUrl: url.value });
      const started = await client.value.uploadEnrollmentsBulk(csv, { signal: opts.signal });
      if (!started.ok) return started;
      const done = await client.value.waitForBulkUpload(started.value.id, { signal: opts.signal, ...(opts.intervalMs ? { intervalMs: opts.intervalMs } : {}) });
      if (!done.ok) return done;
      if (!done.value.full_report_file) return ok({ ...done.value, results: [] });
      const report = await client.value.getBulkReport(done.value.full_report_file, { signal: opts.signal });
      return ok(report.ok ? { ...done.value, results: parseBulkReport(report.value) } : { ...done.value, results: [], reportUnread: report.message });
    },
  };
}

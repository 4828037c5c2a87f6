import { stat } from 'node:fs/promises';
import { isAbsolute, join } from 'node:path';
import { fail, ok, type Result } from '../../../shared/contract/result';
import type {
  CertificateSource,
  CertificateSummary,
  UpdateCertErrorCode,
  WizardCreateRequest,
  WizardCreateSummary,
  WizardDefaultDir,
  WizardFolderState,
  WizardPreview,
  WizardPreviewRequest,
} from '../../../shared/contract/certificates';
import {
  C_FILE_KEPT_WARNING,
  certificateWarnings,
  expiryDate,
  isSubjectEmpty,
  renderManifestToolJson,
  renderUpdateDefaultResourcesC,
  SELF_SIGNED_WARNING,
  shortValidityWarning,
  subjectText,
  UPDATE_CERT_FILES,
  validateUpdateCertInput,
  type FieldErrors,
  type UpdateCertInput,
  type ValidUpdateCertInput,
} from '../../../shared/domain/update-certificate';
import type { Logger } from '../log';
import { certificateParts, rfc7093KeyId, sha256, summarizeCertificate } from './certificate-summary';
import { checkCertificateAndKey, type CertificateAndKey } from './key-material';
import { makeUpdateCertificate } from './make-certificate';
import { writeFilesTogether, type FileToWrite, type WriteFsOps } from './write-files';
import { readInputFile, readProblem, type InputFileOptions } from '../fs/user-paths';

export interface PkiDeps {
  home: string;
  clock: () => Date;
  log: Logger;
  /** Tests inject a failing rename to prove a half-done write is rolled back. */
  fsOps?: WriteFsOps;
}

export interface PkiService {
  /** Live check of the wizard form; writes nothing. */
  preview(request: WizardPreviewRequest): Promise<Result<WizardPreview, UpdateCertErrorCode>>;
  /** Validates and renders everything in memory, then writes the files into `dir` all at once. */
  create(request: WizardCreateRequest): Promise<Result<WizardCreateSummary, UpdateCertErrorCode>>;
  defaultDir(request: { model?: string; domain?: string }): Promise<Result<WizardDefaultDir, UpdateCertErrorCode>>;
  /** What is already in a target folder (the CLI asks before prompting). */
  folderState(dir: string): Promise<WizardFolderState>;
}

const inputOf = (r: WizardPreviewRequest | WizardCreateRequest): UpdateCertInput => {
  const { domain, model, vendorId, classId, country, state, locality, organization, commonName, days } = r;
  return Object.fromEntries(
    Object.entries({ domain, model, vendorId, classId, country, state, locality, organization, commonName, days }).filter(([, v]) => v !== undefined),
  ) as UpdateCertInput;
};

async function isFile(path: string): Promise<boolean> {
  try {
    return (await stat(path)).isFile();
  } catch {
    return false;
  }
}

async function readOptional(path: string, options?: InputFileOptions): Promise<Buffer | undefined> {
  try {
    return await readInputFile(path, options);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw err;
  }
}

/** A file of the output folder, if there is one; a failure's message names the file and what to do. */
async function readExisting(path: string): Promise<Buffer | undefined> {
  try {
    return await readOptional(path, { notAFileAdvice: 'move it away, then try again' });
  } catch (err) {
    throw new Error(`cannot read ${path}: ${readProblem(err)}`, { cause: err });
  }
}

/** Device URNs recorded by an earlier manifest-tool run are kept, as the old tool did. */
async function existingDeviceUrns(dir: string): Promise<string[]> {
  try {
    const json = JSON.parse((await readInputFile(join(dir, UPDATE_CERT_FILES.config))).toString('utf8')) as { deviceURNs?: unknown };
    return Array.isArray(json.deviceURNs) ? [...new Set(json.deviceURNs.filter((u): u is string => typeof u === 'string'))] : [];
  } catch {
    return [];
  }
}

/** `~/update-certificates/<model>`: the model made safe as one folder name. */
export function defaultDirFor(home: string, model: string | undefined): string {
  const name = (model ?? '')
    .trim()
    .replace(/[^A-Za-z0-9._-]+/g, '-')
    .replace(/^[.-]+|-+$/g, '');
  return join(home, 'update-certificates', name || 'default');
}

type CreateRequest = { dir: string; certificatePath?: string; keyPath?: string; force: boolean };
type FolderPaths = Record<keyof typeof UPDATE_CERT_FILES, string>;

const folderPaths = (dir: string): FolderPaths => ({
  certificate: join(dir, UPDATE_CERT_FILES.certificate),
  privateKey: join(dir, UPDATE_CERT_FILES.privateKey),
  config: join(dir, UPDATE_CERT_FILES.config),
  cFile: join(dir, UPDATE_CERT_FILES.cFile),
});

/** The -c/-k pair: both or neither, as absolute paths; a problem is reported under the field at fault. */
function checkPairPaths(
  certificatePath: string | undefined,
  keyPath: string | undefined,
): Result<{ certificatePath: string; keyPath: string } | null, UpdateCertErrorCode> {
  if (certificatePath === undefined && keyPath === undefined) return ok(null);
  if (certificatePath === undefined || keyPath === undefined) {
    const missing = certificatePath === undefined ? 'certificatePath' : 'keyPath';
    return fail('invalid-input', '-c and -k go together: give both the certificate and its private key, or neither', {
      fieldErrors: { [missing]: `the ${missing === 'certificatePath' ? 'certificate' : 'private key'} is needed with the other: give both, or neither` },
    });
  }
  for (const [field, p] of [
    ['certificatePath', certificatePath],
    ['keyPath', keyPath],
  ] as const) {
    if (!isAbsolute(p)) {
      const message = `certificate and key paths must be absolute (got "${p}")`;
      return fail('invalid-input', message, { fieldErrors: { [field]: message } });
    }
  }
  return ok({ certificatePath, keyPath });
}

/** The target folder and the -c/-k pair: absolute paths, both or neither, and a folder (or nothing yet) at `dir`. */
async function checkCreateRequest(request: WizardCreateRequest): Promise<Result<CreateRequest, UpdateCertErrorCode>> {
  const { dir } = request;
  if (!isAbsolute(dir)) return fail('invalid-input', `the target folder must be an absolute path (got "${dir}")`, { fieldErrors: { dir: 'must be absolute' } });
  const pair = checkPairPaths(request.certificatePath, request.keyPath);
  if (!pair.ok) return pair;
  try {
    const st = await stat(dir);
    if (!st.isDirectory()) return fail('target-not-writable', `${dir} exists and is not a folder: choose another --dir`);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') return fail('target-not-writable', `cannot use ${dir}: ${(err as Error).message}`);
  }
  return ok({ dir, ...(pair.value ?? {}), force: request.force ?? false });
}

export function createPkiService(deps: PkiDeps): PkiService {
  async function folderState(dir: string): Promise<WizardFolderState> {
    let exists = false;
    try {
      exists = (await stat(dir)).isDirectory();
    } catch {
      exists = false;
    }
    const [cert, key, cFile] = await Promise.all([
      isFile(join(dir, UPDATE_CERT_FILES.certificate)),
      isFile(join(dir, UPDATE_CERT_FILES.privateKey)),
      isFile(join(dir, UPDATE_CERT_FILES.cFile)),
    ]);
    return { dir, exists, hasCertificate: cert && key, hasCFile: cFile };
  }

  async function preview(request: WizardPreviewRequest): Promise<Result<WizardPreview, UpdateCertErrorCode>> {
    const checked = validateUpdateCertInput(inputOf(request));
    const v = checked.ok ? checked.value : checked.partial;
    const fieldErrors: FieldErrors = checked.ok ? {} : { ...checked.errors };
    const result: WizardPreview = { valid: checked.ok, subject: v.subject ? subjectText(v.subject) : '', fieldErrors, warnings: [SELF_SIGNED_WARNING] };
    if (v.vendorId) result.vendorId = v.vendorId;
    if (v.classId) result.classId = v.classId;
    if (v.days !== undefined) {
      result.days = v.days;
      result.notAfter = expiryDate(deps.clock(), v.days).toISOString();
    }
    const existing = await previewExisting(request);
    if (existing?.ok) {
      // What create would say about this certificate: its own subject, expiry and warnings.
      const c = existing.value;
      result.certificate = c;
      result.subject = c.subject;
      result.notAfter = c.notAfter;
      result.warnings = certificateWarnings({ selfSigned: c.selfSigned, notBefore: new Date(c.notBefore), notAfter: new Date(c.notAfter), now: deps.clock() });
    } else {
      const short = v.days !== undefined ? shortValidityWarning(v.days) : undefined;
      if (short) result.warnings.push(short);
      if (existing) {
        Object.assign(fieldErrors, (existing.details as { fieldErrors?: FieldErrors } | undefined)?.fieldErrors);
        result.valid = false;
      }
    }
    if (request.dir !== undefined && isAbsolute(request.dir)) result.folder = await folderState(request.dir);
    return ok(result);
  }

  /** The -c/-k pair of a preview, checked as create checks it; undefined when none was given. */
  async function previewExisting(request: WizardPreviewRequest): Promise<Result<CertificateSummary, UpdateCertErrorCode> | undefined> {
    const pair = checkPairPaths(request.certificatePath, request.keyPath);
    if (!pair.ok) return pair;
    if (!pair.value) return undefined;
    const loaded = await loadGiven(pair.value.certificatePath, pair.value.keyPath);
    if (!loaded.ok) return loaded;
    const summary = summarizeCertificate(loaded.value.der);
    return summary.ok ? summary : fail('certificate-unreadable', summary.message, { fieldErrors: { certificatePath: summary.message } });
  }

  /** An existing certificate and key (-c/-k), read and checked; a failure names the field at fault in `fieldErrors`. */
  async function loadGiven(certificatePath: string, keyPath: string): Promise<Result<CertificateAndKey, UpdateCertErrorCode>> {
    const [certBytes, keyBytes] = await Promise.all([readInputFile(certificatePath).catch(readProblem), readInputFile(keyPath).catch(readProblem)]);
    const checked =
      typeof certBytes === 'string'
        ? fail('certificate-unreadable', `cannot read the certificate ${certificatePath}: ${certBytes}`, { file: 'certificate' })
        : typeof keyBytes === 'string'
          ? fail('key-unreadable', `cannot read the private key ${keyPath}: ${keyBytes}`, { file: 'key' })
          : checkCertificateAndKey(certBytes, keyBytes, { certificate: certificatePath, key: keyPath });
    if (checked.ok) return checked;
    const field = checked.details?.file === 'key' ? 'keyPath' : 'certificatePath';
    return fail(checked.code, checked.message, { fieldErrors: { [field]: checked.message } });
  }

  /** The certificate: imported (-c/-k), reused from the folder, or made now. */
  async function certificateFor(
    request: CreateRequest,
    input: ValidUpdateCertInput,
    paths: FolderPaths,
    now: Date,
  ): Promise<Result<{ material: CertificateAndKey; source: CertificateSource }, UpdateCertErrorCode>> {
    const { certificatePath, keyPath, force } = request;
    if (certificatePath !== undefined && keyPath !== undefined) {
      const loaded = await loadGiven(certificatePath, keyPath);
      return loaded.ok ? ok({ material: loaded.value, source: 'imported' }) : loaded;
    }
    let cert: Buffer | undefined;
    let key: Buffer | undefined;
    // --force makes a new pair whatever is there; the write then names anything in the way.
    if (!force) {
      try {
        [cert, key] = await Promise.all([readExisting(paths.certificate), readExisting(paths.privateKey)]);
      } catch (err) {
        return fail('target-not-writable', (err as Error).message);
      }
    }
    if (!force && cert && key) {
      const checkedPair = checkCertificateAndKey(cert, key, { certificate: paths.certificate, key: paths.privateKey });
      if (!checkedPair.ok) return fail(checkedPair.code, `${checkedPair.message} (or use --force to make a new pair)`);
      return ok({ material: checkedPair.value, source: 'reused' });
    }
    if (!force && (cert || key)) {
      const missing = cert ? paths.privateKey : paths.certificate;
      return fail('existing-incomplete', `${missing} is missing while its partner exists: restore it, give -c/-k, or use --force to make a new pair`);
    }
    if (isSubjectEmpty(input.subject)) {
      return fail('invalid-input', 'the certificate subject would be empty: give --common-name (or a vendor domain with -d)', {
        fieldErrors: { commonName: 'required when the vendor ID is given as a UUID' },
      });
    }
    return ok({ material: makeUpdateCertificate({ subject: input.subject, notBefore: now, notAfter: expiryDate(now, input.days) }), source: 'generated' });
  }

  /** Everything rendered in memory before anything is written: the files to write, the ones kept, the summary. */
  async function render(
    request: CreateRequest,
    input: ValidUpdateCertInput,
    paths: FolderPaths,
    { material, source }: { material: CertificateAndKey; source: CertificateSource },
    now: Date,
  ): Promise<Result<{ files: FileToWrite[]; kept: string[]; summary: WizardCreateSummary }, UpdateCertErrorCode>> {
    const { dir, force } = request;
    const warnings: string[] = [];
    const summary = summarizeCertificate(material.der);
    if (!summary.ok) return fail('certificate-unreadable', summary.message);
    const parts = certificateParts(material.der);
    let ski = parts.ski;
    if (!ski) {
      ski = rfc7093KeyId(parts.spki);
      warnings.push('The certificate has no Subject Key Identifier: the C file uses SHA-256 of its public key (RFC 7093) instead.');
    }
    warnings.unshift(
      ...certificateWarnings({
        selfSigned: summary.value.selfSigned,
        notBefore: new Date(summary.value.notBefore),
        notAfter: new Date(summary.value.notAfter),
        now,
      }),
    );
    const json = renderManifestToolJson({
      vendorId: input.vendorId,
      classId: input.classId,
      vendorDomain: input.vendorDomain,
      modelName: input.modelName,
      deviceURNs: await existingDeviceUrns(dir),
    });
    const cText = renderUpdateDefaultResourcesC({
      vendorId: input.vendorId,
      classId: input.classId,
      fingerprint: sha256(material.der),
      ski,
      certificate: material.der,
    });
    let existingC: Buffer | undefined;
    try {
      existingC = force ? undefined : await readOptional(paths.cFile);
    } catch (err) {
      return fail('target-not-writable', `cannot read ${paths.cFile}: ${(err as Error).message}`);
    }
    if (existingC) warnings.push(C_FILE_KEPT_WARNING);

    const files = [
      ...(source === 'reused'
        ? []
        : [
            { path: paths.certificate, data: material.der, mode: 0o644 },
            { path: paths.privateKey, data: material.keyPem, mode: 0o600 },
          ]),
      { path: paths.config, data: json, mode: 0o644 },
      ...(existingC ? [] : [{ path: paths.cFile, data: cText, mode: 0o644 }]),
    ];
    const kept = [...(source === 'reused' ? [paths.certificate, paths.privateKey] : []), ...(existingC ? [paths.cFile] : [])];
    return ok({
      files,
      kept,
      summary: {
        vendorId: input.vendorId,
        classId: input.classId,
        fingerprint: summary.value.fingerprint,
        notAfter: summary.value.notAfter,
        files: files.map((f) => f.path),
        kept,
        cFileText: existingC ? existingC.toString('utf8') : cText,
        certificateSource: source,
        certificate: summary.value,
        warnings,
      },
    });
  }

  async function create(request: WizardCreateRequest): Promise<Result<WizardCreateSummary, UpdateCertErrorCode>> {
    const checked = validateUpdateCertInput(inputOf(request));
    if (!checked.ok) return fail('invalid-input', checked.message, { fieldErrors: checked.errors });
    const req = await checkCreateRequest(request);
    if (!req.ok) return req;
    const paths = folderPaths(req.value.dir);
    const now = deps.clock();
    const certificate = await certificateFor(req.value, checked.value, paths, now);
    if (!certificate.ok) return certificate;
    const rendered = await render(req.value, checked.value, paths, certificate.value, now);
    if (!rendered.ok) return rendered;
    // All files at once, or none.
    try {
      await writeFilesTogether(rendered.value.files, deps.fsOps);
    } catch (err) {
      return fail('target-not-writable', `could not write into ${req.value.dir}: ${(err as Error).message}; nothing was changed`);
    }
    deps.log.info(`update certificate (${certificate.value.source}) written to ${req.value.dir}`);
    return ok(rendered.value.summary);
  }

  async function defaultDir(request: { model?: string; domain?: string }): Promise<Result<WizardDefaultDir, UpdateCertErrorCode>> {
    const dir = defaultDirFor(deps.home, request.model);
    return ok({ dir, folder: await folderState(dir) });
  }

  return { preview, create, defaultDir, folderState };
}

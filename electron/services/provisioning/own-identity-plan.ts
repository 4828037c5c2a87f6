import { DEFAULT_DEVICE_YEARS } from '../../../shared/contract/ca';
import type { DeviceRef, OwnIdentityRequest } from '../../../shared/contract/provisioning';
import { fail, ok, type Result } from '../../../shared/contract/result';
import {
  DEFAULT_ENDPOINT_TEMPLATE,
  expandEndpointTemplate,
  parseEndpointTemplate,
  templateIsUniquePerDevice,
  templateProblemForSeveral,
} from '../../../shared/domain/endpoint-name';
import type { CaService } from '../pki/ca-service';
import type { IdentityStore } from '../identities/identity-store';
import { sameDevice } from '../identities/identity-store';
import { identityDeviceOf } from '../identities/identity-rules';
import { accountItemsFrom, deviceValidity, issueOwnIdentity, type AccountItems } from '../identities/own-identity';
import type { OwnIdentities } from './device-items';
import type { CertificateBundle, CertificateSource } from './engine';
import { deviceWhere } from '../../../shared/domain/devices';

export interface OwnIdentityDeps {
  ca: Pick<CaService, 'signingCa' | 'trustOf'>;
  store: IdentityStore;
  certificates: CertificateSource;
  operator: string;
  /** This station's name, read when a run starts (the setting may change while the app runs). */
  station: () => Promise<string>;
  clock: () => Date;
}

export interface OwnIdentityPlan {
  identity: OwnIdentities;
  /** The developer certificate whose account settings the identities carry. */
  account: CertificateBundle;
  warnings: string[];
}

/** The developer certificate whose account ID, bootstrap URI and root CA every identity of the run carries. */
async function accountCertificate(
  certificates: CertificateSource,
  wanted: string | undefined,
): Promise<Result<{ bundle: CertificateBundle; items: AccountItems }>> {
  const read = async (name: string) => {
    const bundle = await certificates.read(name, 'developer');
    if (!bundle.ok) return bundle;
    if (bundle.value.kind !== 'developer')
      return fail('certificate-invalid', `"${name}" is an update certificate: own identities take their account settings from a developer certificate`);
    const items = accountItemsFrom(name, bundle.value.files);
    return items.ok ? ok({ bundle: bundle.value, items: items.value }) : items;
  };
  if (wanted) return read(wanted);
  const names = (await certificates.developerNames?.()) ?? ok([]);
  if (!names.ok) return names;
  const results = await Promise.all(names.value.map(read));
  const candidates = results.flatMap((r) => (r.ok ? [r.value] : []));
  const accounts = [...new Set(candidates.map((c) => c.items.accountId))];
  if (candidates.length === 0) {
    // The certificates there are unusable: say why (the first reason), not only that none is.
    const why = results.find((r) => !r.ok);
    return fail(
      'account-id-missing',
      why && !why.ok
        ? `no developer certificate in the Team Store can give own identities their account settings (${names.value.length} tried; ${why.message}): create or import one developer certificate of your account (\`pws certs create-dev NAME\`)`
        : 'the Team Store holds no usable developer certificate: own identities take the account ID, the bootstrap server URI and its root CA from one; create or import one developer certificate of your account first (`pws certs create-dev NAME`)',
    );
  }
  if (accounts.length > 1) {
    return fail(
      'account-id-missing',
      `the Team Store holds developer certificates of ${accounts.length} accounts (${accounts.join(', ')}): say which account the identities are for (\`pws provision --dev-cert NAME\`)`,
    );
  }
  return ok(candidates[0]!);
}

/**
 * Names every device's endpoint name where it can be known before any device is touched (a template without
 * `{seq}` or `{uuid}`, with the host names discovery gave): two devices of the run on one name, an invalid
 * name, or a name another device already holds refuse the whole run. The rest is checked per device, in the
 * registry, before anything is staged on it.
 */
async function checkNamesBeforehand(template: string, refs: readonly DeviceRef[], store: IdentityStore): Promise<Result<void>> {
  const names = new Map<string, { name: string; refs: DeviceRef[] }>();
  for (const ref of refs) {
    if (/\{hostname\}/.test(template) && !ref.hostname) continue;
    const made = expandEndpointTemplate(template, { ...(ref.hostname ? { hostname: ref.hostname } : {}), seq: 0, uuid: '' });
    if (!made.ok) return fail('endpoint-name-invalid', `${deviceWhere(ref)}: ${made.message}`);
    const key = made.name.toLowerCase();
    names.set(key, { name: made.name, refs: [...(names.get(key)?.refs ?? []), ref] });
  }
  if (names.size === 0) return ok(undefined);
  const records = await store.list();
  if (!records.ok) return fail('registry-unavailable', records.message);
  for (const [key, { name, refs: holders }] of names) {
    if (holders.length > 1) {
      return fail(
        'endpoint-name-taken',
        `the endpoint-name template "${template}" gives ${holders.length} devices the same name "${name}" (${holders.map(deviceWhere).join(', ')}): add {seq} or {uuid} so that each gets its own`,
      );
    }
    const ref = holders[0]!;
    const other = records.value.find((r) => r.endpointName.toLowerCase() === key && !sameDevice(r.device, identityDeviceOf(ref)));
    if (other) {
      return fail(
        'endpoint-name-taken',
        `the endpoint name "${name}" that ${deviceWhere(ref)} would get is already the identity of ${other.device.hostname ?? other.device.id} (run ${other.runId}): use a template with {seq} or {uuid}`,
      );
    }
  }
  return ok(undefined);
}

/**
 * Everything an own-identity run needs, checked before any device is touched: the template, the CA and its key,
 * the account settings from a developer certificate, and the names that can be known now. Says (as warnings)
 * when the account does not trust the CA yet, or the CA ends before the years asked.
 */
export async function planOwnIdentities(
  request: OwnIdentityRequest,
  refs: readonly DeviceRef[],
  deps: OwnIdentityDeps,
  shape: RunShape = { open: false },
): Promise<Result<OwnIdentityPlan>> {
  const template = request.endpointTemplate ?? DEFAULT_ENDPOINT_TEMPLATE;
  const parsed = parseEndpointTemplate(template);
  if (!parsed.ok) return fail('endpoint-name-invalid', parsed.message);
  const several = shape.open || refs.length > 1 ? templateProblemForSeveral(template) : undefined;
  if (several) return fail('endpoint-name-invalid', several);
  // No identity is issued without its record: a registry that can't be reached (the shared database is down)
  // refuses the run before any device is touched, naming where it looked.
  const reachable = await deps.store.list({ limit: 1 });
  if (!reachable.ok) return fail('registry-unavailable', `no own identity can be issued now: ${reachable.message}`);
  const station = await deps.station();
  if (!templateIsUniquePerDevice(parsed.placeholders)) {
    const names = await checkNamesBeforehand(template, refs, deps.store);
    if (!names.ok) return names;
  }
  const ca = await deps.ca.signingCa(request.ca);
  if (!ca.ok) return ca;
  const now = deps.clock();
  if (ca.value.notAfter.getTime() <= now.getTime()) {
    return fail(
      'certificate-expired',
      `the CA "${request.ca}" expired on ${ca.value.notAfter.toISOString().slice(0, 10)}: make or import a current one (\`pws ca create\`)`,
    );
  }
  const account = await accountCertificate(deps.certificates, request.accountCert);
  if (!account.ok) return account;

  const warnings: string[] = [];
  const years = request.years ?? DEFAULT_DEVICE_YEARS;
  const validity = deviceValidity(now, years, ca.value);
  if (validity.notAfter.getTime() === ca.value.notAfter.getTime()) {
    warnings.push(
      `the CA "${request.ca}" expires on ${ca.value.notAfter.toISOString().slice(0, 10)}, before the ${years} years asked: the devices' certificates end with it`,
    );
  }
  const trust = await deps.ca.trustOf(request.ca);
  if (trust.ok && trust.value.state === 'not-trusted') {
    warnings.push(
      `your account does not trust the CA "${request.ca}" yet: devices cannot bootstrap until it does; trust it with \`pws ca trust ${request.ca}\` (or Trust in my account on the Certificates screen)`,
    );
  }
  const signing = ca.value;
  return ok({
    account: account.value.bundle,
    warnings,
    identity: {
      ca: { name: signing.name, fingerprint: signing.fingerprint, notAfter: signing.notAfter.toISOString() },
      endpointTemplate: template,
      reissue: request.reissue ? 'any' : 'none',
      issue: (device, run) =>
        issueOwnIdentity(
          {
            ca: signing,
            store: deps.store,
            template,
            reissue: run.reissue,
            account: account.value.items,
            profile: request.profile ?? {},
            years,
            runId: run.runId,
            operator: deps.operator,
            station,
            clock: deps.clock,
          },
          device,
        ),
    },
  });
}

/** Whether devices may still join the run after it starts (`--all` as discovery resolves them). */
export interface RunShape {
  open: boolean;
}

/** Plans a run's own identities (the provisioning service's seam: it never imports the CA or the issuance itself). */
export type OwnIdentityPlanner = (request: OwnIdentityRequest, refs: readonly DeviceRef[], shape?: RunShape) => Promise<Result<OwnIdentityPlan>>;

export const ownIdentityPlanner =
  (deps: OwnIdentityDeps): OwnIdentityPlanner =>
  (request, refs, shape) =>
    planOwnIdentities(request, refs, deps, shape);

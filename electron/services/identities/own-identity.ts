import { randomUUID } from 'node:crypto';
import type { IdentityDevice, IdentityErrorCode } from '../../../shared/contract/identities';
import { fail, ok, type Result } from '../../../shared/contract/result';
import type { SigningCa } from '../pki/signing-ca';
import type { IdentityStore, ReissuePolicy } from './identity-store';
import { forgetPrivateKey, issueDeviceIdentity } from './issue-identity';

/** A `<SYMBOL>.bin` file as the Team Store keeps it and the device's utility reads it. */
export type ItemFile = { name: string; data: Uint8Array };

const ITEM = {
  endpointName: 'MBED_CLOUD_DEV_BOOTSTRAP_ENDPOINT_NAME.bin',
  certificate: 'MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_CERTIFICATE.bin',
  privateKey: 'MBED_CLOUD_DEV_BOOTSTRAP_DEVICE_PRIVATE_KEY.bin',
  serverRootCa: 'MBED_CLOUD_DEV_BOOTSTRAP_SERVER_ROOT_CA_CERTIFICATE.bin',
  serverUri: 'MBED_CLOUD_DEV_BOOTSTRAP_SERVER_URI.bin',
  accountId: 'MBED_CLOUD_DEV_ACCOUNT_ID.bin',
  manufacturer: 'MBED_CLOUD_DEV_MANUFACTURER.bin',
  modelNumber: 'MBED_CLOUD_DEV_MODEL_NUMBER.bin',
  serialNumber: 'MBED_CLOUD_DEV_SERIAL_NUMBER.bin',
  deviceType: 'MBED_CLOUD_DEV_DEVICE_TYPE.bin',
  hardwareVersion: 'MBED_CLOUD_DEV_HARDWARE_VERSION.bin',
  memoryTotalKb: 'MBED_CLOUD_DEV_MEMORY_TOTAL_KB.bin',
} as const;

/** The run's device profile (compat-formats §5); the serial number defaults to each device's endpoint name. */
export interface DeviceProfileValues {
  manufacturer: string;
  modelNumber: string;
  deviceType: string;
  hardwareVersion: string;
  memoryTotalKb: number;
  serialNumber?: string;
}

/** What every device of one account shares, taken from a developer certificate of that account. */
export interface AccountItems {
  /** The developer certificate they came from, for messages. */
  from: string;
  accountId: string;
  serverUri: Uint8Array;
  serverRootCa: Uint8Array;
  /** Its device profile: the default for fields the run does not set. */
  profile: DeviceProfileValues;
}

const text = (files: readonly ItemFile[], name: string) => {
  const f = files.find((x) => x.name === name);
  return f ? Buffer.from(f.data).toString('utf8') : undefined;
};

/**
 * The account-wide items of a developer certificate (compat-formats §5): account ID, bootstrap server URI and its
 * root CA, plus its profile values as defaults. Refused, naming what is missing, when they are not all there.
 */
export function accountItemsFrom(name: string, files: readonly ItemFile[]): Result<AccountItems> {
  const accountId = text(files, ITEM.accountId)?.trim();
  if (!accountId || !/^[0-9a-f]{32}$/.test(accountId)) {
    return fail(
      'account-id-missing',
      `the developer certificate "${name}" has ${accountId ? `an account ID that is not 32 hex characters ("${accountId.slice(0, 40)}")` : 'no account ID (MBED_CLOUD_DEV_ACCOUNT_ID)'}: own identities need the account's ID; create or import a developer certificate of the account again (\`pws certs create-dev NAME\`)`,
    );
  }
  const serverUri = files.find((f) => f.name === ITEM.serverUri)?.data;
  const serverRootCa = files.find((f) => f.name === ITEM.serverRootCa)?.data;
  if (!serverUri?.length || !serverRootCa?.length) {
    return fail(
      'account-id-missing',
      `the developer certificate "${name}" lacks the bootstrap server's ${serverUri?.length ? 'root CA' : 'URI'}: create or import it again`,
    );
  }
  const uri = Buffer.from(serverUri).toString('utf8');
  if (!uri.includes(`aid=${accountId}`)) {
    return fail(
      'account-id-missing',
      `the developer certificate "${name}" names account ${accountId} but its bootstrap URI is for another (${uri}): create or import it again`,
    );
  }
  const memory = files.find((f) => f.name === ITEM.memoryTotalKb)?.data;
  return ok({
    from: name,
    accountId,
    serverUri,
    serverRootCa,
    profile: {
      manufacturer: text(files, ITEM.manufacturer) ?? '',
      modelNumber: text(files, ITEM.modelNumber) ?? '',
      deviceType: text(files, ITEM.deviceType) ?? '',
      hardwareVersion: text(files, ITEM.hardwareVersion) ?? '',
      memoryTotalKb: memory?.length === 4 ? Buffer.from(memory).readUInt32LE(0) : 0,
    },
  });
}

const uint32le = (n: number) => {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
};

/** One device's item set: exactly the developer-credentials files, with the device's own values. */
function itemSet(account: AccountItems, profile: DeviceProfileValues, endpointName: string, certificate: Uint8Array, privateKey: Uint8Array): ItemFile[] {
  const utf8 = (s: string) => Buffer.from(s, 'utf8');
  return [
    { name: ITEM.accountId, data: utf8(account.accountId) },
    { name: ITEM.certificate, data: certificate },
    { name: ITEM.privateKey, data: privateKey },
    { name: ITEM.endpointName, data: utf8(endpointName) },
    { name: ITEM.serverRootCa, data: account.serverRootCa },
    { name: ITEM.serverUri, data: account.serverUri },
    { name: ITEM.deviceType, data: utf8(profile.deviceType) },
    { name: ITEM.hardwareVersion, data: utf8(profile.hardwareVersion) },
    { name: ITEM.manufacturer, data: utf8(profile.manufacturer) },
    { name: ITEM.memoryTotalKb, data: uint32le(profile.memoryTotalKb) },
    { name: ITEM.modelNumber, data: utf8(profile.modelNumber) },
    { name: ITEM.serialNumber, data: utf8(profile.serialNumber ?? endpointName) },
  ];
}

export interface OwnIdentityPlan {
  ca: SigningCa;
  store: IdentityStore;
  template: string;
  reissue: ReissuePolicy;
  account: AccountItems;
  /** Fields the run sets; the rest come from the account's developer certificate. */
  profile: Partial<DeviceProfileValues>;
  years: number;
  runId: string;
  operator: string;
  station: string;
  clock: () => Date;
}

/** A device's identity, ready to stage, and the call that records how the device step ended. */
export interface IssuedItems {
  files: ItemFile[];
  endpointName: string;
  enrollmentIdentity: string;
  /** Records the device step's outcome in the registry and wipes the private key from memory. */
  settle(outcome: { confirmed: boolean; reason?: string; hostKeyFingerprint?: string }): Promise<Result<void, IdentityErrorCode>>;
}

/** The validity of a device certificate: from now for `years`, but never past the CA's own expiry. */
export function deviceValidity(now: Date, years: number, ca: Pick<SigningCa, 'notAfter'>): { notBefore: Date; notAfter: Date } {
  const wanted = new Date(now);
  wanted.setUTCFullYear(wanted.getUTCFullYear() + years);
  return { notBefore: now, notAfter: wanted.getTime() > ca.notAfter.getTime() ? ca.notAfter : wanted };
}

/**
 * Issues one device its own identity, in this order: reserve in the registry (durable, before signing), make the
 * key pair and certificate in memory, record the certificate, then hand out the item set. The private key exists
 * only in the returned files and on the device; `settle` overwrites it.
 */
export async function issueOwnIdentity(plan: OwnIdentityPlan, device: IdentityDevice): Promise<Result<IssuedItems, IdentityErrorCode>> {
  const reserved = await plan.store.reserve({
    template: plan.template,
    values: { ...(device.hostname ? { hostname: device.hostname } : {}), uuid: randomUUID() },
    device,
    ca: { name: plan.ca.name, fingerprint: plan.ca.fingerprint },
    runId: plan.runId,
    operator: plan.operator,
    station: plan.station,
    reissue: plan.reissue,
    time: plan.clock(),
  });
  if (!reserved.ok) return reserved;
  const record = reserved.value;
  const identity = issueDeviceIdentity(plan.ca, record.endpointName, deviceValidity(plan.clock(), plan.years, plan.ca));
  const issued = await plan.store.recordIssued(record.id, identity.record, plan.clock());
  if (!issued.ok) {
    forgetPrivateKey(identity);
    return fail(issued.code, `${issued.message}; the identity was not given to the device`);
  }
  const profile = { ...plan.account.profile, ...plan.profile };
  return ok({
    files: itemSet(plan.account, profile, record.endpointName, identity.certificate, identity.privateKey),
    endpointName: record.endpointName,
    enrollmentIdentity: identity.record.enrollmentIdentity,
    async settle(outcome) {
      forgetPrivateKey(identity);
      const settled = await plan.store.settle(record.id, { ...outcome, time: plan.clock() });
      return settled.ok ? ok(undefined) : settled;
    },
  });
}

import { z } from 'zod';
import { ConcurrencySchema, MAX } from './bounds';
import { channel, event } from './channel';
import { DeviceInputSchema, DeviceListSchema } from './devices';

export { DeviceInputSchema, DeviceRefSchema, type DeviceInput, type DeviceRef, type ProbeStatusEntry } from './devices';

/**
 * Provisioning: copy a developer certificate and an update certificate onto devices over SSH, run the
 * on-device utility, verify, clean up. A run covers many devices at once; each device goes through the
 * named stages below over one SSH connection (cleanup opens a fresh one only if the first died).
 */
export const PROVISIONING_STAGES = ['queued', 'connect', 'stage', 'provision', 'verify', 'cleanup', 'restart-client', 'done'] as const;
export type ProvisioningStage = (typeof PROVISIONING_STAGES)[number];

/** Error codes a device (or a whole run) can fail with; each message says what to do. */
export type ProvisioningErrorCode =
  | 'unreachable'
  | 'auth-refused'
  | 'host-key-changed'
  | 'host-key-unknown'
  | 'utility-missing'
  | 'utility-failed'
  | 'verify-failed'
  | 'disk-full'
  | 'upload-failed'
  | 'connection-lost'
  | 'stage-timeout'
  | 'cancelled'
  | 'certificate-missing'
  | 'certificate-invalid'
  | 'certificate-expired'
  | 'device-busy'
  | 'invalid-address'
  | 'run-not-found'
  | 'nothing-to-retry'
  | 'not-provisioned'
  | 'identity-exists'
  | 'endpoint-name-taken'
  | 'endpoint-name-invalid'
  | 'registry-unavailable'
  | 'internal';

const RunIdSchema = z.string().min(1).max(MAX.name);

/** The run's device profile for own identities (compat-formats §5); unset fields keep the developer certificate's values. */
const profileText = z
  .string()
  .max(64)
  // written onto the device, and shown in terminals and the app
  .regex(/^\P{Cc}*$/u, 'must not contain control characters: type it again without them');
export const DeviceProfileSchema = z
  .object({
    manufacturer: profileText.optional(),
    modelNumber: profileText.optional(),
    deviceType: profileText.optional(),
    hardwareVersion: profileText.optional(),
    memoryTotalKb: z.number().int().min(0).max(0xffffffff).optional(),
  })
  .strict();
export type DeviceProfileInput = z.infer<typeof DeviceProfileSchema>;

/** Own identity per device: each board gets a key pair and a certificate from this CA (instead of a shared developer certificate). */
export const OwnIdentityRequestSchema = z
  .object({
    /** Team Store name of the CA. */
    ca: z.string().min(1).max(MAX.name),
    /** `{hostname}` (default), `{seq}`, `{uuid}` with literal text around them. */
    endpointTemplate: z.string().min(1).max(256).optional(),
    /** Give a device that already holds an identity a new certificate for the same endpoint name. */
    reissue: z.boolean().optional(),
    /** Validity of each device certificate in years (default 20, never past the CA's). */
    years: z.number().int().min(1).max(100).optional(),
    profile: DeviceProfileSchema.optional(),
    /** The developer certificate whose account ID, bootstrap server URI and root CA the identities use (default: the Team Store's). */
    accountCert: z.string().min(1).max(MAX.name).optional(),
  })
  .strict();
export type OwnIdentityRequest = z.infer<typeof OwnIdentityRequestSchema>;

export const StartRunSchema = z
  .object({
    devices: DeviceListSchema,
    /** Team Store name of the developer certificate every device shares; or `identity` instead. */
    devCert: z.string().min(1).max(MAX.name).optional(),
    identity: OwnIdentityRequestSchema.optional(),
    updateCert: z.string().min(1).max(MAX.name),
    concurrency: ConcurrencySchema.optional(),
    /** Refuse unknown host keys for this run (`--strict-host-keys`); default: the setting. */
    strictHostKeys: z.boolean().optional(),
  })
  .strict()
  .refine((r) => (r.devCert === undefined) !== (r.identity === undefined), {
    message: 'give either devCert (a shared developer certificate) or identity (own identity per device from a CA), not both',
    path: ['devCert'],
  });
export type StartRunRequest = z.infer<typeof StartRunSchema>;

/**
 * What the connection learnt about the device's SSH host key: the key presented, and when it was refused,
 * the pin it contradicted (`host-key-changed`) or that no pin vouched for it (`host-key-unknown`, strict mode).
 */
export interface HostKeyFacts {
  presented: string;
  keyType: string;
  pinned?: string;
  /** The identity the contradicting pin is held under, as a person reads it (`mbed-linux-os-3 (hostname)`). */
  pinnedUnder?: string;
  pinnedAt?: string;
}

export interface StageTiming {
  stage: ProvisioningStage;
  durationMs: number;
  ok: boolean;
}

export type DeviceState = 'queued' | 'running' | 'passed' | 'failed' | 'cancelled';

export interface DeviceRunSnapshot {
  /** The key the runner uses: the device's id if given, else its address. */
  device: string;
  address: string;
  hostname?: string;
  state: DeviceState;
  /** The current stage, or for a finished device the stage it finished in (where it failed). */
  stage: ProvisioningStage;
  /** The last progress line (utility output, upload counts). */
  message: string;
  error?: { code: ProvisioningErrorCode; message: string };
  durationMs: number;
  stages: StageTiming[];
  hostKeyFingerprint?: string;
  /** The key was seen for the first time in this run and pinned (trust on first use): reported, never silent. */
  hostKeyNewlyPinned?: boolean;
  /** With `host-key-changed` / `host-key-unknown`: both fingerprints and where the old one was pinned. */
  hostKey?: HostKeyFacts;
  /** The device's own identity (own-identity runs), known once it was issued. */
  identity?: { endpointName: string; enrollmentIdentity: string };
  /** Utility output and engine notes, newest last (bounded). */
  log: string[];
}

export interface CertificateRef {
  name: string;
  fingerprint?: string;
  notAfter?: string;
}

export interface RunSnapshot {
  runId: string;
  startedAt: string;
  finishedAt?: string;
  concurrency: number;
  /** The shared developer certificate; in an own-identity run, the one whose account settings the identities use. */
  devCert: CertificateRef;
  updateCert: CertificateRef;
  /** Own identity per device: the CA that signs them and how their names are made. */
  identity?: { ca: CertificateRef; endpointTemplate: string; reissue: boolean };
  /** Said before the run started, still worth seeing on its board (e.g. a developer certificate past its 100 devices). */
  warnings?: string[];
  /** The run this one retried, if any. */
  retryOf?: string;
  devices: DeviceRunSnapshot[];
  passed: number;
  failed: number;
  cancelled: number;
  finished: boolean;
}

export interface RunSummary {
  runId: string;
  passed: number;
  failed: number;
  cancelled: number;
  durationMs: number;
  /** Devices that failed or were cancelled, with why. */
  failures: Array<{ device: string; stage: ProvisioningStage; code: ProvisioningErrorCode; message: string }>;
}

export const ReportFormatSchema = z.enum(['csv', 'json']);

/** An SSH host key's fingerprint as `ssh-keygen -l` and our refusals print it: `SHA256:` and 43 base64 characters. */
export const HostKeyFingerprintSchema = z
  .string()
  .max(64)
  .regex(/^SHA256:[A-Za-z0-9+/]{43}$/, 'must be a fingerprint as ssh-keygen -l prints it: SHA256: and 43 characters (copy it from the refusal message)');

export const provisioningChannels = {
  /** Start a run on the given devices with two Team Store certificates; answers at once with the run id (progress comes as events). */
  start: channel<{ runId: string; warnings: string[] }>()('provisioning:start', StartRunSchema),
  /** What a start would say before anything runs: a refusal (as a failure) or warnings, so the panel can show them first. */
  preflight: channel<{ warnings: string[] }>()('provisioning:preflight', StartRunSchema),
  /** Cancel one device of a run (`device` = its key or address) or the whole run; cleanup still runs on the devices. */
  cancel: channel<{ cancelled: string[] }>()(
    'provisioning:cancel',
    z.object({ runId: RunIdSchema, device: z.string().min(1).max(MAX.address).optional() }).strict(),
  ),
  /** Start a new run with exactly the failed/cancelled devices of a finished run and the same certificates. */
  retryFailed: channel<{ runId: string }>()('provisioning:retry-failed', z.object({ runId: RunIdSchema }).strict()),
  /** Every run this process knows about, newest first. */
  runs: channel<RunSnapshot[]>()('provisioning:runs', z.object({}).strict()),
  /** One run's current snapshot. */
  run: channel<RunSnapshot>()('provisioning:run', z.object({ runId: RunIdSchema }).strict()),
  /**
   * Forget a device's pinned host key under every identity it was seen with (give the device reference, or an
   * ADDRESS, hostname or device id) so the next connection pins the new one. Answers the identities removed.
   */
  forgetHostKey: channel<{ forgotten: string[] }>()('provisioning:forget-host-key', z.object({ device: DeviceInputSchema }).strict()),
  /** Pin a host key the user checked (offered after a `host-key-unknown` refusal with Strict host keys on). */
  trustHostKey: channel<{ trusted: string }>()(
    'provisioning:trust-host-key',
    z
      .object({
        device: DeviceInputSchema,
        fingerprint: HostKeyFingerprintSchema,
        keyType: z.string().min(1).max(64).optional(),
      })
      .strict(),
  ),
  /** A run's report: per device result, stages and durations, as CSV or JSON text for download. */
  report: channel<{ format: 'csv' | 'json'; text: string; fileName: string }>()(
    'provisioning:report',
    z.object({ runId: RunIdSchema, format: ReportFormatSchema.default('csv') }).strict(),
  ),
} as const;

export interface ProgressEvent {
  runId: string;
  device: string;
  stage: ProvisioningStage;
  /** 0..1 over the whole device pipeline. */
  progress: number;
  message: string;
  /** The device's own identity, once issued (own-identity runs). */
  identity?: { endpointName: string; enrollmentIdentity: string };
}

export interface DeviceFinishedEvent {
  runId: string;
  device: DeviceRunSnapshot;
}

export interface RunFinishedEvent extends RunSummary {}

export const provisioningEvents = {
  /** Throttled per device (at most ~10 a second); stage changes are always sent. */
  progress: event<ProgressEvent>()('provisioning:progress'),
  deviceFinished: event<DeviceFinishedEvent>()('provisioning:device-finished'),
  /** The Electron glue shows a desktop notification with `passed`/`failed`. */
  runFinished: event<RunFinishedEvent>()('provisioning:run-finished'),
} as const;

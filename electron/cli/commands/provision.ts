import { basename } from 'node:path';
import type { DeviceRef, DeviceRunSnapshot, RunSnapshot } from '../../../shared/contract/provisioning';
import { OwnIdentityRequestSchema, provisioningEvents, type OwnIdentityRequest } from '../../../shared/contract/provisioning';
import { templateProblemForSeveral } from '../../../shared/domain/endpoint-name';
import { NEW_HOST_KEY_PINNED, type OpenRun } from '../../services/provisioning/provisioning-service';
import { failure, unwrap, usageError, warn, type CliCommand, type CliContext } from '../command';
import { concurrencyFlag, discoverAllAsTheyResolve, resolveDevices, STRICT_HOST_KEYS_HELP, STRICT_HOST_KEYS_OPTION, strictHostKeysFlag } from '../device-args';
import { issueInWords } from '../../../shared/contract/issue-words';
import { deviceWhere } from '../../../shared/domain/devices';
import { readNamedFile } from '../named-file';

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

/** The `--json` document fixed by cli.md. */
export function provisionJson(run: RunSnapshot) {
  return {
    runId: run.runId,
    results: run.devices.map((d) => ({
      device: d.device,
      address: d.address,
      ok: d.state === 'passed',
      stage: d.stage,
      ...(d.error ? { error: d.error.message, code: d.error.code } : {}),
      ...(d.hostKeyNewlyPinned ? { hostKeyNote: `${NEW_HOST_KEY_PINNED} ${d.hostKeyFingerprint}` } : {}),
      ...(d.identity ? { endpointName: d.identity.endpointName, enrollmentIdentity: d.identity.enrollmentIdentity } : {}),
      durationMs: d.durationMs,
    })),
    passed: run.passed,
    failed: run.failed + run.cancelled,
  };
}

const stringFlag = (ctx: CliContext, name: string) => (typeof ctx.values[name] === 'string' ? (ctx.values[name] as string) : undefined);

function wholeNumber(ctx: CliContext, name: string, max: number): number | undefined {
  const raw = stringFlag(ctx, name);
  if (raw === undefined) return undefined;
  if (!/^\d+$/.test(raw) || Number(raw) > max) throw usageError(`--${name}: "${raw}" must be a whole number from 0 to ${max}`);
  return Number(raw);
}

/** `--ca` and its flags: each device gets its own identity from that CA instead of a shared developer certificate. */
function ownIdentityRequest(ctx: CliContext, ca: string): OwnIdentityRequest {
  const years = wholeNumber(ctx, 'years', 100);
  if (years === 0) throw usageError('--years: give at least 1');
  const memory = wholeNumber(ctx, 'memory-total-kb', 0xffffffff);
  const profile = {
    ...(stringFlag(ctx, 'manufacturer') !== undefined ? { manufacturer: stringFlag(ctx, 'manufacturer') } : {}),
    ...(stringFlag(ctx, 'model-number') !== undefined ? { modelNumber: stringFlag(ctx, 'model-number') } : {}),
    ...(stringFlag(ctx, 'device-type') !== undefined ? { deviceType: stringFlag(ctx, 'device-type') } : {}),
    ...(stringFlag(ctx, 'hardware-version') !== undefined ? { hardwareVersion: stringFlag(ctx, 'hardware-version') } : {}),
    ...(memory !== undefined ? { memoryTotalKb: memory } : {}),
  };
  const parsed = OwnIdentityRequestSchema.safeParse({
    ca,
    ...(stringFlag(ctx, 'endpoint-template') !== undefined ? { endpointTemplate: stringFlag(ctx, 'endpoint-template') } : {}),
    ...(ctx.values.reissue ? { reissue: true } : {}),
    ...(years !== undefined ? { years } : {}),
    ...(Object.keys(profile).length ? { profile } : {}),
    ...(stringFlag(ctx, 'dev-cert') !== undefined ? { accountCert: stringFlag(ctx, 'dev-cert') } : {}),
  });
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const flag = String(issue.path.at(-1))
      .replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`)
      .replace('account-cert', 'dev-cert');
    throw usageError(`--${flag}: ${issueInWords(issue)}`);
  }
  return parsed.data;
}

const IDENTITY_ONLY_FLAGS = [
  'endpoint-template',
  'reissue',
  'years',
  'manufacturer',
  'model-number',
  'device-type',
  'hardware-version',
  'memory-total-kb',
  'dev-cert',
];

/** `-c` and `-p`, as mbl-cli did: create the developer certificate in the cloud, import the update certificate's C file. */
async function prepareCertificates(ctx: CliContext, devName: string | undefined, updateName: string): Promise<void> {
  const createDev = Boolean(ctx.values['create-dev-cert']);
  const updatePath = ctx.values['parse-update-cert'];
  if (!createDev && updatePath === undefined) return;
  const teamStore = ctx.core().services.teamStore;
  if (createDev && devName) {
    const key = await ctx.core().services.credentials.client();
    if (!key.ok) throw failure(`-c: ${key.message}; nothing was provisioned`);
    ctx.stderr.write(`Creating developer certificate "${devName}" in the cloud…\n`);
    const c = await teamStore.createDeveloperCertificate({ name: devName });
    if (!c.ok) throw failure(`-c: ${c.message}; nothing was provisioned`);
  }
  if (typeof updatePath === 'string') {
    ctx.stderr.write(`Importing update certificate "${updateName}" from ${updatePath}…\n`);
    const text = (await readNamedFile(updatePath, (problem) => `-p: could not read ${updatePath}: ${problem}`)).toString('utf8');
    const u = await teamStore.importUpdateCertificate({ name: updateName, fileName: basename(updatePath), text });
    if (!u.ok) throw failure(`-p: ${u.message}; nothing was provisioned`);
  }
}

export const provisionCommand: CliCommand = {
  usage:
    'provision (DEV_CERT_NAME | --ca CA_NAME) UPDATE_CERT_NAME [-c|--create-dev-cert] [-p|--parse-update-cert PATH] (--device ADDRESS ... | --all | (none: the selected device)) [--endpoint-template T] [--reissue] [--years N] [--manufacturer M] [--model-number M] [--device-type T] [--hardware-version V] [--memory-total-kb N] [--dev-cert NAME] [--concurrency N] [--strict-host-keys] [--json]',
  description: [
    'Copies a developer certificate and an update certificate from the Team Store onto devices over SSH, runs the',
    "device's provisioning utility, verifies with --get-pelion-status and always cleans up. Several devices at once.",
    'With --ca, each device gets its own identity instead: a key pair and a certificate from that CA, made in memory',
    'for that device, staged exactly like a developer certificate, and recorded in the identity registry.',
    '  --ca CA_NAME                 own identity per device, signed by this CA from the Team Store (pws ca)',
    '  --endpoint-template T        --ca: endpoint names from {hostname} (default), {seq}, {uuid} and text',
    '  --reissue                    --ca: give a device that already holds an identity a new certificate for its',
    '                               endpoint name (without it, such a device is refused and left as it is)',
    '  --years N                    --ca: validity of each device certificate (default 20, never past the CA)',
    '  --manufacturer M, --model-number M, --device-type T, --hardware-version V, --memory-total-kb N',
    "                               --ca: the device profile (default: the developer certificate's values); the",
    '                               serial number is the endpoint name',
    '  --dev-cert NAME              --ca: the developer certificate whose account settings the identities carry',
    "                               (default: the Team Store's, when all are of one account)",
    '  -c, --create-dev-cert        create DEV_CERT_NAME in the cloud first (needs an API key)',
    '  -p, --parse-update-cert PATH import UPDATE_CERT_NAME from update_default_resources.c first',
    '  --device ADDRESS             a device (repeat for more): IPv4, fe80::…%iface, [v6%if]:port or a host name',
    '  --all                        every MBL device discovery finds',
    '  --concurrency N              devices at once (default: settings.concurrency, 8)',
    ...STRICT_HOST_KEYS_HELP,
    'A host key seen for the first time is pinned and reported as "new host key pinned".',
    'Progress goes to stderr; --json prints { results: [{ device, ok, stage, error?, endpointName?, enrollmentIdentity?,',
    '  durationMs }], passed, failed }.',
    'Exit code 0 only if every device passed.',
  ].join('\n'),
  options: {
    'create-dev-cert': { type: 'boolean', short: 'c' },
    'parse-update-cert': { type: 'string', short: 'p' },
    device: { type: 'string', multiple: true },
    all: { type: 'boolean' },
    concurrency: { type: 'string' },
    ...STRICT_HOST_KEYS_OPTION,
    ca: { type: 'string' },
    'endpoint-template': { type: 'string' },
    reissue: { type: 'boolean' },
    years: { type: 'string' },
    manufacturer: { type: 'string' },
    'model-number': { type: 'string' },
    'device-type': { type: 'string' },
    'hardware-version': { type: 'string' },
    'memory-total-kb': { type: 'string' },
    'dev-cert': { type: 'string' },
  },
  async run(ctx) {
    const ca = stringFlag(ctx, 'ca');
    const [first, second, ...extra] = ctx.positionals;
    const [devName, updateName] = ca === undefined ? [first, second] : [undefined, first];
    if (ca !== undefined) {
      if (second !== undefined)
        throw usageError(`unexpected argument "${second}": with --ca give only the update certificate name (pws provision --ca CA_NAME UPDATE_CERT_NAME)`);
      if (ctx.values['create-dev-cert']) throw usageError('-c creates a developer certificate: with --ca each device gets its own identity instead');
    } else {
      const used = IDENTITY_ONLY_FLAGS.find((f) => ctx.values[f] !== undefined);
      if (used) throw usageError(`--${used} goes with --ca CA_NAME (own identity per device)`);
    }
    if (!updateName || (ca === undefined && !devName)) {
      throw usageError(
        'give the developer and the update certificate names (pws provision DEV_CERT_NAME UPDATE_CERT_NAME --device ADDRESS), or --ca CA_NAME and the update certificate name',
      );
    }
    if (extra.length) throw usageError(`unexpected argument "${extra[0]}": devices go after --device`);
    const identity = ca !== undefined ? ownIdentityRequest(ctx, ca) : undefined;
    const several = Boolean(ctx.values.all) || ((ctx.values.device as string[] | undefined)?.length ?? 0) > 1;
    const sameNameForAll = identity?.endpointTemplate && several ? templateProblemForSeveral(identity.endpointTemplate) : undefined;
    if (sameNameForAll) throw usageError(`--endpoint-template: ${sameNameForAll}`);
    const concurrency = concurrencyFlag(ctx);
    const core = ctx.core();
    const service = core.services.provisioning;
    const hostKeys = strictHostKeysFlag(ctx);
    const request = { ...(identity ? { identity } : { devCert: devName! }), updateCert: updateName, ...(concurrency ? { concurrency } : {}), ...hostKeys };
    const ready = async () => {
      await prepareCertificates(ctx, devName, updateName);
      // first, what an earlier run that was killed mid-way left on devices (reported on stderr by the service)
      await service.recoverInterruptedRuns(hostKeys);
    };
    // --all: each board starts as soon as discovery resolves it, not once the whole list has settled
    const discovering = discoverAllAsTheyResolve(ctx);
    let open: OpenRun | undefined;
    let firstFound: DeviceRef | undefined;
    if (discovering) {
      const startOpen = async () => (await ready(), service.startOpen(request));
      // Without -c and -p nothing is created, so the run gets ready while discovery's first query round is out;
      // with them, only once a board has answered (nothing is created in the cloud for an empty network).
      const creates = Boolean(ctx.values['create-dev-cert']) || ctx.values['parse-update-cert'] !== undefined;
      const opening = creates ? undefined : startOpen();
      opening?.catch(() => undefined); // awaited below, after "no device answered" has had its say
      firstFound = await discovering.arriving.take();
      if (!firstFound) await discovering.settled; // fails: no device answered
      open = unwrap(await (opening ?? startOpen()));
    }
    const devices = discovering ? undefined : await resolveDevices(ctx, { allowSelected: true });
    if (devices) await ready();
    const { runId, warnings } = open ?? unwrap(await service.start({ ...request, devices: devices ?? [] }));
    for (const w of warnings) warn(ctx, w);
    const offs: Array<() => void> = [];
    const progressOn = !ctx.json || ctx.verbose;
    if (progressOn) {
      const lastStage = new Map<string, string>();
      const labels = new Map<string, string>();
      // Events carry the device's key (a discovery id for --all); people read "hostname (address)".
      const labelOf = (device: string) => {
        let label = labels.get(device);
        if (label === undefined) {
          const run = service.run(runId);
          const d = run.ok ? run.value.devices.find((x) => x.device === device) : undefined;
          labels.set(device, (label = d ? deviceWhere(d) : device));
        }
        return label;
      };
      offs.push(
        core.events.on(provisioningEvents.progress, (e) => {
          if (e.runId !== runId || e.stage === 'done' || lastStage.get(e.device) === e.stage) return;
          lastStage.set(e.device, e.stage);
          ctx.stderr.write(`  ${labelOf(e.device)}: ${e.stage}…\n`);
        }),
      );
    }
    offs.push(
      core.events.on(provisioningEvents.deviceFinished, ({ runId: id, device }) => {
        if (id !== runId) return;
        ctx.stderr.write(`${deviceLine(device)}\n`);
      }),
    );
    const onAbort = () => {
      ctx.stderr.write('Cancelling: cleaning up on the devices…\n');
      service.cancel(runId);
    };
    ctx.signal.addEventListener('abort', onAbort, { once: true });
    const what = identity ? `their own identities from the CA "${identity.ca}"` : `"${devName}"`;
    const announce = (count: number) => ctx.stderr.write(`Provisioning ${count} device${count === 1 ? '' : 's'} with ${what} and "${updateName}"…\n`);
    if (devices) announce(devices.length);
    if (open && discovering) {
      // the count is known only once the list has settled; boards resolved earlier are under way by then
      ctx.stderr.write(`Provisioning each MBL device as it answers, with ${what} and "${updateName}"…\n`);
      for (let d = firstFound; d; d = await discovering.arriving.take()) {
        const warning = open.add(d); // the developer certificate's cap: said when the board that passes it is found
        if (warning) warn(ctx, warning);
      }
      open.end(await discovering.settled);
      const count = unwrap(service.run(runId)).devices.length;
      ctx.stderr.write(`Discovery settled: ${count} device${count === 1 ? '' : 's'} in this run.\n`);
    }
    let run: RunSnapshot;
    try {
      run = unwrap(await service.wait(runId));
    } finally {
      ctx.signal.removeEventListener('abort', onAbort);
      for (const off of offs) off();
    }
    const doc = provisionJson(run);
    if (ctx.json) ctx.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
    const total = run.devices.length;
    if (doc.failed === 0) {
      if (!ctx.json) ctx.stdout.write(`${doc.passed} of ${total} device${total === 1 ? '' : 's'} provisioned and verified.\n`);
      return 0;
    }
    const firstFailure = run.devices.find((d) => d.error);
    ctx.stderr.write(
      `pws: ${doc.failed} of ${total} device${total === 1 ? '' : 's'} failed${firstFailure ? ` (first: ${firstFailure.error!.message})` : ''}; fix the cause and run again for the failed ones\n`,
    );
    return 1;
  },
};

function deviceLine(d: DeviceRunSnapshot): string {
  const newKey = d.hostKeyNewlyPinned ? `; ${NEW_HOST_KEY_PINNED} ${d.hostKeyFingerprint}` : '';
  const identity = d.identity ? ` as "${d.identity.endpointName}" (${d.identity.enrollmentIdentity})` : '';
  if (d.state === 'passed') return `✓ ${deviceWhere(d)}: provisioned${identity} and verified (${seconds(d.durationMs)}${newKey})`;
  return `✗ ${deviceWhere(d)}: ${d.state === 'cancelled' ? 'cancelled' : `failed in ${d.stage}`} [${d.error?.code ?? 'unknown'}] ${d.error?.message ?? ''}`;
}

import { unwrap, usageError, type CliCommand } from '../command';
import { concurrencyFlag, resolveDevices, STRICT_HOST_KEYS_HELP, STRICT_HOST_KEYS_OPTION, strictHostKeysFlag } from '../device-args';
import { deviceWhere } from '../../../shared/domain/devices';

export const statusCommand: CliCommand = {
  usage: 'status (--device ADDRESS ... | --all) [--concurrency N] [--strict-host-keys] [--json]',
  description: [
    "Runs the device's `pelion-provisioning-util --get-pelion-status` and reports provisioned: true|false with the",
    "utility's message for each device. A device that can't be asked (unreachable, login refused, no utility) is",
    'reported with the reason. --json prints { results: [{ device, ok, provisioned?, message, code? }] }.',
    '',
    '  --device ADDRESS             a board to ask (an IPv4 or IPv6 address, fe80::…%iface, or NAME.local); repeat for more',
    '  --all                        every MBL board discovery finds',
    '  --concurrency N              how many boards are asked at once (1-64; default: the concurrency setting)',
    ...STRICT_HOST_KEYS_HELP,
    'Exit code 0 when every device answered (provisioned or not), 1 when one could not be asked.',
  ].join('\n'),
  options: {
    device: { type: 'string', multiple: true },
    all: { type: 'boolean' },
    concurrency: { type: 'string' },
    ...STRICT_HOST_KEYS_OPTION,
  },
  async run(ctx) {
    if (ctx.positionals.length) throw usageError(`unexpected argument "${ctx.positionals[0]}": devices go after --device`);
    const concurrency = concurrencyFlag(ctx);
    const devices = await resolveDevices(ctx, { allowSelected: false });
    const results = unwrap(await ctx.core().services.provisioning.probeStatus(devices, concurrency, strictHostKeysFlag(ctx)));
    if (ctx.json) ctx.stdout.write(`${JSON.stringify({ results }, null, 2)}\n`);
    else {
      // Results come in the order asked; a discovered device is named by its host name, not its discovery id.
      results.forEach((r, i) => {
        const what = !r.ok ? `error [${r.code}]` : r.provisioned ? 'provisioned' : 'not provisioned';
        ctx.stdout.write(`${devices[i] ? deviceWhere(devices[i]) : r.device}: ${what}: ${r.message}\n`);
      });
    }
    const unanswered = results.filter((r) => !r.ok);
    if (unanswered.length === 0) return 0;
    ctx.stderr.write(
      `pws: ${unanswered.length} of ${results.length} device${results.length === 1 ? '' : 's'} could not be asked (first: ${unanswered[0]!.message})\n`,
    );
    return 1;
  },
};

import { createInterface } from 'node:readline/promises';
import { formatAddress, parseAddress } from '../../../shared/domain/address';
import type { Device } from '../../../shared/domain/devices';
import { writeSelectedDevice, selectedDeviceFile, type SelectedDevice } from '../../services/discovery/selected-device';
import { failure, print, unwrap, usageError, type CliCommand, type CliContext } from '../command';
import { discoverForCli, numberedDeviceLines, timeoutMsOf } from './discover';
import { deviceAddress, deviceWhere } from '../../../shared/domain/devices';

async function ask(ctx: CliContext, devices: Device[]): Promise<Device> {
  ctx.stdout.write(`${numberedDeviceLines(devices)}\n`);
  const rl = createInterface({ input: ctx.stdin, output: ctx.promptOutput, terminal: true });
  const onAbort = () => rl.close();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  try {
    const answer = (await rl.question('\nSelect a device from the list: ', { signal: ctx.signal })).trim();
    const n = Number(answer);
    const d = /^[0-9]+$/.test(answer) ? devices[n - 1] : undefined;
    if (!d) throw failure(`"${answer}" is not an index from the list: enter a number from 1 to ${devices.length}`);
    return d;
  } catch (err) {
    if (ctx.signal.aborted) throw failure('select was cancelled; the selection is unchanged');
    throw err;
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
    rl.close();
  }
}

async function save(ctx: CliContext, hostname: string, address: string): Promise<void> {
  const saved: SelectedDevice = unwrap(await writeSelectedDevice(ctx.core().deps.home, { hostname, address }));
  print(ctx, saved, () => `${deviceWhere(saved)} selected`);
}

export const selectCommand: CliCommand = {
  usage: 'select [INDEX|ADDRESS] [--timeout SECONDS] [--json]',
  description: [
    "Selects the device later commands use when none is named, writing ~/.mbl-dev.json in mbl-cli's format.",
    '  INDEX    discover (MBL devices, as `pws discover` lists them) and pick that one, counting from 1',
    '  ADDRESS  IPv4, IPv6 with %iface ([fe80::1%eth0]:2222 with a port) or a host name (NAME.local too), which must resolve',
    '  (none)   in a terminal: discover, list, and ask',
  ].join('\n'),
  options: { timeout: { type: 'string' } },
  async run(ctx) {
    const [arg, ...extra] = ctx.positionals;
    if (extra.length) throw usageError('select takes one INDEX or ADDRESS');
    if (arg === undefined || /^[0-9]+$/.test(arg)) {
      if (arg === undefined && !(ctx.stdin.isTTY && ctx.stdout.isTTY)) {
        throw usageError(`select needs an INDEX or ADDRESS when not run in a terminal (it writes ${selectedDeviceFile(ctx.core().deps.home)})`);
      }
      const devices = await discoverForCli(ctx, { timeoutMs: timeoutMsOf(ctx), all: false });
      if (!devices.length) throw failure('no MBL devices found: check the board is powered and connected, then run `pws discover`');
      let chosen: Device;
      if (arg === undefined) chosen = await ask(ctx, devices);
      else {
        const d = devices[Number(arg) - 1];
        if (!d || Number(arg) < 1) {
          throw failure(`no device at index ${arg}: discover found ${devices.length} (1-${devices.length}); run \`pws discover\` to see them`);
        }
        chosen = d;
      }
      await save(ctx, chosen.hostname, deviceAddress(chosen));
      return;
    }
    const parsed = parseAddress(arg, 'ADDRESS');
    if (!parsed.ok) throw usageError(parsed.message);
    const a = parsed.address;
    // A name is resolved now, as Add device does, so a typo is refused here rather than at the next command.
    // The name is what is written: a board's link-local address can change, its name does not.
    if (a.kind === 'hostname') unwrap(await ctx.core().services.discovery.resolveHost(a.host));
    await save(ctx, a.host, formatAddress(a));
  },
};

import { CONCURRENCY_RULE, ConcurrencySchema } from '../../shared/contract/bounds';
import type { DeviceRef } from '../../shared/contract/devices';
import type { HostKeyPolicy } from '../services/ssh/connection';
import { parseAddress } from '../../shared/domain/address';
import { deviceRefOf } from '../../shared/domain/device-run';
import type { Device } from '../../shared/domain/devices';
import { ArrivalQueue } from '../services/provisioning/arrival-queue';
import { readSelectedDevice } from '../services/discovery/selected-device';
import { failure, usageError, type CliContext } from './command';
import { discoverForCli } from './commands/discover';

/**
 * `--strict-host-keys`: one definition, with its help, for every command that opens SSH connections to devices.
 * Without it the `strictHostKeys` setting decides; with it, every connection of the command refuses an unknown key.
 */
export const STRICT_HOST_KEYS_OPTION = { 'strict-host-keys': { type: 'boolean' } } as const;
export const STRICT_HOST_KEYS_HELP = [
  '  --strict-host-keys           refuse a device whose SSH host key is not pinned yet (default: the setting);',
  '                               check its fingerprint, then `pws known-hosts trust ADDRESS SHA256:…`',
];
export const strictHostKeysFlag = (ctx: CliContext): HostKeyPolicy => (ctx.values['strict-host-keys'] ? { strictHostKeys: true } : {});

/** `--device` given once or many times. */
export function deviceFlags(ctx: CliContext): string[] {
  const v = ctx.values.device;
  if (v === undefined) return [];
  return (Array.isArray(v) ? v : [v]).map(String);
}

/**
 * The devices a command works on: every `--device ADDRESS`, or with `--all` every MBL device discovery finds
 * (once the list has settled, 3 s at most), or with neither the device selected by `pws select` (~/.mbl-dev.json).
 */
export async function resolveDevices(ctx: CliContext, opts: { allowSelected: boolean }): Promise<DeviceRef[]> {
  const given = deviceFlags(ctx);
  const all = Boolean(ctx.values.all);
  if (given.length && all) throw usageError('give either --device ADDRESS (one or more) or --all, not both');
  for (const address of given) {
    const parsed = parseAddress(address, '--device');
    if (!parsed.ok) throw usageError(parsed.message);
  }
  if (given.length) return given.length > 1 ? withTheirAddresses(ctx, given) : [{ address: given[0]! }];
  if (all) return discoverAll(ctx);
  if (!opts.allowSelected) throw usageError('name the devices: --device ADDRESS (one or more) or --all');
  const selected = await readSelectedDevice(ctx.core().deps.home);
  if (!selected.ok)
    throw failure(
      selected.message.includes('--device') ? `${selected.message}, or use --all` : `${selected.message} (or name devices with --device ADDRESS, or use --all)`,
    );
  return [{ address: selected.value.address, ...(selected.value.hostname ? { hostname: selected.value.hostname } : {}) }];
}

/**
 * Several `--device` flags may name one board twice, by address and by `NAME.local`. Their host names are
 * resolved first, all at once, and each carries the addresses it reached, so the run finds the twin, works on
 * the board once and says so (instead of a second session failing on the board's lock). A name that does not
 * resolve is kept as given: its device fails with the reason when the run tries it (asking once more).
 */
async function withTheirAddresses(ctx: CliContext, given: string[]): Promise<DeviceRef[]> {
  const discovery = ctx.core().services.discovery;
  return Promise.all(
    given.map(async (address): Promise<DeviceRef> => {
      const parsed = parseAddress(address);
      if (!parsed.ok || parsed.address.kind !== 'hostname') return { address };
      const resolved = await discovery.resolveHost(parsed.address.host);
      return resolved.ok ? { address, addresses: resolved.value } : { address };
    }),
  );
}

/**
 * `--all`: every MBL device discovery finds, in `pws select` order, once the list has settled (3 s at most).
 * `onResolved` gets each of them earlier, as soon as it has resolved.
 */
async function discoverAll(ctx: CliContext, onResolved?: (device: DeviceRef) => void): Promise<DeviceRef[]> {
  const found = await discoverForCli(ctx, { timeoutMs: 3000, all: false, ...(onResolved ? { onResolved: (d: Device) => onResolved(deviceRefOf(d)) } : {}) });
  if (found.length === 0) throw failure('--all: no MBL device answered over mDNS: check the cable or network, or name devices with --device ADDRESS');
  return found.filter((d) => d.addresses.length > 0).map(deviceRefOf);
}

/**
 * `--all` for a command that starts on each device as soon as discovery resolves it: the devices arrive in
 * `arriving` (ended once the list has settled), and `settled` is the whole list in `pws select` order; it
 * fails as `--all` does when no device answered. Undefined without `--all`.
 */
export function discoverAllAsTheyResolve(ctx: CliContext): { arriving: ArrivalQueue<DeviceRef>; settled: Promise<DeviceRef[]> } | undefined {
  if (!ctx.values.all) return undefined;
  if (deviceFlags(ctx).length) throw usageError('give either --device ADDRESS (one or more) or --all, not both');
  const arriving = new ArrivalQueue<DeviceRef>();
  const settled = discoverAll(ctx, (d) => arriving.push(d)).finally(() => arriving.end());
  settled.catch(() => undefined); // awaited by the caller; handled there
  return { arriving, settled };
}

/** `--concurrency N`, checked by the contract's rule for it. */
export function concurrencyFlag(ctx: CliContext): number | undefined {
  const raw = ctx.values.concurrency;
  if (raw === undefined) return undefined;
  const n = typeof raw === 'string' && /^\d+$/.test(raw) ? ConcurrencySchema.safeParse(Number(raw)) : undefined;
  if (!n?.success) throw usageError(`--concurrency: "${String(raw)}" ${CONCURRENCY_RULE}`);
  return n.data;
}

import type { DiscoveryHealth } from '../../../shared/contract/devices';
import { LookAlikeIndex, lookAlikeNames } from '../../../shared/domain/look-alike-names';
import { lettersBeyondAscii, toDiscoverJson, type Device, type DeviceChange } from '../../../shared/domain/devices';
import { failure, unwrap, usageError, type CliCommand, type CliContext } from '../command';

export const DEFAULT_DISCOVER_TIMEOUT_S = 3;

/** `--timeout SECONDS` (decimals allowed) → ms; usage error if it isn't a positive number. */
export function timeoutMsOf(ctx: CliContext, fallbackS = DEFAULT_DISCOVER_TIMEOUT_S): number {
  const raw = ctx.values.timeout;
  if (raw === undefined) return fallbackS * 1000;
  const s = Number(raw);
  if (typeof raw !== 'string' || !raw.trim() || !Number.isFinite(s) || s <= 0 || s > 86400) {
    throw usageError(`--timeout: "${String(raw)}" must be a number of seconds above 0 and at most 86400 (a day), e.g. --timeout 3`);
  }
  return Math.round(s * 1000);
}

/** One line per device: `1: mbed-linux-os-3 (fe80::…%eth0, 169.254.20.3)`, indexed from 1 as mbl-cli did. */
export function humanDeviceLine(d: Device, index?: number, readsLike?: readonly string[]): string {
  const head = index === undefined ? '' : `${index}: `;
  const beyond = lettersBeyondAscii(d.name);
  const warning = (readsLike ? ` [reads like ${readsLike.join(', ')}]` : '') + (beyond.length ? ` [not plain ASCII: ${beyond.join(', ')}]` : '');
  return `${head}${d.name}${d.addresses.length ? ` (${d.addresses.join(', ')})` : ''}${d.port !== 22 ? ` port ${d.port}` : ''}${warning}`;
}

/** The list as `pws discover` and `pws select` print it: numbered, names that read alike marked. */
export function numberedDeviceLines(devices: readonly Device[]): string {
  const alike = lookAlikeNames(devices);
  return devices.map((d, i) => humanDeviceLine(d, i + 1, alike.get(d.id))).join('\n');
}

/** What to tell the user when mDNS can't send, or undefined while it can. */
export function sendingProblem(h: DiscoveryHealth): string | undefined {
  if (h.sending === 'refused') {
    return `the operating system refuses to send mDNS queries (${h.sendError}): on macOS allow Local Network access for this program (System Settings → Privacy & Security → Local Network); elsewhere check that the firewall lets UDP port 5353 out`;
  }
  if (h.sending === 'failing') return `mDNS queries cannot be sent (${h.sendError}): check that the network interface is up and has an address`;
  return undefined;
}

/**
 * Discovers and returns the devices `discover` (without --watch) would list, in its order: as soon as the list
 * has settled, `timeoutMs` at most. `onResolved` gets each of them earlier, as soon as it has resolved.
 */
export async function discoverForCli(ctx: CliContext, opts: { timeoutMs: number; all: boolean; onResolved?: (d: Device) => void }): Promise<Device[]> {
  if (!ctx.json) ctx.stderr.write(`Discovering devices (up to ${opts.timeoutMs / 1000} s)…\n`);
  const discovery = ctx.core().services.discovery;
  const devices = unwrap(await discovery.discoverOnce({ ...opts, signal: ctx.signal }));
  const problem = sendingProblem(discovery.health());
  if (problem && !devices.length) throw failure(problem);
  return devices;
}

async function watch(ctx: CliContext, all: boolean, timeoutMs: number | undefined): Promise<void> {
  const discovery = ctx.core().services.discovery;
  // Without --all only MBL devices are shown; a device whose TXT loses `mblos` is reported as removed.
  const shown = new Set<string>();
  const names = new LookAlikeIndex();
  const write = (c: DeviceChange) => {
    const d = c.device;
    if (d.source !== 'mdns') return;
    const visible = d.present && (all || d.isMbl);
    let event: DeviceChange['event'];
    if (visible && !shown.has(d.id)) event = 'added';
    else if (!visible && shown.has(d.id)) event = 'removed';
    else if (visible && c.event === 'updated') event = 'updated';
    else return;
    if (event === 'removed') {
      shown.delete(d.id);
      names.delete(d.id);
    } else {
      shown.add(d.id);
      names.set(d);
    }
    if (ctx.json) ctx.stdout.write(`${JSON.stringify({ event, device: toDiscoverJson(d) })}\n`);
    else ctx.stdout.write(`${event === 'added' ? '+' : event === 'removed' ? '-' : '~'} ${humanDeviceLine(d, undefined, names.readsLike(d.id))}\n`);
  };
  // Ctrl-C, or a closed stdout (`pws discover --watch --json | head -3`: runCli aborts the signal), ends the watch.
  const stopped = ctx.signal;
  const off = discovery.onChange((c) => {
    if (!stopped.aborted) write(c);
  });
  // Said when sending changes: a problem when it starts, and "again" only after one (health also changes per packet).
  let lastProblem = sendingProblem(discovery.health());
  const offHealth = discovery.onHealth((h) => {
    const problem = sendingProblem(h);
    if (problem && problem !== lastProblem) ctx.stderr.write(`pws: ${problem}\n`);
    else if (!problem && lastProblem && h.sending === 'ok') ctx.stderr.write('pws: mDNS queries are going out again\n');
    lastProblem = problem;
  });
  try {
    unwrap(await discovery.start());
    for (const d of discovery.snapshot()) if (!stopped.aborted) write({ event: 'added', device: d });
    if (!ctx.json) ctx.stderr.write('Watching for devices; press Ctrl-C to stop.\n');
    await new Promise<void>((resolve) => {
      if (stopped.aborted) return resolve();
      const t = timeoutMs === undefined ? undefined : setTimeout(resolve, timeoutMs);
      stopped.addEventListener(
        'abort',
        () => {
          if (t) clearTimeout(t);
          resolve();
        },
        { once: true },
      );
    });
  } finally {
    off();
    offHealth();
  }
}

export const discoverCommand: CliCommand = {
  usage: 'discover [--timeout SECONDS] [--watch] [--all] [--json]',
  description: [
    'Browses _ssh._tcp over mDNS on every network interface (IPv4 and IPv6) and lists the boards found.',
    'Without --all only services whose TXT record carries `mblos` (Mbed Linux OS) are listed.',
    '  --timeout SECONDS  the most to wait (default 3); it ends as soon as the list has settled (with --watch, stop after it)',
    '  --watch            keep listing changes until Ctrl-C; with --json one {"event","device"} object per line',
    '  --all              include every _ssh._tcp service, not only MBL devices',
    '  --json             an array of {name, hostname, addresses, port, txt} on stdout',
  ].join('\n'),
  options: {
    timeout: { type: 'string' },
    watch: { type: 'boolean' },
    all: { type: 'boolean' },
  },
  async run(ctx) {
    if (ctx.positionals.length) throw usageError(`discover takes no arguments (got "${ctx.positionals[0]}")`);
    const all = Boolean(ctx.values.all);
    const timeoutMs = timeoutMsOf(ctx);
    if (ctx.values.watch) {
      await watch(ctx, all, ctx.values.timeout === undefined ? undefined : timeoutMs);
      return;
    }
    const devices = await discoverForCli(ctx, { timeoutMs, all });
    if (ctx.signal.aborted && !devices.length) throw failure('discover was interrupted before any device was found');
    if (ctx.json) {
      ctx.stdout.write(`${JSON.stringify(devices.map(toDiscoverJson), null, 2)}\n`);
      return;
    }
    if (!devices.length) {
      ctx.stderr.write(`No devices found${all ? '' : ' (only MBL devices are listed; --all shows every _ssh._tcp service)'}.\n`);
      return;
    }
    ctx.stdout.write(`${numberedDeviceLines(devices)}\n`);
  },
};

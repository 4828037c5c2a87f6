import { deviceWhere } from '../../../shared/domain/devices';
import { readSelectedDevice } from '../../services/discovery/selected-device';
import { print, unwrap, usageError, type CliCommand } from '../command';

export const whichCommand: CliCommand = {
  usage: 'which [--json]',
  description:
    'Prints the selected device from ~/.mbl-dev.json as "hostname (address)" (the address alone when it has no other name); --json prints hostname, address and username.',
  async run(ctx) {
    if (ctx.positionals.length) throw usageError('which takes no arguments');
    const d = unwrap(await readSelectedDevice(ctx.core().deps.home));
    // The password field (normally "") is never printed.
    print(ctx, { hostname: d.hostname, address: d.address, username: d.username }, () => deviceWhere(d));
  },
};

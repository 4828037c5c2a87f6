import { createKnownHostsStore } from '../../services/ssh/known-hosts';
import { failure, print, unwrap, usageError, type CliCommand } from '../command';

export const knownHostsCommand: CliCommand = {
  usage: 'known-hosts [list | forget ADDRESS|HOSTNAME] [--json]',
  description: [
    "The devices' SSH host keys the workstation pinned on first connection (<data dir>/known_hosts.json).",
    '  list                      every pinned key',
    '  forget ADDRESS|HOSTNAME   drop a pin (after reflashing a board) so the next connection pins the new key',
  ].join('\n'),
  async run(ctx) {
    const [verb = 'list', target, ...extra] = ctx.positionals;
    if (extra.length) throw usageError(`unexpected argument "${extra[0]}"`);
    if (verb === 'list') {
      const all = await createKnownHostsStore(ctx.core().deps.dataDir).list();
      print(ctx, all, () => Object.entries(all).map(([k, v]) => `${k}  ${v.keyType}  ${v.fingerprint}  (pinned ${v.pinnedAt})`).join('\n') || 'no pinned host keys');
      return;
    }
    if (verb === 'forget') {
      if (!target) throw usageError('usage: pws known-hosts forget ADDRESS|HOSTNAME');
      const { forgotten } = unwrap(await ctx.core().services.provisioning.forgetHostKey(target));
      if (forgotten.length === 0) throw failure(`no pinned host key for "${target}": \`pws known-hosts list\` shows the pinned ones`);
      print(ctx, { forgotten }, () => `forgot the host key of ${forgotten.join(', ')}; the next connection pins the device's current key`);
      return;
    }
    throw usageError(`unknown known-hosts verb "${verb}": use list or forget`);
  },
};

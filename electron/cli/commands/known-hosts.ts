import { HostKeyFingerprintSchema } from '../../../shared/contract/provisioning';
import { describeIdentity } from '../../services/ssh/host-identity';
import { failure, print, unwrap, usageError, type CliCommand } from '../command';

export const knownHostsCommand: CliCommand = {
  usage: 'known-hosts [list | forget ADDRESS|HOSTNAME | trust ADDRESS SHA256:FINGERPRINT] [--json]',
  description: [
    "The devices' SSH host keys the workstation pinned (<data dir>/known_hosts.json). A pin holds every identity",
    'its device was seen with (mDNS instance, hostname, each address); a different key under any of them is refused.',
    '  list                                 every pin, with its identities',
    "  forget ADDRESS|HOSTNAME              drop the device's pin under all its identities (after reflashing a board)",
    '  trust ADDRESS SHA256:FINGERPRINT     pin a key you checked on the board itself (for --strict-host-keys)',
  ].join('\n'),
  async run(ctx) {
    const [verb = 'list', target, fingerprint, ...extra] = ctx.positionals;
    if (extra.length || (verb !== 'trust' && fingerprint !== undefined)) throw usageError(`unexpected argument "${extra[0] ?? fingerprint}"`);
    if (verb === 'list') {
      if (target !== undefined) throw usageError(`unexpected argument "${target}": pws known-hosts list takes none`);
      const all = unwrap(await ctx.core().services.provisioning.hostKeys());
      print(
        ctx,
        all,
        () =>
          all.map((p) => `${p.keyType}  ${p.fingerprint}  (pinned ${p.pinnedAt})\n    ${p.identities.map(describeIdentity).join(', ')}`).join('\n') ||
          'no pinned host keys',
      );
      return;
    }
    if (verb === 'forget') {
      if (!target) throw usageError('usage: pws known-hosts forget ADDRESS|HOSTNAME');
      const { forgotten } = unwrap(await ctx.core().services.provisioning.forgetHostKey(target));
      if (forgotten.length === 0) throw failure(`no pinned host key for "${target}": \`pws known-hosts list\` shows the pinned ones`);
      print(ctx, { forgotten }, () => `forgot the host key pinned under ${forgotten.join(', ')}; the next connection pins the device's current key`);
      return;
    }
    if (verb === 'trust') {
      if (!target || !fingerprint)
        throw usageError('usage: pws known-hosts trust ADDRESS SHA256:FINGERPRINT (the fingerprint from the refusal message, checked on the board)');
      const form = HostKeyFingerprintSchema.safeParse(fingerprint);
      if (!form.success) throw usageError(`fingerprint "${fingerprint}" ${form.error.issues[0]!.message}`);
      const r = unwrap(await ctx.core().services.provisioning.trustHostKey(target, { fingerprint }));
      print(ctx, r, () => `pinned ${r.trusted} for ${target}`);
      return;
    }
    throw usageError(`unknown known-hosts verb "${verb}": use list, forget or trust`);
  },
};

import { describe, expect, it } from 'vitest';
import { fail, ok } from '../../../../../shared/contract/result';
import { ManualDevices } from '../../../../../electron/services/discovery/manual-devices';

const resolvesTo =
  (...addresses: string[]) =>
  async (host: string) =>
    addresses.length ? ok(addresses) : fail('unresolvable-address', `${host} does not resolve`);

describe('ManualDevices', () => {
  it('builds a device from its entry, with the address typed, its port and interface scope', () => {
    const d = new ManualDevices().device({ address: '[fe80::1%eth0]:2222', nickname: 'bench A' });
    expect(d).toMatchObject({ name: '[fe80::1%eth0]:2222', addresses: ['fe80::1%eth0'], port: 2222, interface: 'eth0', source: 'manual', nickname: 'bench A' });
  });

  it('lists each address once (the first entry counts) and leaves out entries that no longer parse', () => {
    const all = new ManualDevices().all([
      { address: '169.254.20.3', nickname: 'first' },
      { address: '169.254.20.3', nickname: 'second' },
      { address: 'not an address!' },
    ]);
    expect([...all.values()].map((d) => d.nickname)).toEqual(['first']);
  });

  it('admits a host name only when it resolves, and then shows the addresses it resolved to', async () => {
    const manual = new ManualDevices();
    expect(await manual.admit([], 'board.local', resolvesTo())).toMatchObject({
      ok: false,
      code: 'unresolvable-address',
      message: 'address: board.local does not resolve',
    });
    const admitted = await manual.admit([], 'board.local', resolvesTo('169.254.20.7'));
    expect(admitted.ok).toBe(true);
    expect(manual.device({ address: 'board.local' })?.addresses).toEqual(['169.254.20.7']);
    manual.forget(admitted.ok ? admitted.value : '');
    expect(manual.device({ address: 'board.local' })?.addresses).toEqual(['board.local']);
  });

  it('refuses an address already listed, and one that does not parse, naming the field', async () => {
    const manual = new ManualDevices();
    expect(await manual.admit([{ address: '169.254.20.3' }], '169.254.20.3', resolvesTo())).toMatchObject({ ok: false, code: 'manual-device-exists' });
    expect(await manual.admit([], '300.1.1.1', resolvesTo())).toMatchObject({ ok: false, code: 'invalid-address', message: expect.stringMatching(/^address/) });
  });

  it('keeps host names resolved at start only while discovery still runs', async () => {
    const manual = new ManualDevices();
    await manual.resolveHostNames([{ address: 'board.local' }], resolvesTo('169.254.20.7'), () => false);
    expect(manual.device({ address: 'board.local' })?.addresses).toEqual(['board.local']);
    await manual.resolveHostNames([{ address: 'board.local' }], resolvesTo('169.254.20.7'), () => true);
    expect(manual.device({ address: 'board.local' })?.addresses).toEqual(['169.254.20.7']);
  });
});

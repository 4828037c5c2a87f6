// @vitest-environment jsdom
import { describe, it, expect, beforeEach } from 'vitest';
import { events } from '../../../../shared/contract/index';
import { fail } from '../../../../shared/contract/result';
import type { Settings } from '../../../../shared/contract/settings';
import { setClient } from '../../../../renderer/transport/client';
import { disposeSubscriptions, failedField, latestOnly, STALE, subscribeOnce } from '../../../../renderer/app/store-kit';
import { fakeClient } from '../../../support/renderer/fake-client';

beforeEach(disposeSubscriptions);

describe('renderer store kit', () => {
  it('subscribes a callback once, moves it to a new client, and stops on its disposer or a reset', () => {
    const seen: unknown[] = [];
    const follow = (s: Settings) => seen.push(s.theme);
    const first = fakeClient();
    setClient(first.client);
    const dispose = subscribeOnce(events.settings.changed, follow);
    expect(subscribeOnce(events.settings.changed, follow)).toBe(dispose);
    expect(first.listeners(events.settings.changed)).toBe(1);

    const second = fakeClient();
    setClient(second.client);
    subscribeOnce(events.settings.changed, follow);
    expect([first.listeners(events.settings.changed), second.listeners(events.settings.changed)]).toEqual([0, 1]);
    second.emit(events.settings.changed, { theme: 'dark' } as Settings);
    expect(seen).toEqual(['dark']);

    disposeSubscriptions();
    expect(second.listeners(events.settings.changed)).toBe(0);
    const again = subscribeOnce(events.settings.changed, follow);
    again();
    expect(second.listeners(events.settings.changed)).toBe(0);
  });

  it('answers only the newest of overlapping requests', async () => {
    const latest = latestOnly();
    let releaseOld = (_v: string) => {};
    const old = latest(new Promise<string>((resolve) => (releaseOld = resolve)));
    const newer = latest(Promise.resolve('new'));
    releaseOld('old');
    expect(await newer).toBe('new');
    expect(await old).toBe(STALE);
  });

  it('finds the field a refused request names in the details, never in the message', () => {
    const refused = fail('invalid-request', 'x: nickname: too long (the address is fine)', { issues: [{ path: 'nickname', message: 'too long' }] });
    expect(failedField(refused, ['address', 'nickname'] as const)).toBe('nickname');
    expect(failedField(fail('invalid-address', 'address: not an address'), ['address'] as const)).toBeUndefined();
  });
});

// @vitest-environment jsdom
import { describe, expect, it, vi } from 'vitest';
import { setClient } from '../../../../renderer/transport/client';
import { useIdentitiesStore } from '../../../../renderer/features/identities/identities-store';
import { channels } from '../../../../shared/contract/index';
import { ok } from '../../../../shared/contract/result';
import { fakeClient } from '../../../support/renderer/fake-client';

describe('identities store', () => {
  it('sends the station filter with the others to identities:list', async () => {
    const { client, requests } = fakeClient().answer(channels.identities.list, () => ok([]));
    setClient(client);
    vi.useFakeTimers();
    useIdentitiesStore.getState().setFilter({ station: ' bench-2 ', device: 'os-3' });
    await vi.advanceTimersByTimeAsync(250);
    vi.useRealTimers();
    await vi.waitFor(() => expect(useIdentitiesStore.getState().loaded).toBe(true));
    expect(requests(channels.identities.list).at(-1)).toEqual({ device: 'os-3', station: 'bench-2' });
  });
});

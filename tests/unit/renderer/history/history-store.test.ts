// @vitest-environment jsdom
import { describe, it, expect, vi } from 'vitest';
import { setClient } from '../../../../renderer/transport/client';
import { useHistoryStore } from '../../../../renderer/features/history/history-store';
import { channels } from '../../../../shared/contract/index';
import { ok } from '../../../../shared/contract/result';
import { fakeClient } from '../../../support/renderer/fake-client';

describe('history store', () => {
  it('sends the filters to history:list (typing debounced) and exports the filtered trail as a download', async () => {
    const { client, calls } = fakeClient()
      .answer(channels.history.export, (request) => ok({ format: request.format, text: '[]', fileName: 'audit.json' }))
      .answer(channels.history.list, () => ok([]));
    setClient(client);
    const store = useHistoryStore.getState();
    store.setResult('failed');
    await vi.waitFor(() => expect(useHistoryStore.getState().loaded).toBe(true));
    expect(calls.at(-1)).toEqual({ name: 'history:list', request: { result: 'failed' } });

    vi.useFakeTimers();
    useHistoryStore.getState().setDevice(' os-3 ');
    useHistoryStore.getState().setDevice(' os-4 ');
    await vi.advanceTimersByTimeAsync(250);
    vi.useRealTimers();
    expect(calls.filter((c) => c.name === 'history:list')).toHaveLength(2); // the two keystrokes made one call
    expect(calls.at(-1)!.request).toEqual({ device: 'os-4', result: 'failed' });

    Object.assign(URL, { createObjectURL: vi.fn(() => 'blob:x'), revokeObjectURL: vi.fn() });
    const clicked: string[] = [];
    vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(function (this: HTMLAnchorElement) {
      clicked.push(this.download);
    });
    expect(await useHistoryStore.getState().exportAs('json')).toBeNull();
    expect(calls.at(-1)).toEqual({ name: 'history:export', request: { device: 'os-4', result: 'failed', format: 'json' } });
    expect(clicked).toEqual(['audit.json']);
  });

  it('filters by station and keeps how many entries wait to sync', async () => {
    const { client, requests } = fakeClient()
      .answer(channels.history.syncStatus, () => ok({ store: 'database' as const, location: 'postgres://pws@db/pws', waitingToSync: 3 }))
      .answer(channels.history.list, () => ok([]));
    setClient(client);
    useHistoryStore.getState().setStation('bench-2');
    await vi.waitFor(() => expect(useHistoryStore.getState().sync?.waitingToSync).toBe(3));
    expect(requests(channels.history.list).at(-1)).toMatchObject({ station: 'bench-2' });
  });
});

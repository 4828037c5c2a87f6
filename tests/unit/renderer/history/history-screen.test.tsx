// @vitest-environment jsdom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { cleanup, fireEvent, render, screen } from '@testing-library/react';
import { setClient } from '../../../../renderer/transport/client';
import { HistoryScreen } from '../../../../renderer/features/history/HistoryScreen';
import { useHistoryStore } from '../../../../renderer/features/history/history-store';
import { channels } from '../../../../shared/contract/index';
import { ok } from '../../../../shared/contract/result';
import type { AuditEntry } from '../../../../shared/contract/history';
import { fakeClient } from '../../../support/renderer/fake-client';

afterEach(cleanup);

const entry: AuditEntry = {
  time: '2026-01-01T00:00:00Z',
  station: 'bench-2',
  runId: 'r1',
  operator: 'o',
  door: 'cli',
  device: { name: '169.254.20.1', addresses: ['169.254.20.1'] },
  devCert: { name: 'lab-dev', fingerprint: 'aa' },
  updateCert: { name: 'upd' },
  stages: [],
  result: 'passed',
  stage: 'done',
  durationMs: 1,
};

function showHistory(waitingToSync: number, entries: AuditEntry[] = [entry]) {
  const { client } = fakeClient()
    .answer(channels.history.syncStatus, () => ok({ store: 'database' as const, location: 'postgres://pws@db/pws', waitingToSync }))
    .answer(channels.history.list, () => ok(entries));
  setClient(client);
  render(<HistoryScreen />);
}

describe('History screen', () => {
  it('says how many entries wait in the local journal for the shared database', async () => {
    showHistory(3);
    expect((await screen.findByRole('status')).textContent).toBe('3 entries waiting to sync to the shared database postgres://pws@db/pws');
    expect(screen.getByRole('cell', { name: 'bench-2' })).toBeDefined();
  });

  it('says nothing about syncing when nothing waits', async () => {
    showHistory(0);
    await screen.findByRole('cell', { name: 'bench-2' });
    await vi.waitFor(() => expect(useHistoryStore.getState().sync?.waitingToSync).toBe(0));
    expect(screen.queryByText(/waiting to sync/)).toBeNull();
  });

  it('shows a long error in two lines, and all of it from a button a keyboard reaches', async () => {
    const message = `device 169.254.20.1: host key changed (pinned SHA256:${'a'.repeat(43)} under 169.254.20.1, presented SHA256:${'b'.repeat(43)}); if the board was re-flashed, forget its key and try again`;
    const failed: AuditEntry = { ...entry, result: 'failed', stage: 'connect', error: { code: 'host-key-changed', message } };
    const short: AuditEntry = { ...failed, runId: 'r2', error: { code: 'unreachable', message: 'no answer' } };
    showHistory(0, [failed, short]);
    const more = await screen.findByRole('button', { name: 'Show all of the error' });
    expect(screen.getAllByRole('button', { name: /Show all/ })).toHaveLength(1);
    const text = screen.getByText(/host key changed/);
    expect(text.className).not.toContain('open');
    expect(more.getAttribute('aria-expanded')).toBe('false');
    fireEvent.click(more);
    expect(text.className).toContain('open');
    expect(more.getAttribute('aria-expanded')).toBe('true');
    expect(screen.getByRole('button', { name: 'Show less of the error' })).toBe(more);
  });
});

// @vitest-environment jsdom
import { describe, it, expect, afterEach } from 'vitest';
import { cleanup, render, screen, within } from '@testing-library/react';
import { useProvisioningStore } from '../../../../renderer/features/provisioning/provisioning-store';
import { ResultsTable } from '../../../../renderer/features/provisioning/ResultsTable';
import type { RunSnapshot } from '../../../../shared/contract/provisioning';

const FINGERPRINT = 'SHA256:q3ZzTi9kM2VZ0pVqY2n3cXJ5dWl0b3BhcwExAmPlE';

const finishedRun = (ownIdentity: boolean): RunSnapshot => ({
  runId: 'r1',
  startedAt: '2026-11-29T10:00:00.000Z',
  finishedAt: '2026-11-29T10:00:04.000Z',
  concurrency: 8,
  devCert: { name: 'dev' },
  updateCert: { name: 'upd' },
  ...(ownIdentity && { identity: { ca: { name: 'line-ca' }, endpointTemplate: '{hostname}', reissue: false } }),
  devices: [
    {
      device: 'mdns:board-1@eth0',
      hostname: 'board-1',
      address: '169.254.20.1',
      state: 'passed',
      stage: 'done',
      message: 'provisioned',
      durationMs: 800,
      stages: [],
      log: [],
      hostKeyFingerprint: FINGERPRINT,
      hostKeyNewlyPinned: true,
      ...(ownIdentity && { identity: { endpointName: 'board-1', enrollmentIdentity: 'A-35:e7:72:8a' } }),
    },
  ],
  passed: 1,
  failed: 0,
  cancelled: 0,
  finished: true,
});

afterEach(cleanup);

describe('ResultsTable', () => {
  it.each([
    ['a developer-certificate run', false, 6],
    ['an own-identity run', true, 8],
  ])('in %s, the newly pinned host key row spans every column after its row header', (_name, ownIdentity, columns) => {
    useProvisioningStore.setState({ run: finishedRun(ownIdentity), labels: {} });
    render(<ResultsTable />);
    const table = screen.getByRole('table', { name: 'Result per device' });
    expect(within(table).getAllByRole('columnheader')).toHaveLength(columns);
    const keyRow = table.querySelector('tr.new-host-key')!;
    expect(keyRow.textContent).toContain(FINGERPRINT);
    const spanned = [...keyRow.children].reduce((sum, cell) => sum + ((cell as HTMLTableCellElement).colSpan || 1), 0);
    expect(spanned).toBe(columns);
  });

  it.each([
    [['failed', 'failed'], 'Retry failed (2)'],
    [['failed', 'cancelled'], 'Retry failed and cancelled (2)'],
    [['cancelled'], 'Retry cancelled (1)'],
  ] as const)('with %j boards, the retry button says which it retries: %s', (states, label) => {
    const run = finishedRun(false);
    const board = run.devices[0]!;
    const devices = states.map((state, i) => ({ ...board, device: `mdns:board-${i}@eth0`, hostname: `board-${i}`, state, stage: 'provision' as const }));
    const count = (state: string) => states.filter((s) => s === state).length;
    useProvisioningStore.setState({ run: { ...run, devices, passed: 0, failed: count('failed'), cancelled: count('cancelled') }, labels: {} });
    render(<ResultsTable />);
    expect(screen.getByRole('button', { name: label })).toBeTruthy();
  });
});

describe('ResultsTable counts', () => {
  const badges = () => [...document.querySelectorAll('p.counts .badge')].map((b) => [b.textContent, b.className]);

  it('a count of zero is muted: a red "0 failed" after a clean run reads as a failure', () => {
    useProvisioningStore.setState({ run: finishedRun(false), labels: {} });
    render(<ResultsTable />);
    expect(badges()).toEqual([
      ['1 passed', 'badge badge-ok'],
      ['0 failed', 'badge badge-muted'],
    ]);
  });

  it('a count above zero keeps its colour, and so a run where every board failed shows no green', () => {
    const run = finishedRun(false);
    const failed = { ...run.devices[0]!, state: 'failed' as const, stage: 'provision' as const };
    useProvisioningStore.setState({ run: { ...run, devices: [failed], passed: 0, failed: 1 }, labels: {} });
    render(<ResultsTable />);
    expect(badges()).toEqual([
      ['0 passed', 'badge badge-muted'],
      ['1 failed', 'badge badge-danger'],
    ]);
  });
});

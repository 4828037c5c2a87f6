// @vitest-environment jsdom
import { describe, it, expect, afterEach } from 'vitest';
import { cleanup, render, screen } from '@testing-library/react';
import { setClient } from '../../../../renderer/transport/client';
import { useProvisioningStore } from '../../../../renderer/features/provisioning/provisioning-store';
import { RunBoard } from '../../../../renderer/features/provisioning/RunBoard';
import type { RunSnapshot } from '../../../../shared/contract/provisioning';
import { fakeClient } from '../../../support/renderer/fake-client';

afterEach(cleanup);

const FAILURE = 'pelion-provisioning-util --store-all failed (exit 3): check the board, then retry';

const runWith = (message: string): RunSnapshot => ({
  runId: 'r1',
  startedAt: '2026-11-29T10:00:00.000Z',
  concurrency: 8,
  devCert: { name: 'dev' },
  updateCert: { name: 'upd' },
  devices: [
    {
      device: 'mdns:board-1@eth0',
      address: '169.254.20.1',
      state: 'failed',
      stage: 'provision',
      message,
      durationMs: 900,
      stages: [],
      log: [],
      error: { code: 'utility-failed', message: FAILURE },
    },
  ],
  passed: 0,
  failed: 1,
  cancelled: 0,
  finished: false,
});

describe("a failed board's card", () => {
  it('says the failure once, in its error box, not again as the progress line', () => {
    setClient(fakeClient().client);
    useProvisioningStore.setState({ run: runWith(FAILURE), live: {}, labels: {} });
    render(<RunBoard />);
    expect(screen.getAllByText(FAILURE)).toHaveLength(1);
  });

  it('keeps a progress line that says something else', () => {
    setClient(fakeClient().client);
    useProvisioningStore.setState({ run: runWith('verifying'), live: {}, labels: {} });
    render(<RunBoard />);
    expect(screen.getByText('verifying')).toBeTruthy();
    expect(screen.getByText(FAILURE)).toBeTruthy();
  });
});

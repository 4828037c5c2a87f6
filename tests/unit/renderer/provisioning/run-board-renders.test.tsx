// @vitest-environment jsdom
import { describe, it, expect, vi, afterEach } from 'vitest';
import { Profiler } from 'react';
import { act, cleanup, render, screen } from '@testing-library/react';
import { setClient } from '../../../../renderer/transport/client';
import { useProvisioningStore } from '../../../../renderer/features/provisioning/provisioning-store';
import { ProvisioningScreen } from '../../../../renderer/features/provisioning/ProvisioningScreen';
import { channels, events } from '../../../../shared/contract/index';
import type { DeviceRunSnapshot, RunSnapshot } from '../../../../shared/contract/provisioning';
import { ok } from '../../../../shared/contract/result';
import { fakeClient } from '../../../support/renderer/fake-client';

/** The render counter: a board row works out its stepper once per render, so each call is one row rendered. */
const rowsRendered = vi.hoisted(() => [] as string[]);
vi.mock('../../../../renderer/features/provisioning/run-view', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../../../renderer/features/provisioning/run-view')>();
  return {
    ...real,
    stepStates: (d: DeviceRunSnapshot) => {
      rowsRendered.push(d.device);
      return real.stepStates(d);
    },
  };
});

const DEVICES = 40;
const key = (i: number) => `mdns:board-${String(i).padStart(2, '0')}@eth0`;
const liveRun = (): RunSnapshot => ({
  runId: 'r1',
  startedAt: new Date().toISOString(),
  concurrency: 8,
  devCert: { name: 'dev' },
  updateCert: { name: 'upd' },
  devices: Array.from({ length: DEVICES }, (_, i) => ({
    device: key(i),
    address: `169.254.20.${i + 1}`,
    state: 'queued',
    stage: 'queued',
    message: 'waiting',
    durationMs: 0,
    stages: [],
    log: [],
  })),
  passed: 0,
  failed: 0,
  cancelled: 0,
  finished: false,
});

afterEach(() => {
  cleanup();
  vi.useRealTimers();
});

describe('live board rendering', () => {
  it('re-renders only the row of the device a progress or finished event is about, not the whole board', async () => {
    // Elapsed times tick on intervals; held still here, so every commit counted comes from an event.
    vi.useFakeTimers({ toFake: ['setInterval', 'clearInterval'] });
    const fake = fakeClient().answer(channels.provisioning.runs, () => ok([]));
    setClient(fake.client);
    useProvisioningStore.setState({ run: liveRun(), live: {}, labels: {}, cancelling: new Set() });
    const commits: Array<{ phase: string; duration: number }> = [];
    render(
      <Profiler id="provisioning" onRender={(_id, phase, actualDuration) => commits.push({ phase, duration: actualDuration })}>
        <ProvisioningScreen />
      </Profiler>,
    );
    await screen.findByRole('list', { name: 'Devices in this run' });
    expect(new Set(rowsRendered).size).toBe(DEVICES);

    const after = async (push: () => void) => {
      rowsRendered.length = 0;
      commits.length = 0;
      await act(async () => push());
      return { rows: [...rowsRendered], commits: commits.length };
    };

    const progress = await after(() =>
      fake.emit(events.provisioning.progress, { runId: 'r1', device: key(7), stage: 'stage', progress: 0.4, message: 'uploading 2/4' }),
    );
    expect(progress).toEqual({ rows: [key(7)], commits: 1 });
    expect(screen.getByRole('listitem', { name: key(7) }).textContent).toContain('uploading 2/4');

    const another = await after(() =>
      fake.emit(events.provisioning.progress, { runId: 'r1', device: key(31), stage: 'connect', progress: 0.1, message: 'connecting' }),
    );
    expect(another).toEqual({ rows: [key(31)], commits: 1 });

    const done: DeviceRunSnapshot = { ...liveRun().devices[7]!, state: 'passed', stage: 'done', message: 'provisioned', durationMs: 4200 };
    const finished = await after(() => fake.emit(events.provisioning.deviceFinished, { runId: 'r1', device: done }));
    expect(finished).toEqual({ rows: [key(7)], commits: 1 });
    expect(screen.getByText('1 passed')).toBeTruthy();
    // Rendering a board in jsdom is slow on a loaded machine; the assertions count renders, never time.
  }, 30_000);
});

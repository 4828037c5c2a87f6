import { describe, it, expect } from 'vitest';
import type { DeviceRunSnapshot, RunSnapshot } from '../../../../shared/contract/provisioning';
import {
  applyDeviceFinished,
  applyProgress,
  deviceProgress,
  overallProgress,
  runCounts,
  stepStates,
} from '../../../../renderer/features/provisioning/run-view';
import { deviceRun as dev } from '../../../support/renderer/run-snapshots';

const run = (devices: DeviceRunSnapshot[]): RunSnapshot => ({
  runId: 'r1',
  startedAt: '2026-01-01T00:00:00Z',
  concurrency: 2,
  devCert: { name: 'dev' },
  updateCert: { name: 'upd' },
  devices,
  passed: 0,
  failed: 0,
  cancelled: 0,
  finished: false,
});

describe('live board view', () => {
  it('marks the steps done, active, failed or skipped', () => {
    expect(stepStates(dev('a', { state: 'running', stage: 'provision' }))).toMatchObject({
      connect: 'done',
      stage: 'done',
      provision: 'active',
      verify: 'pending',
    });
    const failed = stepStates(
      dev('a', {
        state: 'failed',
        stage: 'provision',
        stages: [
          { stage: 'connect', durationMs: 1, ok: true },
          { stage: 'stage', durationMs: 1, ok: true },
          { stage: 'provision', durationMs: 1, ok: false },
          { stage: 'cleanup', durationMs: 1, ok: true },
        ],
      }),
    );
    expect(failed).toMatchObject({ connect: 'done', provision: 'failed', verify: 'skipped', cleanup: 'done', 'restart-client': 'skipped' });
    expect(Object.values(stepStates(dev('a', { state: 'passed', stage: 'done' })))).toEqual(Array(6).fill('done'));
  });

  it('applies progress and finished events and counts', () => {
    let r = run([dev('a'), dev('b')]);
    r = applyProgress(r, { runId: 'r1', device: 'a', stage: 'stage', progress: 0.3, message: 'uploading' });
    expect(r.devices[0]).toMatchObject({ state: 'running', stage: 'stage', message: 'uploading' });
    expect(deviceProgress(r.devices[0]!, 0.3)).toBeCloseTo(0.3);
    r = applyDeviceFinished(r, dev('b', { state: 'failed', stage: 'connect', error: { code: 'unreachable', message: 'b: unreachable' } }));
    expect(r.failed).toBe(1);
    expect(runCounts(r)).toMatchObject({ total: 2, running: 1, failed: 1, finished: 1 });
    expect(overallProgress(r, { a: 0.3 })).toBeCloseTo(0.65);
    // A late progress line after the device finished does not bring it back to running.
    expect(applyProgress(r, { runId: 'r1', device: 'b', stage: 'cleanup', progress: -1, message: 'late' }).devices[1]!.state).toBe('failed');
  });

  it("a progress event that carries a device's own identity shows it from then on, also on later events without it", () => {
    let r = run([dev('a')]);
    r = applyProgress(r, {
      runId: 'r1',
      device: 'a',
      stage: 'stage',
      progress: 0.2,
      message: 'issued',
      identity: { endpointName: 'lab-7', enrollmentIdentity: 'A-aa' },
    });
    r = applyProgress(r, { runId: 'r1', device: 'a', stage: 'provision', progress: 0.5, message: 'provisioning' });
    expect(r.devices[0]).toMatchObject({ stage: 'provision', identity: { endpointName: 'lab-7', enrollmentIdentity: 'A-aa' } });
  });
});

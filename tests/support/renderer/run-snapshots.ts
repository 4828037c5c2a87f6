import type { DeviceRunSnapshot } from '../../../shared/contract/provisioning';

/** One device of a run as `provisioning:run-snapshot` lists it, queued unless told otherwise. */
export const deviceRun = (device: string, extra: Partial<DeviceRunSnapshot> = {}): DeviceRunSnapshot => ({
  device,
  address: device,
  state: 'queued',
  stage: 'queued',
  message: 'waiting',
  durationMs: 0,
  stages: [],
  log: [],
  ...extra,
});

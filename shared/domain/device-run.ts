import type { DeviceRef, DeviceRunSnapshot } from '../contract/provisioning';
import { deviceKey } from './devices';

/** A device of a run before any work on it: how the runner lists it, and how the screen shows it until then. */
export function queuedDeviceRun(ref: DeviceRef): DeviceRunSnapshot {
  return {
    device: deviceKey(ref),
    address: ref.address,
    ...(ref.hostname ? { hostname: ref.hostname } : {}),
    state: 'queued',
    stage: 'queued',
    message: 'waiting',
    durationMs: 0,
    stages: [],
    log: [],
  };
}

import type { DeviceRunSnapshot } from '../../../shared/contract/provisioning';
import { queuedDeviceRun } from '../../../shared/domain/device-run';

/** One device of a run as `provisioning:run-snapshot` lists it, queued unless told otherwise. */
export const deviceRun = (device: string, extra: Partial<DeviceRunSnapshot> = {}): DeviceRunSnapshot => ({
  ...queuedDeviceRun({ address: device }),
  device,
  ...extra,
});

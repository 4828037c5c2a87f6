import { create } from 'zustand';
import type { DeviceRef } from '../../shared/contract/provisioning';

/** A device chosen for provisioning: the core's reference to it and what the user calls it (nickname or name). */
export interface PreparedDevice {
  ref: DeviceRef;
  label: string;
}

interface PreparedDevicesState {
  /** Devices handed over from the Devices screen, waiting for certificates and confirmation. */
  prepared: PreparedDevice[];
  prepare(devices: PreparedDevice[]): void;
}

/** The hand-over from the Devices screen to the Provisioning screen: the one piece of state two features share. */
export const usePreparedDevices = create<PreparedDevicesState>((set) => ({
  prepared: [],
  prepare(devices) {
    set({ prepared: devices });
  },
}));

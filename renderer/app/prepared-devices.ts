import { create } from 'zustand';
import type { DeviceRef } from '../../shared/contract/provisioning';
import { onePerBoard, selectedTwiceNote } from '../../shared/domain/device-run';

/** A device chosen for provisioning: the core's reference to it and what the user calls it (nickname or name). */
export interface PreparedDevice {
  ref: DeviceRef;
  label: string;
}

interface PreparedDevicesState {
  /** Devices handed over from the Devices screen, waiting for certificates and confirmation: one per board. */
  prepared: PreparedDevice[];
  /** A sentence per board that was selected in two rows (announced, and added by address or name). */
  selectedTwice: string[];
  prepare(devices: PreparedDevice[]): void;
}

/** The hand-over from the Devices screen to the Provisioning screen: the one piece of state two features share. */
export const usePreparedDevices = create<PreparedDevicesState>((set) => ({
  prepared: [],
  selectedTwice: [],
  prepare(devices) {
    const byRef = new Map(devices.map((d) => [d.ref, d]));
    const { refs, repeats } = onePerBoard(devices.map((d) => d.ref));
    set({
      prepared: refs.map((ref) => byRef.get(ref)!),
      selectedTwice: repeats.map(({ kept, repeat }) => selectedTwiceNote(byRef.get(kept)!.label, byRef.get(repeat)!.label)),
    });
  },
}));

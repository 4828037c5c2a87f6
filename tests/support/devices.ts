import type { Device } from '../../shared/domain/devices';

/** An announced MBL board on eth0, present and not starred, as discovery lists one; `over` changes any field. */
export function announcedDevice(name: string, over: Partial<Device> = {}): Device {
  return {
    id: `mdns:${name}@eth0`,
    name,
    hostname: name,
    addresses: [],
    port: 22,
    txt: { mblos: true },
    isMbl: true,
    lastSeen: null,
    source: 'mdns',
    present: true,
    interface: 'eth0',
    favourite: false,
    ...over,
  };
}

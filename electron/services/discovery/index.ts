/** Discovery's public surface for other services and commands. */
export { createDiscoveryService, discoverOnce, type DiscoveryService, type DiscoverOnceOptions } from './discovery-service';
export { readSelectedDevice, writeSelectedDevice, selectedDeviceFile, type SelectedDevice } from './selected-device';
export type { MdnsTransport } from './mdns-transport';

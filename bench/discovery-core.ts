// The discovery core as the scale bench times it: this entry is bundled the way the app's own bundles are
// (`node scripts/build.mjs bench` → dist/bench/discovery-core.cjs). Run through tsx instead, every function
// would carry esbuild's `__name` wrapper, work the shipped app never does.
export { createDiscoveryService } from '../electron/services/discovery/discovery-service';
export { EventHub } from '../electron/services/events';
export { silentLogger } from '../electron/services/log';
export { loadBonjour } from '../electron/services/discovery/mdns-transport';

import type { PreloadBridge } from '../../shared/contract/bridge';
import type { Transport } from './transport';

declare global {
  interface Window {
    pws?: PreloadBridge;
  }
}

/** The contract over the preload bridge Electron exposes as `window.pws`. */
export function bridgeTransport(bridge: PreloadBridge): Transport {
  return {
    door: 'electron',
    invoke: (name, request) => {
      const fn = bridge.calls[name];
      return fn ? fn(request) : Promise.resolve({ ok: false, code: 'unknown-channel', message: `"${name}" is not exposed by the preload bridge` });
    },
    subscribe: (event, callback) => bridge.subscribe(event, callback),
  };
}

import type { Channel, EventDef, PayloadOf, RequestOf, ResultOf } from '../../shared/contract/channel';

/** How the renderer reaches the core: the preload bridge inside Electron, a WebSocket in a browser. */
export interface Transport {
  door: 'electron' | 'web';
  invoke(channel: string, request: unknown): Promise<unknown>;
  subscribe(event: string, callback: (payload: unknown) => void): () => void;
}

/** The typed face of a transport: the channel object fixes both the request and the result types. */
export interface Client {
  door: Transport['door'];
  call<C extends Channel>(channel: C, request: RequestOf<C>): Promise<ResultOf<C>>;
  on<E extends EventDef>(event: E, callback: (payload: PayloadOf<E>) => void): () => void;
}

import { EventEmitter } from 'node:events';
import type { EventDef, PayloadOf } from '../../shared/contract/channel';

/**
 * The one channel by which services push events (discovery updates, run progress). Each door
 * (IPC, web host, CLI) subscribes and forwards them its own way.
 */
export class EventHub {
  readonly #emitter = new EventEmitter();

  constructor() {
    this.#emitter.setMaxListeners(0);
  }

  emit<E extends EventDef>(event: E, payload: PayloadOf<E>): void {
    this.#emitter.emit('event', event.name, payload);
  }

  /** Every event, by name. Returns an unsubscribe function. */
  onAny(listener: (name: string, payload: unknown) => void): () => void {
    this.#emitter.on('event', listener);
    return () => this.#emitter.off('event', listener);
  }

  on<E extends EventDef>(event: E, listener: (payload: PayloadOf<E>) => void): () => void {
    return this.onAny((name, payload) => {
      if (name === event.name) listener(payload as PayloadOf<E>);
    });
  }
}

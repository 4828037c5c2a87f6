/**
 * Work that arrives while it is being done (devices as discovery resolves them), taken by a pool of workers:
 * `take` hands out the next item, waits while none is there, and answers undefined once the queue has ended
 * and is empty. An item pushed after the end is refused, so nothing is queued that no worker will take.
 */
export class ArrivalQueue<T> {
  readonly #items: T[] = [];
  readonly #waiting: Array<(item: T | undefined) => void> = [];
  #ended = false;

  /** Queues an item (or hands it to a waiting worker); false once the queue has ended. */
  push(item: T): boolean {
    if (this.#ended) return false;
    const worker = this.#waiting.shift();
    if (worker) worker(item);
    else this.#items.push(item);
    return true;
  }

  /** No more items will come: workers finish what is queued, then stop. */
  end(): void {
    this.#ended = true;
    for (const worker of this.#waiting.splice(0)) worker(undefined);
  }

  get ended(): boolean {
    return this.#ended;
  }

  take(): Promise<T | undefined> {
    if (this.#items.length) return Promise.resolve(this.#items.shift());
    if (this.#ended) return Promise.resolve(undefined);
    return new Promise((resolve) => this.#waiting.push(resolve));
  }
}

/** Runs `fn` on each item of the queue, at most `limit` at once, until the queue has ended and drained. */
export async function drainQueue<T>(queue: ArrivalQueue<T>, limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  const worker = async () => {
    for (let item = await queue.take(); item !== undefined; item = await queue.take()) await fn(item);
  };
  await Promise.all(Array.from({ length: Math.max(1, limit) }, worker));
}

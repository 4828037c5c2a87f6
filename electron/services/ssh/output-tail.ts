/** How much of one stream of one remote command is kept: a device that prints without end must not fill our memory. */
export const MAX_CAPTURED_OUTPUT_BYTES = 256 * 1024;

/** Keeps the last `limit` bytes of a stream; the text starts with a note saying how much was cut. */
export class OutputTail {
  #chunks: Buffer[] = [];
  #size = 0;
  #cut = 0;

  constructor(readonly limit = MAX_CAPTURED_OUTPUT_BYTES) {}

  push(chunk: Buffer): void {
    this.#chunks.push(chunk);
    this.#size += chunk.length;
    while (this.#size > this.limit) {
      const head = this.#chunks[0]!;
      const drop = Math.min(head.length, this.#size - this.limit);
      if (drop === head.length) this.#chunks.shift();
      else this.#chunks[0] = head.subarray(drop);
      this.#size -= drop;
      this.#cut += drop;
    }
  }

  get cutBytes(): number {
    return this.#cut;
  }

  text(): string {
    const body = Buffer.concat(this.#chunks).toString('utf8');
    return this.#cut ? `[output cut: the first ${this.#cut} bytes were dropped, the last ${this.limit} kept]\n${body}` : body;
  }
}

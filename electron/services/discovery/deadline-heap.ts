/** A min-heap of (time, key) pairs: what is due next, in O(log n) per push and pop. */
export class DeadlineHeap<K> {
  readonly #items: Array<{ at: number; key: K; gen: number }> = [];

  get size(): number {
    return this.#items.length;
  }

  push(at: number, key: K, gen: number): void {
    // Sift up by moving parents down into the hole (no swaps: one is pushed per cached record).
    const items = this.#items;
    const item = { at, key, gen };
    let i = items.length;
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (items[parent]!.at <= at) break;
      items[i] = items[parent]!;
      i = parent;
    }
    items[i] = item;
  }

  peek(): { at: number; key: K; gen: number } | undefined {
    return this.#items[0];
  }

  pop(): { at: number; key: K; gen: number } | undefined {
    const items = this.#items;
    const top = items[0];
    const last = items.pop();
    if (!top || !last || items.length === 0) return top;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      const r = l + 1;
      let m = l < items.length && items[l]!.at < last.at ? l : -1;
      if (r < items.length && items[r]!.at < (m < 0 ? last.at : items[m]!.at)) m = r;
      if (m < 0) break;
      items[i] = items[m]!;
      i = m;
    }
    items[i] = last;
    return top;
  }

  /** Keeps only the items `live` accepts (drops entries superseded by a later push for the same key). */
  compact(live: (key: K, gen: number) => boolean): void {
    const keep = this.#items.filter((x) => live(x.key, x.gen));
    this.#items.length = 0;
    for (const x of keep) this.push(x.at, x.key, x.gen);
  }

  clear(): void {
    this.#items.length = 0;
  }
}

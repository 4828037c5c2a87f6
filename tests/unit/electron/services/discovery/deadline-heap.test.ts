import { describe, expect, it } from 'vitest';
import { DeadlineHeap } from '../../../../../electron/services/discovery/deadline-heap';

/** A small deterministic generator, so a failure can be replayed. */
function lcg(seed: number) {
  let s = seed;
  return () => (s = (s * 1_103_515_245 + 12_345) % 2 ** 31) / 2 ** 31;
}

describe('DeadlineHeap', () => {
  it('pops in deadline order, whatever order deadlines were pushed and popped in', () => {
    const random = lcg(7);
    const heap = new DeadlineHeap<number>();
    const held: number[] = [];
    for (let i = 0; i < 5_000; i++) {
      if (random() < 0.6 || !held.length) {
        const at = Math.floor(random() * 1_000);
        heap.push(at, i, 0);
        held.push(at);
      } else {
        const top = heap.pop()!;
        held.sort((a, b) => a - b);
        expect(top.at).toBe(held.shift());
      }
    }
    const rest: number[] = [];
    while (heap.size) rest.push(heap.pop()!.at);
    expect(rest).toEqual(held.sort((a, b) => a - b));
    expect(heap.pop()).toBeUndefined();
  });

  it('keeps the deadlines a compaction accepts, still in order', () => {
    const heap = new DeadlineHeap<string>();
    for (let i = 20; i > 0; i--) heap.push(i, `k${i}`, i % 2);
    heap.compact((_key, gen) => gen === 1);
    const order: number[] = [];
    for (let top = heap.pop(); top; top = heap.pop()) order.push(top.at);
    expect(order).toEqual([1, 3, 5, 7, 9, 11, 13, 15, 17, 19]);
  });
});

import { describe, expect, it } from 'vitest';
import { ArrivalQueue, drainQueue } from '../../../../../electron/services/provisioning/arrival-queue';

const tick = () => new Promise((r) => setTimeout(r, 0));

describe('ArrivalQueue', () => {
  it('hands items out in order, waits while it is empty, and answers undefined once ended and drained', async () => {
    const q = new ArrivalQueue<number>();
    q.push(1);
    expect(await q.take()).toBe(1);
    const waiting = q.take();
    let got: number | undefined | 'nothing yet' = 'nothing yet';
    void waiting.then((v) => (got = v));
    await tick();
    expect(got).toBe('nothing yet');
    q.push(2);
    expect(await waiting).toBe(2);
    q.push(3);
    q.end();
    expect(await q.take()).toBe(3);
    expect(await q.take()).toBeUndefined();
  });

  it('ends every waiting worker at once, and refuses an item pushed after the end', async () => {
    const q = new ArrivalQueue<string>();
    const workers = [q.take(), q.take()];
    q.end();
    expect(await Promise.all(workers)).toEqual([undefined, undefined]);
    expect(q.push('late')).toBe(false);
    expect(await q.take()).toBeUndefined();
  });
});

describe('drainQueue', () => {
  it('works on items as they arrive, never more than the limit at once, and ends when the queue has ended and drained', async () => {
    const q = new ArrivalQueue<number>();
    let inFlight = 0;
    let most = 0;
    const done: number[] = [];
    const release: Array<() => void> = [];
    let finished = false;
    const drained = drainQueue(q, 2, async (n) => {
      inFlight++;
      most = Math.max(most, inFlight);
      await new Promise<void>((r) => release.push(r));
      inFlight--;
      done.push(n);
    }).then(() => (finished = true));
    q.push(1);
    await tick();
    expect(inFlight).toBe(1); // started while the queue is still open
    q.push(2);
    q.push(3);
    await tick();
    expect(inFlight).toBe(2);
    release.shift()!();
    await tick();
    expect(done).toEqual([1]);
    expect(inFlight).toBe(2);
    q.end();
    while (release.length) {
      release.shift()!();
      await tick();
    }
    await drained;
    expect(finished).toBe(true);
    expect(done.sort()).toEqual([1, 2, 3]);
    expect(most).toBe(2);
  });

  it('an open queue that never gets an item keeps its workers waiting until it ends', async () => {
    const q = new ArrivalQueue<number>();
    let finished = false;
    const drained = drainQueue(q, 3, async () => undefined).then(() => (finished = true));
    await tick();
    expect(finished).toBe(false);
    q.end();
    await drained;
    expect(finished).toBe(true);
  });
});

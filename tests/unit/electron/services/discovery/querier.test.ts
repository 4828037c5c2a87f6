import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { Querier } from '../../../../../electron/services/discovery/querier';
import { RecordCache, type IncomingRecord } from '../../../../../electron/services/discovery/record-cache';

interface Decoded {
  flag_tc: boolean;
  questions: Array<{ name: string; type: string; class: string }>;
  answers: Array<{ type: string; name: string; ttl: number; data?: unknown }>;
}
const { decode } = createRequire(import.meta.url)('dns-packet') as { decode(b: Buffer): Decoded };

const SVC = '_ssh._tcp.local';
const ptr = (i: number, ttl = 4500): IncomingRecord => ({ type: 'PTR', name: SVC, data: `board-${i}._ssh._tcp.local`, ttl });

function setup() {
  let now = 1_000_000;
  const cache = new RecordCache({ now: () => now, random: () => 0 });
  const sent: Array<{ at: number; link: string; packets: Decoded[]; raw: Buffer[] }> = [];
  const querier = new Querier({
    cache,
    service: SVC,
    now: () => now,
    send: (link, packets) => sent.push({ at: now, link, packets: packets.map((p) => decode(p)), raw: [...packets] }),
  });
  querier.addLink('eth0');
  /** Advances the clock in 100 ms ticks, running the querier each time, as the discovery service does. */
  const runFor = (ms: number) => {
    for (let t = 0; t < ms; t += 100) {
      now += 100;
      querier.run();
    }
  };
  return { cache, querier, sent, runFor, now: () => now };
}

describe('Querier', () => {
  it('browses with a QU query at once, then at 1, 2, 4, 8… s, capped at an hour (RFC 6762 §5.2)', () => {
    const { querier, sent, runFor } = setup();
    querier.browse();
    querier.run();
    expect(sent).toHaveLength(1);
    expect(sent[0]!.raw[0]!.readUInt16BE(sent[0]!.raw[0]!.length - 2)).toBe(0x8001); // class IN with the QU bit
    runFor(70_000);
    const starts = sent.map((s) => s.at - sent[0]!.at);
    expect(starts).toEqual([0, 1000, 3000, 7000, 15_000, 31_000, 63_000]);
    expect(sent.slice(1).every((s) => s.raw[0]!.readUInt16BE(s.raw[0]!.length - 2) === 0x0001)).toBe(true);
    runFor(20 * 3_600_000 + 10_000);
    const gaps = sent.slice(1).map((s, i) => s.at - sent[i]!.at);
    expect(gaps.at(-1)).toBe(3_600_000);
    expect(Math.max(...gaps)).toBe(3_600_000);
  });

  it('puts every PTR held with more than half its TTL into the browse query as known answers, over TC packets', () => {
    const { cache, querier, sent, runFor } = setup();
    cache.ingest(
      Array.from({ length: 1000 }, (_, i) => ptr(i)),
      'eth0',
    );
    cache.ingest([ptr(1000, 10)], 'eth0'); // 10 s TTL: more than half is left for 5 s only
    runFor(6_000);
    querier.browse();
    querier.run();
    const q = sent.at(-1)!;
    expect(q.packets[0]!.questions).toEqual([{ name: SVC, type: 'PTR', class: 'UNKNOWN_32769' }]);
    const known = q.packets.flatMap((p) => p.answers.map((a) => a.data));
    expect(known).toHaveLength(1000);
    expect(known).not.toContain('board-1000._ssh._tcp.local');
    expect(q.packets.slice(0, -1).every((p) => p.flag_tc)).toBe(true);
    expect(q.packets.at(-1)!.flag_tc).toBe(false);
  });

  it('asks everyone again, without known answers, when the user presses Refresh', () => {
    const { cache, querier, sent, runFor } = setup();
    cache.ingest(
      Array.from({ length: 5 }, (_, i) => ptr(i)),
      'eth0',
    );
    querier.browse();
    querier.run();
    expect(sent[0]!.packets[0]!.answers).toHaveLength(5);
    runFor(5_000);
    querier.restart('eth0', { everyone: true });
    querier.run();
    expect(sent.at(-1)!.packets.flatMap((p) => p.answers)).toEqual([]);
    runFor(1_000);
    expect(sent.at(-1)!.packets[0]!.answers).toHaveLength(5);
  });

  it('counts a foreign QM query for the same question as its own (duplicate-question suppression, §7.3)', () => {
    const { cache, querier, sent, runFor } = setup();
    cache.ingest([ptr(1)], 'eth0');
    querier.browse();
    querier.run();
    runFor(500);
    // at 0.5 s another host asks the same question, with no known answer we lack: it counts as our 1 s query,
    // so ours comes one step (2 s) after it
    querier.observeQuery('eth0', [{ name: SVC, type: 'PTR', unicast: false }], [{ ...ptr(1), ttl: 4000 } as never], false);
    runFor(1_900);
    expect(sent).toHaveLength(1);
    runFor(100);
    expect(sent.map((s) => s.at - sent[0]!.at)).toEqual([0, 2500]);
    // one that hides an answer we don't hold does not count (its responders would leave that answer out): ours
    // still goes at 6.5 s
    runFor(1_000);
    querier.observeQuery('eth0', [{ name: SVC, type: 'PTR', unicast: false }], [{ ...ptr(77), ttl: 4000 } as never], false);
    runFor(3_000);
    expect(sent.map((s) => s.at - sent[0]!.at)).toEqual([0, 2500, 6500]);
  });

  it('asks a resolve question soon, then backs off while it is still needed, and drops it once answered', () => {
    const { querier, sent, runFor } = setup();
    let needed = true;
    querier.ask('eth0', 'board-1.local', 'A', { resolve: true, stillNeeded: () => needed });
    runFor(3_500);
    expect(sent.map((s) => s.packets[0]!.questions.map((q) => `${q.type} ${q.name}`))).toEqual([['A board-1.local'], ['A board-1.local'], ['A board-1.local']]);
    expect(sent.map((s, i) => (i ? s.at - sent[i - 1]!.at : 0))).toEqual([0, 1000, 2000]);
    needed = false;
    runFor(60_000);
    expect(sent).toHaveLength(3);
  });

  it('keeps retrying every second while sends fail, and starts over with a QU query once one works', () => {
    const { querier, sent, runFor } = setup();
    querier.browse();
    querier.run();
    runFor(31_000); // queries at 0, 1, 3, 7, 15 s; the next would come at 31 s, then 63 s
    const before = sent.length;
    querier.sendFailed('eth0');
    runFor(3_000);
    expect(sent.length - before).toBe(3);
    querier.sendSucceeded('eth0');
    runFor(100);
    const again = sent.at(-1)!;
    expect(again.raw[0]!.readUInt16BE(again.raw[0]!.length - 2)).toBe(0x8001);
    runFor(3_000);
    const gaps = sent.slice(-3).map((s, i, xs) => (i ? s.at - xs[i - 1]!.at : 0));
    expect(gaps).toEqual([0, 1000, 2000]);
  });
});

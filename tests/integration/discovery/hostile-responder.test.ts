/**
 * Hostile mDNS responders against the real discovery service (bonjour-service sockets in the lab's workstation
 * namespace): answers from senders that are on no link of the workstation, and a flood of made-up boards.
 * The responders run on an extra lab host (`lab.sh extra`) on the same bridge as the boards.
 *
 *   sudo bash tests/lab/lab.sh up 10 --non-mbl 10 --ipv6-only 9 --key-only 8
 *   sudo ip netns exec pws-ws npx vitest run --project integration tests/integration/discovery/hostile-responder.test.ts
 */
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { createDiscoveryService, type DiscoveryService } from '../../../electron/services/discovery/discovery-service';
import { DEFAULT_MAX_GONE } from '../../../electron/services/discovery/device-index';
import { DEFAULT_MAX_RECORDS } from '../../../electron/services/discovery/record-cache';
import { EventHub } from '../../../electron/services/events';
import { silentLogger } from '../../../electron/services/log';
import { lookAlikeNames } from '../../../shared/domain/look-alike-names';
import { labExtraDown, labExtraUp, requireLabWorkstation, startResponder } from '../../lab/lab';

const run = promisify(execFile);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

let service: DiscoveryService | undefined;
const extras: string[] = [];

async function extraHost(name: string, ipv4: string): Promise<string> {
  extras.push(name);
  return labExtraUp(name, { ipv4 });
}

function discovery(): DiscoveryService {
  service = createDiscoveryService({ events: new EventHub(), log: silentLogger, clock: () => new Date() });
  return service;
}

afterEach(async () => {
  await service?.stop();
  service = undefined;
});
afterAll(async () => {
  for (const name of extras) await labExtraDown(name);
});

describe('answers from off-link senders (RFC 6762 §11)', () => {
  it('lists a board announced from an on-link address, and drops the same announcement from IPv4 and IPv6 addresses on no link', async () => {
    requireLabWorkstation();
    const ns = await extraHost('offlk', '169.254.30.1/16');
    // addresses this host also holds, outside every subnet of the workstation (169.254/16 and fe80::/64)
    await run('ip', ['-n', ns, 'addr', 'add', '10.66.0.7/32', 'dev', 'eth0']);
    await run('ip', ['-n', ns, '-6', 'addr', 'add', 'fd66::7/128', 'dev', 'eth0', 'nodad']);
    const d = discovery();
    await d.start();
    const announce = (from: string, instance: string) =>
      startResponder(ns, { mode: 'announce', from, services: [{ instance, host: `${instance}.local`, ipv4: '169.254.30.1' }] });
    const responders = await Promise.all([
      announce('169.254.30.1', 'onlink-board'),
      announce('10.66.0.7', 'offlink-v4-board'),
      announce('fd66::7', 'offlink-v6-board'),
    ]);
    await Promise.all(responders.map((r) => r.done));
    await sleep(300);
    const names = d.snapshot().map((x) => x.name);
    expect(names).toContain('onlink-board');
    expect(names).not.toContain('offlink-v4-board');
    expect(names).not.toContain('offlink-v6-board');
    expect(d.stats().dropped.offLink).toBeGreaterThanOrEqual(6); // three announcements from each
  }, 60_000);
});

describe('a look-alike of a real board', () => {
  it('lists a board whose announced name hides a zero-width space with that character written out, and marks names that read alike', async () => {
    requireLabWorkstation();
    const ns = await extraHost('alike', '169.254.30.2/16');
    const d = discovery();
    await d.start();
    const lookalike = 'mbed-linux-os-1\u200b';
    const responder = await startResponder(ns, {
      mode: 'announce',
      from: '169.254.30.2',
      services: [
        { instance: lookalike, host: 'mbed-linux-\u202eos-1.local', ipv4: '169.254.30.2' },
        { instance: 'mbed-Iinux-os-2', host: 'alike-2.local', ipv4: '169.254.30.2' },
      ],
    });
    await responder.done;
    const named = (name: string) => d.snapshot().find((x) => x.name === name);
    for (let i = 0; i < 50 && !(named('mbed-linux-os-1\\u200b') && named('mbed-Iinux-os-2')); i++) await sleep(100);
    const found = named('mbed-linux-os-1\\u200b');
    expect(found).toMatchObject({ hostname: 'mbed-linux-\\u202eos-1', addresses: ['169.254.30.2'] });
    expect(d.snapshot().filter((x) => x.name === 'mbed-linux-os-1')).toHaveLength(1); // the real board, as it was
    const alike = lookAlikeNames(d.snapshot());
    expect(alike.get(found!.id)).toEqual(['mbed-linux-os-1']);
    expect(alike.get(named('mbed-linux-os-1')!.id)).toEqual(['mbed-linux-os-1\\u200b']);
    expect(alike.get(named('mbed-Iinux-os-2')!.id)).toEqual(['mbed-linux-os-2']);
    expect(alike.has(named('mbed-linux-os-3')!.id)).toBe(false);
  }, 60_000);
});

describe('a flood of made-up boards', () => {
  it('holds at most the capped number of records and gone boards, and keeps the real boards', async () => {
    const lab = requireLabWorkstation();
    const ns = await extraHost('flood', '169.254.32.1/16');
    const d = discovery();
    const found = await d.discoverOnce({ timeoutMs: 10_000, all: true });
    expect(found.ok && found.value.length).toBe(lab.devices.length);

    // 30,000 services (four records each, plus an address of a host no service names) with a TTL of 2^31 s,
    // then goodbyes for all of them
    const flood = await startResponder(ns, {
      mode: 'flood',
      from: '169.254.32.1',
      count: 30_000,
      perPacket: 5,
      packetsPerSecond: 1500,
      ttl: 0x7fffffff,
      goodbye: true,
    });
    let peak = 0;
    const watch = setInterval(() => (peak = Math.max(peak, d.stats().records)), 50);
    await flood.done;
    await sleep(2_000);
    clearInterval(watch);

    const stats = d.stats();
    expect(peak).toBeLessThanOrEqual(DEFAULT_MAX_RECORDS);
    expect(stats.refusedRecords).toBeGreaterThan(0);
    const gone = d.snapshot().filter((x) => !x.present);
    expect(gone.length).toBeLessThanOrEqual(DEFAULT_MAX_GONE);
    // the real boards stayed listed throughout
    const present = d
      .snapshot()
      .filter((x) => x.present)
      .map((x) => x.name)
      .sort();
    expect(present).toEqual(lab.devices.map((x) => x.hostname).sort());
  }, 120_000);
});

/**
 * Test responders for the device lab: mDNS answers that no well-behaved board sends, from a lab namespace.
 * Test infrastructure, run by tests (never by the app) inside a lab host:
 *
 *   ip netns exec <prefix>-x<name> node --import tsx tests/lab/mdns-responder.ts '<json>'
 *
 * Modes (the JSON's `mode`):
 * - `announce`: announces services unsolicited (three times, a second apart) from a chosen source address
 *   (`from`: an IPv4 or IPv6 address of this host, e.g. one that is on no link of the workstation), then exits.
 * - `flood`: announces `count` made-up services (`perPacket` per packet, `packetsPerSecond`), plus addresses of
 *   hosts no service names, with a huge TTL; then, with `goodbye`, says goodbye to all of them; then exits.
 * - `slow`: answers a browse with the PTR only, and each SRV/TXT/A/AAAA question only after `delayMs`
 *   (a board whose responder is slow to resolve); runs until killed.
 * - `host`: answers only the address questions (A, AAAA) for one host name, as a machine that announces no
 *   service does; runs until killed.
 * It prints `ready` once its sockets are open and `done` when a finite mode has finished.
 */
import { createSocket, type Socket } from 'node:dgram';
import { createRequire } from 'node:module';

interface Service {
  instance: string;
  host: string;
  ipv4?: string;
  ipv6?: string;
  txt?: string[];
}

type Config =
  | { mode: 'announce'; from: string; iface?: string; services: Service[]; ttl?: number }
  | { mode: 'flood'; from: string; count: number; perPacket: number; packetsPerSecond: number; ttl: number; goodbye?: boolean }
  | { mode: 'slow'; from: string; service: Service; delayMs: number }
  | { mode: 'host'; from: string; host: string; ipv4?: string; ipv6?: string };

interface Answer {
  type: string;
  name: string;
  ttl: number;
  data: unknown;
  flush?: boolean;
}
interface Packet {
  type: 'query' | 'response';
  flags?: number;
  questions?: Array<{ name: string; type: string }>;
  answers?: Answer[];
}
const dnsPacket = createRequire(import.meta.url)('dns-packet') as { encode(p: Packet): Buffer; decode(b: Buffer): Packet; AUTHORITATIVE_ANSWER: number };

const config = JSON.parse(process.argv[2] ?? '{}') as Config;
const v6 = config.from.includes(':');
const GROUP = v6 ? 'ff02::fb' : '224.0.0.251';
const IFACE = 'eth0';

function records(s: Service, ttl: number): Answer[] {
  const fqdn = `${s.instance}._ssh._tcp.local`;
  return [
    { type: 'PTR', name: '_ssh._tcp.local', ttl, data: fqdn },
    { type: 'SRV', name: fqdn, ttl, flush: true, data: { target: s.host, port: 22, priority: 0, weight: 0 } },
    { type: 'TXT', name: fqdn, ttl, flush: true, data: (s.txt ?? ['mblos']).map((t) => Buffer.from(t)) },
    ...addressRecords(s, ttl),
  ];
}

function addressRecords(h: { host: string; ipv4?: string; ipv6?: string }, ttl: number): Answer[] {
  return [
    ...(h.ipv4 ? [{ type: 'A', name: h.host, ttl, flush: true, data: h.ipv4 }] : []),
    ...(h.ipv6 ? [{ type: 'AAAA', name: h.host, ttl, flush: true, data: h.ipv6 }] : []),
  ];
}

/** A socket that sends from `config.from` to the mDNS group out of eth0, and (for `slow`) hears queries. */
async function open(listen: boolean): Promise<Socket> {
  const socket = createSocket({ type: v6 ? 'udp6' : 'udp4', reuseAddr: true, ...(v6 ? { ipv6Only: true } : {}) });
  await new Promise<void>((resolve, reject) => {
    socket.once('error', reject);
    // Bound to the source address it sends from; a listener binds the wildcard to hear multicast.
    socket.bind(5353, listen ? (v6 ? '::' : '0.0.0.0') : config.from, () => resolve());
  });
  socket.setMulticastInterface(v6 ? `::%${IFACE}` : config.from);
  socket.setMulticastTTL(255);
  if (listen) socket.addMembership(GROUP, v6 ? `::%${IFACE}` : config.from);
  return socket;
}

const send = (socket: Socket, answers: Answer[]) =>
  new Promise<void>((resolve, reject) =>
    socket.send(dnsPacket.encode({ type: 'response', flags: dnsPacket.AUTHORITATIVE_ANSWER, answers }), 5353, v6 ? `${GROUP}%${IFACE}` : GROUP, (err) =>
      err ? reject(err) : resolve(),
    ),
  );
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function main(): Promise<void> {
  if (config.mode === 'announce') {
    const socket = await open(false);
    process.stdout.write('ready\n');
    for (let i = 0; i < 3; i++) {
      for (const s of config.services) await send(socket, records(s, config.ttl ?? 120));
      await sleep(1000);
    }
    socket.close();
  } else if (config.mode === 'flood') {
    const socket = await open(false);
    process.stdout.write('ready\n');
    // paced in 10 ms steps (timers are too coarse for one packet at a time)
    const perStep = Math.max(1, Math.round(config.packetsPerSecond / 100));
    const burst = async (ttl: number) => {
      let sent = 0;
      for (let first = 0; first < config.count; first += config.perPacket) {
        const answers: Answer[] = [];
        for (let i = first; i < Math.min(config.count, first + config.perPacket); i++) {
          answers.push(...records({ instance: `flood-${i}`, host: `flood-${i}.local`, ipv4: '169.254.66.66' }, ttl));
          answers.push({ type: 'A', name: `junk-${i}.local`, ttl, flush: true, data: '169.254.66.67' });
        }
        await send(socket, answers);
        if (++sent % perStep === 0) await sleep(10);
      }
    };
    await burst(config.ttl);
    if (config.goodbye) await burst(0);
    socket.close();
  } else {
    const all = config.mode === 'slow' ? records(config.service, 120) : addressRecords(config, 120);
    const delayMs = config.mode === 'slow' ? config.delayMs : 0;
    const socket = await open(true);
    socket.on('message', (msg) => {
      let q: Packet;
      try {
        q = dnsPacket.decode(msg);
      } catch {
        return;
      }
      if (q.type !== 'query') return;
      for (const question of q.questions ?? []) {
        const name = question.name.toLowerCase();
        const match = all.filter((r) => r.type === question.type && r.name.toLowerCase() === name);
        if (!match.length) continue;
        // the PTR at once and alone; everything a resolver needs only after the delay
        setTimeout(() => void send(socket, match).catch(() => undefined), question.type === 'PTR' ? 0 : delayMs);
      }
    });
    process.stdout.write('ready\n');
    await new Promise(() => undefined);
  }
  process.stdout.write('done\n');
}

await main();

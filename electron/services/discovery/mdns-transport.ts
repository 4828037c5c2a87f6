import { createSocket, type Socket as DgramSocket } from 'node:dgram';
import { networkInterfaces } from 'node:os';
import type { Logger } from '../log';
import type { IncomingRecord } from './record-cache';
import { linkForIpv4Sender, linkForIpv6Sender, linksOf, type InterfaceTable, type Link } from './network-links';

/** What the discovery service needs from the network: records as they arrive, tagged with their interface. */
export interface MdnsTransport {
  /**
   * `link` is the interface the records came through, or the candidates when an IPv4 sender's subnet is on
   * several interfaces. `onLinkGone` is called when an interface disappears (its boards are gone with it).
   */
  start(onRecords: (records: IncomingRecord[], link: string | string[]) => void, onLinkGone?: (link: string) => void): Promise<void>;
  /**
   * Sends a browse query for the service type on every socket. `unicast` also asks for unicast answers
   * (the QU bit), which responders send even when they multicast the same records under a second ago.
   */
  query(opts?: { unicast?: boolean }): void;
  /** Interfaces currently browsed. */
  links(): string[];
  stop(): Promise<void>;
}

export interface BonjourTransportOptions {
  log: Logger;
  /** DNS-SD type to browse, e.g. `ssh` for `_ssh._tcp`. */
  type?: string;
  /** How often to look for interfaces that appeared or went (USB gadget boards). */
  pollMs?: number;
  interfaces?: () => InterfaceTable;
}

// The parts of bonjour-service (and the multicast-dns under it) this file uses.
interface RawRecord {
  type: string;
  name: string;
  ttl?: number;
  class?: string;
  flush?: boolean;
  data?: unknown;
}
interface RawPacket {
  answers?: RawRecord[];
  additionals?: RawRecord[];
}
interface MulticastDns {
  on(event: 'response', listener: (packet: RawPacket, rinfo: { address: string; family: string }) => void): void;
  on(event: 'error' | 'warning', listener: (err: Error) => void): void;
  on(event: 'ready', listener: () => void): void;
}
interface BonjourInstance {
  server: { mdns: MulticastDns };
  find(opts: { type: string }): { update(): void; stop(): void };
  destroy(callback?: () => void): void;
}
type BonjourCtor = new (opts: Record<string, unknown>, errorCallback?: (err: Error) => void) => BonjourInstance;

async function loadBonjour(): Promise<BonjourCtor> {
  const mod = (await import('bonjour-service')) as unknown as { Bonjour?: BonjourCtor; default?: BonjourCtor & { Bonjour?: BonjourCtor } };
  const ctor = mod.Bonjour ?? mod.default?.Bonjour ?? mod.default;
  if (!ctor) throw new Error('bonjour-service did not export Bonjour');
  return ctor;
}

const KNOWN_TYPES = new Set(['PTR', 'SRV', 'TXT', 'A', 'AAAA']);

/** multicast-dns records → ours; TXT strings decoded as UTF-8, anything malformed skipped. */
export function toIncomingRecords(packet: RawPacket): IncomingRecord[] {
  const out: IncomingRecord[] = [];
  for (const r of [...(packet.answers ?? []), ...(packet.additionals ?? [])]) {
    if (!KNOWN_TYPES.has(r.type) || typeof r.name !== 'string' || (r.class && r.class !== 'IN')) continue;
    const ttl = typeof r.ttl === 'number' ? r.ttl : 0;
    const flush = Boolean(r.flush);
    if (r.type === 'SRV') {
      const d = r.data as { target?: unknown; port?: unknown } | undefined;
      if (typeof d?.target !== 'string' || typeof d.port !== 'number') continue;
      out.push({ type: 'SRV', name: r.name, data: { target: d.target, port: d.port }, ttl, flush });
    } else if (r.type === 'TXT') {
      const items = Array.isArray(r.data) ? r.data : [r.data];
      const data = items.map((x) => (typeof x === 'string' ? x : x instanceof Uint8Array ? Buffer.from(x).toString('utf8') : '')).filter((s) => s !== '');
      out.push({ type: 'TXT', name: r.name, data, ttl, flush });
    } else if (typeof r.data === 'string') {
      out.push({ type: r.type as 'PTR' | 'A' | 'AAAA', name: r.name, data: r.data, ttl, flush });
    }
  }
  return out;
}

interface Socket {
  key: string;
  link: string;
  family: 4 | 6;
  bonjour: BonjourInstance;
  browser: { update(): void; stop(): void };
  udp: DgramSocket;
  ready: boolean;
}

/**
 * A PTR question for `name` with the unicast-response (QU) bit set. multicast-dns can't set that bit
 * (dns-packet has no way to encode it), so this small packet is written by hand.
 */
export function unicastPtrQuery(name: string): Buffer {
  const labels = name.replace(/\.$/, '').split('.').map((l) => Buffer.from(l, 'utf8'));
  const header = Buffer.alloc(12);
  header.writeUInt16BE(1, 4); // QDCOUNT
  const tail = Buffer.alloc(5);
  tail.writeUInt16BE(12, 1); // QTYPE PTR (after the root label's 0)
  tail.writeUInt16BE(0x8001, 3); // QCLASS IN | QU
  return Buffer.concat([header, ...labels.flatMap((l) => [Buffer.from([l.length]), l]), tail]);
}

/**
 * bonjour-service sockets: for every non-loopback interface one IPv4 socket (queries sent out of that interface)
 * and, when it has IPv6, one `udp6` socket on `ff02::fb` scoped to it (`::%iface`), so IPv6-only boards on
 * their own USB-gadget interface are found. Interfaces are re-read every `pollMs` while running.
 *
 * On Linux every socket bound to :5353 receives every interface's multicast, so the interface an answer
 * came through is taken from the sender (IPv6 `fe80::…%iface`, IPv4 by subnet), not from the socket.
 */
export function createBonjourTransport(opts: BonjourTransportOptions): MdnsTransport {
  const type = opts.type ?? 'ssh';
  const readInterfaces = opts.interfaces ?? networkInterfaces;
  const sockets = new Map<string, Socket>();
  let links: Link[] = [];
  let Bonjour: BonjourCtor | undefined;
  let onRecords: ((records: IncomingRecord[], link: string | string[]) => void) | undefined;
  let onLinkGone: ((link: string) => void) | undefined;
  let poll: NodeJS.Timeout | undefined;

  const serviceName = `_${type}._tcp.local`;
  const quQuery = unicastPtrQuery(serviceName);

  function sendUnicastQuery(s: Socket): void {
    if (!s.ready) return;
    s.udp.send(quQuery, 5353, s.family === 4 ? '224.0.0.251' : 'ff02::fb', (err) => {
      if (err) opts.log.info(`mDNS QU query on ${s.link}: ${err.message}`);
    });
  }

  function open(key: string, link: Link, family: 4 | 6): void {
    if (!Bonjour || !onRecords) return;
    // Our own dgram socket (multicast-dns binds and joins it) so that the QU query can be sent on it.
    const udp = createSocket({ type: family === 4 ? 'udp4' : 'udp6', reuseAddr: true });
    const options =
      family === 4
        ? { interface: link.ipv4!.address, bind: '0.0.0.0', socket: udp }
        : { type: 'udp6', ip: 'ff02::fb', interface: `::%${link.name}`, socket: udp };
    let bonjour: BonjourInstance;
    try {
      bonjour = new Bonjour(options, (err) => opts.log.warn(`mDNS on ${link.name}: ${err.message}`));
    } catch (err) {
      opts.log.warn(`mDNS: could not open an IPv${family} socket on ${link.name}: ${(err as Error).message}`);
      return;
    }
    const mdns = bonjour.server.mdns;
    mdns.on('error', (err) => opts.log.warn(`mDNS IPv${family} on ${link.name}: ${err.message}`));
    mdns.on('warning', (err) => opts.log.info(`mDNS IPv${family} on ${link.name}: ${err.message}`));
    mdns.on('response', (packet, rinfo) => {
      const records = toIncomingRecords(packet);
      if (!records.length) return;
      const from = rinfo.family === 'IPv6' ? linkForIpv6Sender(rinfo.address, link.name) : linkForIpv4Sender(rinfo.address, links, link.name);
      onRecords?.(records, from);
    });
    // The Browser sends a PTR query as soon as the socket is bound; answers are read from the raw packets above.
    const browser = bonjour.find({ type });
    const entry: Socket = { key, link: link.name, family, bonjour, browser, udp, ready: false };
    // A starting querier asks for unicast answers first (RFC 6762 §5.4): a board that multicast its records for
    // someone else's query under a second ago answers this one anyway, so nothing waits for the 1 s re-query.
    mdns.on('ready', () => {
      entry.ready = true;
      sendUnicastQuery(entry);
    });
    sockets.set(key, entry);
  }

  function close(s: Socket): void {
    sockets.delete(s.key);
    s.browser.stop();
    try {
      s.bonjour.destroy();
    } catch {
      // a socket of a vanished interface may already be closed
    }
  }

  function sync(): void {
    const before = new Set(links.map((l) => l.name));
    links = linksOf(readInterfaces());
    for (const l of links) before.delete(l.name);
    for (const gone of before) onLinkGone?.(gone);
    const wanted = new Map<string, { link: Link; family: 4 | 6 }>();
    for (const l of links) {
      if (l.ipv4) wanted.set(`${l.name}/4/${l.ipv4.address}`, { link: l, family: 4 });
      if (l.hasIpv6) wanted.set(`${l.name}/6`, { link: l, family: 6 });
    }
    for (const s of [...sockets.values()]) if (!wanted.has(s.key)) close(s);
    for (const [key, w] of wanted) if (!sockets.has(key)) open(key, w.link, w.family);
  }

  return {
    async start(listener, linkGone) {
      onRecords = listener;
      onLinkGone = linkGone;
      Bonjour ??= await loadBonjour();
      sync();
      poll = setInterval(sync, opts.pollMs ?? 2000);
      poll.unref();
    },
    query(q) {
      for (const s of sockets.values()) {
        s.browser.update();
        if (q?.unicast) sendUnicastQuery(s);
      }
    },
    links() {
      return [...new Set([...sockets.values()].map((s) => s.link))].sort();
    },
    async stop() {
      if (poll) clearInterval(poll);
      poll = undefined;
      onRecords = undefined;
      onLinkGone = undefined;
      const all = [...sockets.values()];
      await Promise.all(
        all.map(
          (s) =>
            new Promise<void>((resolve) => {
              sockets.delete(s.key);
              s.browser.stop();
              try {
                s.bonjour.destroy(() => resolve());
              } catch {
                resolve();
              }
            }),
        ),
      );
    },
  };
}

import { createSocket, type Socket as DgramSocket } from 'node:dgram';
import { networkInterfaces } from 'node:os';
import type { Logger } from '../log';
import type { KnownAnswer } from './mdns-wire';
import type { IncomingRecord } from './record-cache';
import { linkForSender, linksOf, localAddresses, type InterfaceTable, type Link } from './network-links';

/** A query another host sent, as the querier needs it for duplicate-question suppression. */
export interface ObservedQuery {
  questions: Array<{ name: string; type: string; unicast: boolean }>;
  knownAnswers: KnownAnswer[];
  truncated: boolean;
}

export interface TransportHandlers {
  /**
   * Records of a response from an on-link sender. `link` is the interface they came through, or the candidates
   * when an IPv4 sender's subnet is on several interfaces.
   */
  onResponse(records: IncomingRecord[], link: string | string[]): void;
  /** A query from another host (never our own). */
  onQuery?(query: ObservedQuery, link: string): void;
  /** An interface whose sockets are open and ready to send. */
  onLinkUp?(link: string): void;
  /** An interface that disappeared (its boards are gone with it). */
  onLinkGone?(link: string): void;
  /** How each send went: null, or the error (EHOSTUNREACH, EPERM… when the OS refuses local-network access). */
  onSendResult?(link: string, family: 4 | 6, error: NodeJS.ErrnoException | null): void;
  /** A packet was dropped before its records were looked at, and why. */
  onDropped?(reason: 'off-link' | 'not-port-5353'): void;
}

/** What the discovery service needs from the network. */
export interface MdnsTransport {
  /** Opens the sockets; resolves once those of the interfaces present now are ready to send. */
  start(handlers: TransportHandlers): Promise<void>;
  /** Sends query packets out of an interface (IPv4 and IPv6). */
  send(link: string, packets: readonly Buffer[]): void;
  /** Interfaces currently browsed. */
  links(): string[];
  stop(): Promise<void>;
}

export interface BonjourTransportOptions {
  log: Logger;
  /** How often to look for interfaces that appeared or went (USB gadget boards). */
  pollMs?: number;
  interfaces?: () => InterfaceTable;
  /**
   * Receive buffer per socket. A thousand boards answer one query within a few milliseconds; the default buffer
   * (208 KiB on Linux) holds only a few hundred of those packets. The OS caps it (Linux: net.core.rmem_max).
   */
  recvBufferBytes?: number;
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
  flag_tc?: boolean;
  questions?: Array<{ name: string; type: string; class?: string | number }>;
  answers?: RawRecord[];
  additionals?: RawRecord[];
}
interface RemoteInfo {
  address: string;
  family: string;
  port: number;
}
interface MulticastDns {
  on(event: 'response' | 'query', listener: (packet: RawPacket, rinfo: RemoteInfo) => void): void;
  on(event: 'error' | 'warning', listener: (err: Error) => void): void;
  on(event: 'ready', listener: () => void): void;
}
interface BonjourInstance {
  server: { mdns: MulticastDns };
  destroy(callback?: () => void): void;
}
type BonjourCtor = new (opts: Record<string, unknown>, errorCallback?: (err: Error) => void) => BonjourInstance;

let bonjourLoaded: Promise<BonjourCtor> | undefined;

/**
 * bonjour-service, loaded on first use (most CLI commands never browse) and once per process: a dynamic import
 * costs a module-loader round trip even when the module is loaded.
 */
export function loadBonjour(): Promise<BonjourCtor> {
  bonjourLoaded ??= import('bonjour-service').then((m) => {
    const mod = m as unknown as { Bonjour?: BonjourCtor; default?: BonjourCtor & { Bonjour?: BonjourCtor } };
    const ctor = mod.Bonjour ?? mod.default?.Bonjour ?? mod.default;
    if (!ctor) throw new Error('bonjour-service did not export Bonjour');
    return ctor;
  });
  bonjourLoaded.catch(() => (bonjourLoaded = undefined));
  return bonjourLoaded;
}

const KNOWN_TYPES = new Set(['PTR', 'SRV', 'TXT', 'A', 'AAAA']);
const MDNS_PORT = 5353;

/** multicast-dns records → ours; TXT strings decoded as UTF-8, anything malformed skipped. */
export function toIncomingRecords(records: readonly RawRecord[]): IncomingRecord[] {
  const out: IncomingRecord[] = [];
  for (const r of records) {
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

/** dns-packet reads a question's class as a string, so the unicast-response bit shows as `UNKNOWN_32769`. */
function isUnicastQuestion(cls: string | number | undefined): boolean {
  const n = typeof cls === 'number' ? cls : Number(/^UNKNOWN_(\d+)$/.exec(cls ?? '')?.[1] ?? 1);
  return (n & 0x8000) !== 0;
}

interface Socket {
  key: string;
  link: string;
  family: 4 | 6;
  bonjour: BonjourInstance;
  udp: DgramSocket;
  ready: Promise<boolean>;
  isReady: boolean;
}

/**
 * bonjour-service's multicast-dns sockets: for every non-loopback interface one IPv4 socket (queries sent out of
 * that interface) and, when it has IPv6, one IPv6-only socket on `ff02::fb` scoped to it (`::%iface`), so
 * IPv6-only boards on their own USB-gadget interface are found. Interfaces are re-read every `pollMs`.
 * multicast-dns decodes; the querier writes the packets, so they carry known answers and the QU bit.
 *
 * On Linux every socket bound to :5353 receives every interface's multicast, so the interface an answer
 * came through is taken from the sender (see `linkForSender`), not from the socket.
 */
export function createBonjourTransport(opts: BonjourTransportOptions): MdnsTransport {
  const readInterfaces = opts.interfaces ?? networkInterfaces;
  const sockets = new Map<string, Socket>();
  let links: Link[] = [];
  let ours = new Set<string>();
  let Bonjour: BonjourCtor | undefined;
  let handlers: TransportHandlers | undefined;
  let poll: NodeJS.Timeout | undefined;

  function open(key: string, link: Link, family: 4 | 6): Socket | undefined {
    if (!Bonjour) return undefined;
    const udp = createSocket({
      type: family === 4 ? 'udp4' : 'udp6',
      reuseAddr: true,
      // Without it a dual-stack socket also receives every IPv4 packet, and each answer is read twice.
      ipv6Only: family === 6,
      recvBufferSize: opts.recvBufferBytes ?? 4 << 20,
    });
    const options =
      family === 4
        ? { interface: link.ipv4!.address, bind: '0.0.0.0', socket: udp }
        : { type: 'udp6', ip: 'ff02::fb', interface: `::%${link.name}`, socket: udp };
    let bonjour: BonjourInstance;
    try {
      bonjour = new Bonjour(options, (err) => opts.log.warn(`mDNS on ${link.name}: ${err.message}`));
    } catch (err) {
      opts.log.warn(`mDNS: could not open an IPv${family} socket on ${link.name}: ${(err as Error).message}`);
      return undefined;
    }
    const mdns = bonjour.server.mdns;
    const entry: Socket = { key, link: link.name, family, bonjour, udp, ready: Promise.resolve(false), isReady: false };
    entry.ready = new Promise<boolean>((resolve) => {
      mdns.on('ready', () => {
        entry.isReady = true;
        resolve(true);
      });
      mdns.on('error', (err) => {
        opts.log.warn(`mDNS IPv${family} on ${link.name}: ${err.message}`);
        resolve(false);
      });
    });
    mdns.on('warning', (err) => opts.log.info(`mDNS IPv${family} on ${link.name}: ${err.message}`));
    mdns.on('response', (packet, rinfo) => {
      if (rinfo.port !== MDNS_PORT) return handlers?.onDropped?.('not-port-5353');
      const from = linkForSender(rinfo.address, links, link.name);
      if (from === undefined) return handlers?.onDropped?.('off-link');
      const records = toIncomingRecords([...(packet.answers ?? []), ...(packet.additionals ?? [])]);
      if (records.length) handlers?.onResponse(records, from);
    });
    mdns.on('query', (packet, rinfo) => {
      if (!handlers?.onQuery || ours.has(rinfo.address.split('%')[0]!.toLowerCase())) return;
      const from = linkForSender(rinfo.address, links, link.name);
      if (typeof from !== 'string') return;
      handlers.onQuery(
        {
          questions: (packet.questions ?? []).map((q) => ({ name: q.name, type: q.type, unicast: isUnicastQuestion(q.class) })),
          knownAnswers: toIncomingRecords(packet.answers ?? []) as KnownAnswer[],
          truncated: Boolean(packet.flag_tc),
        },
        from,
      );
    });
    sockets.set(key, entry);
    return entry;
  }

  function close(s: Socket, done?: () => void): void {
    sockets.delete(s.key);
    try {
      s.bonjour.destroy(done);
    } catch {
      // a socket of a vanished interface may already be closed
      done?.();
    }
  }

  /** Re-reads the interfaces; resolves when the sockets of new interfaces are ready. */
  async function sync(): Promise<void> {
    const table = readInterfaces();
    const before = new Set(links.map((l) => l.name));
    links = linksOf(table);
    ours = localAddresses(table);
    for (const l of links) before.delete(l.name);
    for (const gone of before) handlers?.onLinkGone?.(gone);
    const wanted = new Map<string, { link: Link; family: 4 | 6 }>();
    for (const l of links) {
      if (l.ipv4) wanted.set(`${l.name}/4/${l.ipv4.address}`, { link: l, family: 4 });
      if (l.hasIpv6) wanted.set(`${l.name}/6`, { link: l, family: 6 });
    }
    for (const s of [...sockets.values()]) if (!wanted.has(s.key)) close(s);
    const opened: Socket[] = [];
    for (const [key, w] of wanted) {
      if (sockets.has(key)) continue;
      const s = open(key, w.link, w.family);
      if (s) opened.push(s);
    }
    const fresh = new Set(opened.map((s) => s.link));
    await Promise.all(opened.map((s) => s.ready));
    for (const link of fresh) if (sockets.size && [...sockets.values()].some((s) => s.link === link && s.isReady)) handlers?.onLinkUp?.(link);
  }

  return {
    async start(h) {
      handlers = h;
      Bonjour ??= await loadBonjour();
      await sync();
      poll = setInterval(() => void sync(), opts.pollMs ?? 2000);
      poll.unref();
    },
    send(link, packets) {
      for (const s of sockets.values()) {
        if (s.link !== link || !s.isReady) continue;
        const to = s.family === 4 ? '224.0.0.251' : 'ff02::fb';
        for (const p of packets) s.udp.send(p, MDNS_PORT, to, (err) => handlers?.onSendResult?.(link, s.family, err ?? null));
      }
    },
    links() {
      return [...new Set([...sockets.values()].map((s) => s.link))].sort();
    },
    async stop() {
      if (poll) clearInterval(poll);
      poll = undefined;
      handlers = undefined;
      await Promise.all([...sockets.values()].map((s) => new Promise<void>((resolve) => close(s, resolve))));
    },
  };
}

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
  /**
   * Opens the sockets of the interfaces present now; resolves as soon as they are opening (queries can be sent
   * at once: a socket still opening sends them when it is ready).
   */
  start(handlers: TransportHandlers): Promise<void>;
  /** Sends query packets out of an interface (IPv4 and IPv6), or as soon as a socket still opening is ready. */
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

/** The receive buffer a socket asks for unless `recvBufferBytes` says otherwise. */
export const DEFAULT_RECV_BUFFER_BYTES = 4 << 20;

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
/**
 * TXT strings as UTF-8 (invalid bytes become U+FFFD). A decoder rather than `Buffer.from(x).toString()`: V8 inlines
 * Buffer's JavaScript into the packet loop, which made compiling it for a burst of a thousand answers cost more CPU
 * than the answers themselves.
 */
const utf8 = new TextDecoder();

function txtStrings(data: unknown): string[] {
  const out: string[] = [];
  for (const x of Array.isArray(data) ? data : [data]) {
    const s = typeof x === 'string' ? x : x instanceof Uint8Array ? utf8.decode(x) : '';
    if (s !== '') out.push(s);
  }
  return out;
}

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
      out.push({ type: 'TXT', name: r.name, data: txtStrings(r.data), ttl, flush });
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

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string, family: number) => void;

/**
 * The sockets' address lookup: they only bind to and send to addresses this file writes (`0.0.0.0`, `::%iface`,
 * `224.0.0.251`, `ff02::fb`), which need no resolving. Node's default lookup would check each with its
 * IPv6-address pattern, whose first two uses cost about 5 ms of CPU, just as the first answers arrive.
 */
export function literalLookup(family: 4 | 6) {
  return (address: string, _options: unknown, callback: LookupCallback): void => process.nextTick(callback, null, address, family);
}

interface Socket {
  key: string;
  link: string;
  family: 4 | 6;
  udp: DgramSocket;
  /** Undefined if bonjour-service could not open it. */
  bonjour?: BonjourInstance;
  ready: Promise<boolean>;
  state: 'opening' | 'ready' | 'failed';
  /** Packets sent while the socket was opening: they go out once it is ready. */
  backlog: Buffer[];
}

/**
 * bonjour-service's multicast-dns sockets: for every non-loopback interface one IPv4 socket (queries sent out of
 * that interface) and, when it has IPv6, one IPv6-only socket on `ff02::fb` scoped to it (`::%iface`), so
 * IPv6-only boards on their own USB-gadget interface are found. Interfaces are re-read every `pollMs`.
 * multicast-dns decodes; the querier writes the packets, so they carry known answers and the QU bit.
 *
 * Queries sent while a socket is still opening go out as soon as that socket is ready, so the first query leaves
 * on each socket without waiting for the others.
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

  function sendNow(s: Socket, packets: readonly Buffer[]): void {
    const to = s.family === 4 ? '224.0.0.251' : 'ff02::fb';
    for (const p of packets) s.udp.send(p, MDNS_PORT, to, (err) => handlers?.onSendResult?.(s.link, s.family, err ?? null));
  }

  /** Opens a socket for an interface; until it is ready, what is sent to it waits in its backlog. */
  function add(key: string, link: Link, family: 4 | 6): Socket {
    const udp = createSocket({
      type: family === 4 ? 'udp4' : 'udp6',
      reuseAddr: true,
      // Without it a dual-stack socket also receives every IPv4 packet, and each answer is read twice.
      ipv6Only: family === 6,
      recvBufferSize: opts.recvBufferBytes ?? DEFAULT_RECV_BUFFER_BYTES,
      lookup: literalLookup(family),
    });
    const entry: Socket = { key, link: link.name, family, udp, ready: Promise.resolve(false), state: 'opening', backlog: [] };
    sockets.set(key, entry);
    entry.ready = new Promise<boolean>((settle) => {
      const done = (ready: boolean) => {
        if (entry.state !== 'opening') return;
        entry.state = ready ? 'ready' : 'failed';
        const backlog = entry.backlog;
        entry.backlog = [];
        if (ready && sockets.get(key) === entry) sendNow(entry, backlog);
        settle(ready);
      };
      open(entry, link, done);
    });
    return entry;
  }

  function open(entry: Socket, link: Link, done: (ready: boolean) => void): void {
    const { family, udp } = entry;
    const options =
      family === 4
        ? { interface: link.ipv4!.address, bind: '0.0.0.0', socket: udp }
        : { type: 'udp6', ip: 'ff02::fb', interface: `::%${link.name}`, socket: udp };
    try {
      entry.bonjour = new Bonjour!(options, (err) => opts.log.warn(`mDNS on ${link.name}: ${err.message}`));
    } catch (err) {
      opts.log.warn(`mDNS: could not open an IPv${family} socket on ${link.name}: ${(err as Error).message}`);
      close(entry);
      done(false);
      return;
    }
    const mdns = entry.bonjour.server.mdns;
    mdns.on('ready', () => done(true));
    mdns.on('error', (err) => {
      opts.log.warn(`mDNS IPv${family} on ${link.name}: ${err.message}`);
      done(false);
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
  }

  function close(s: Socket, done?: () => void): void {
    if (sockets.get(s.key) === s) sockets.delete(s.key);
    s.backlog = [];
    try {
      if (s.bonjour) s.bonjour.destroy(done);
      else s.udp.close(() => done?.());
    } catch {
      // a socket of a vanished interface may already be closed
      done?.();
    }
  }

  /** Re-reads the interfaces and opens the sockets of new ones (at once); resolves when those are ready. */
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
    for (const [key, w] of wanted) if (!sockets.has(key)) opened.push(add(key, w.link, w.family));
    const fresh = new Set(opened.map((s) => s.link));
    await Promise.all(opened.map((s) => s.ready));
    for (const link of fresh) if ([...sockets.values()].some((s) => s.link === link && s.state === 'ready')) handlers?.onLinkUp?.(link);
  }

  return {
    async start(h) {
      handlers = h;
      Bonjour ??= await loadBonjour();
      void sync(); // opens the sockets before its first await; queries sent meanwhile wait for them
      poll = setInterval(() => void sync(), opts.pollMs ?? 2000);
      poll.unref();
    },
    send(link, packets) {
      for (const s of sockets.values()) {
        if (s.link !== link) continue;
        if (s.state === 'ready') sendNow(s, packets);
        else if (s.state === 'opening') s.backlog.push(...packets);
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

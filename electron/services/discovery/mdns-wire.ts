import { ipv6Groups } from '../../../shared/domain/address';
import type { MdnsRecord } from '../../../shared/domain/devices';

/**
 * Multicast DNS query packets, written by hand because dns-packet (under multicast-dns) can neither set the
 * unicast-response bit of a question nor compress names. Compression matters for known-answer lists: 1,000
 * PTR records fit in about 20 packets instead of 45.
 */

export type QuestionType = 'PTR' | 'SRV' | 'TXT' | 'A' | 'AAAA';

export interface Question {
  name: string;
  type: QuestionType;
  /** Ask for a unicast answer (RFC 6762 §5.4: a querier's first question after start-up). */
  unicast?: boolean;
}

/** A known answer (RFC 6762 §7.1): a record we hold, with the TTL it has left. */
export type KnownAnswer = MdnsRecord & { ttl: number };

const TYPE_CODES: Record<QuestionType, number> = { A: 1, PTR: 12, TXT: 16, AAAA: 28, SRV: 33 };
const CLASS_IN = 1;
const QU_BIT = 0x8000;
const TC_FLAG = 0x0200;
/** Fits one Ethernet frame over IPv6 (1500 - 40 - 8) with room to spare; RFC 6762 §17 allows more but fragments. */
export const MAX_QUERY_BYTES = 1400;

/** Writes names with compression (RFC 1035 §4.1.4): a suffix already in the packet becomes a 2-byte pointer. */
class PacketWriter {
  /** Room for one oversized record after a full packet (mDNS caps packets at 9,000 bytes). */
  readonly #buf = Buffer.allocUnsafe(1 << 16);
  #len = 12;
  readonly #names = new Map<string, number>();
  /** Suffixes added since `tryWrite` began, to forget them if it is undone. */
  #added: string[] | undefined;

  get length(): number {
    return this.#len;
  }

  /** Writes with `write`, unless that takes the packet past `maxBytes`: then undoes it and answers false. */
  tryWrite(write: (w: PacketWriter) => void, maxBytes: number): boolean {
    const start = this.#len;
    const added: string[] = [];
    this.#added = added;
    write(this);
    this.#added = undefined;
    if (this.#len <= maxBytes) return true;
    this.#len = start;
    for (const suffix of added) this.#names.delete(suffix);
    return false;
  }

  name(fqdn: string): void {
    const labels = fqdn
      .replace(/\.$/, '')
      .split('.')
      .filter((l) => l !== '');
    for (let i = 0; i < labels.length; i++) {
      const suffix = labels.slice(i).join('.').toLowerCase();
      const at = this.#names.get(suffix);
      if (at !== undefined) {
        this.u16(0xc000 | at);
        return;
      }
      if (this.#len < 0x3fff) {
        this.#names.set(suffix, this.#len);
        this.#added?.push(suffix);
      }
      const length = Math.min(63, Buffer.byteLength(labels[i]!, 'utf8'));
      this.#buf[this.#len++] = length;
      this.#len += this.#buf.write(labels[i]!, this.#len, length, 'utf8');
    }
    this.#buf[this.#len++] = 0;
  }

  u16(n: number): void {
    this.#buf.writeUInt16BE(n & 0xffff, this.#len);
    this.#len += 2;
  }

  u32(n: number): void {
    this.#buf.writeUInt32BE(n >>> 0, this.#len);
    this.#len += 4;
  }

  bytes(b: Uint8Array): void {
    this.#buf.set(b, this.#len);
    this.#len += b.length;
  }

  /** Reserves a 16-bit length, runs `write`, fills the length in. */
  sized(write: () => void): void {
    const at = this.#len;
    this.#len += 2;
    write();
    this.#buf.writeUInt16BE(this.#len - at - 2, at);
  }

  finish(counts: { questions: number; answers: number }, truncated: boolean): Buffer {
    this.#buf.writeUInt16BE(0, 0); // id 0 (RFC 6762 §18.1)
    this.#buf.writeUInt16BE(truncated ? TC_FLAG : 0, 2);
    this.#buf.writeUInt16BE(counts.questions, 4);
    this.#buf.writeUInt16BE(counts.answers, 6);
    this.#buf.writeUInt32BE(0, 8);
    return Buffer.from(this.#buf.subarray(0, this.#len));
  }
}

function writeQuestion(w: PacketWriter, q: Question): void {
  w.name(q.name);
  w.u16(TYPE_CODES[q.type]);
  w.u16(CLASS_IN | (q.unicast ? QU_BIT : 0));
}

function ipv4Bytes(a: string): Uint8Array {
  return Uint8Array.from(a.split('.').map(Number));
}

function ipv6Bytes(a: string): Uint8Array {
  const out = new Uint8Array(16);
  (ipv6Groups(a.split('%')[0]!) ?? []).forEach((g, i) => {
    out[i * 2] = g >> 8;
    out[i * 2 + 1] = g & 0xff;
  });
  return out;
}

function writeAnswer(w: PacketWriter, r: KnownAnswer): void {
  w.name(r.name);
  w.u16(TYPE_CODES[r.type]);
  w.u16(CLASS_IN);
  w.u32(Math.max(0, Math.floor(r.ttl)));
  w.sized(() => {
    switch (r.type) {
      case 'PTR':
        return w.name(r.data);
      case 'SRV':
        w.u16(0);
        w.u16(0);
        w.u16(r.data.port);
        return w.name(r.data.target);
      case 'TXT':
        if (!r.data.length) return w.bytes(Uint8Array.of(0));
        for (const s of r.data) {
          const b = Buffer.from(s, 'utf8').subarray(0, 255);
          w.bytes(Uint8Array.of(b.length));
          w.bytes(b);
        }
        return;
      case 'A':
        return w.bytes(ipv4Bytes(r.data));
      case 'AAAA':
        return w.bytes(ipv6Bytes(r.data));
    }
  });
}

/**
 * One query as packets of at most `maxBytes`: the questions first (several packets when they don't fit in one),
 * then the known answers, continuing in further packets with the TC bit set on every packet but the last
 * (RFC 6762 §7.2), so that responders wait for the whole list before answering.
 */
export function encodeQuery(questions: readonly Question[], knownAnswers: readonly KnownAnswer[] = [], maxBytes = MAX_QUERY_BYTES): Buffer[] {
  const packets: Buffer[] = [];
  let w = new PacketWriter();
  let counts = { questions: 0, answers: 0 };
  const flush = (truncated: boolean) => {
    packets.push(w.finish(counts, truncated));
    w = new PacketWriter();
    counts = { questions: 0, answers: 0 };
  };
  // A question that doesn't fit starts an independent query; a known answer that doesn't fit continues the
  // query in a packet after one with the TC bit.
  const put = <T>(items: readonly T[], write: (w: PacketWriter, item: T) => void, count: 'questions' | 'answers', truncated: boolean) => {
    for (const item of items) {
      if (!w.tryWrite((x) => write(x, item), maxBytes)) {
        flush(truncated);
        write(w, item);
      }
      counts[count]++;
    }
  };
  put(questions, writeQuestion, 'questions', false);
  put(knownAnswers, writeAnswer, 'answers', true);
  if (counts.questions || counts.answers) flush(false);
  return packets;
}

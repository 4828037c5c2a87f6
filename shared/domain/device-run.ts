import type { DeviceRef, DeviceRunSnapshot } from '../contract/provisioning';
import { DEFAULT_SSH_PORT, formatAddress, parseAddress } from './address';
import { deviceAddress, deviceKey, type Device } from './devices';

/** A device of a run before any work on it: how the runner lists it, and how the screen shows it until then. */
export function queuedDeviceRun(ref: DeviceRef): DeviceRunSnapshot {
  return {
    device: deviceKey(ref),
    address: ref.address,
    ...(ref.hostname ? { hostname: ref.hostname } : {}),
    state: 'queued',
    stage: 'queued',
    message: 'waiting',
    durationMs: 0,
    stages: [],
    log: [],
  };
}

type BoardRef = Pick<DeviceRef, 'address' | 'id' | 'hostname' | 'addresses'>;

/** How a listed device is handed to a run: by its ADDRESS, with its id, host name and every address it has. */
export function deviceRefOf(d: Device): DeviceRef {
  return { address: deviceAddress(d), id: d.id, hostname: d.hostname, addresses: d.addresses };
}

const isAnnounced = (ref: BoardRef) => ref.id?.startsWith('mdns:') === true;

/** Every `host:port` a reference can reach its board at: its ADDRESS, the addresses it is known by, and an announced board's `.local` name. */
function endpointsOf(ref: BoardRef): Set<string> {
  const main = parseAddress(ref.address);
  const port = (main.ok && main.address.port) || DEFAULT_SSH_PORT;
  const names = [ref.address, ...(ref.addresses ?? []), ...(isAnnounced(ref) && ref.hostname ? [`${ref.hostname}.local`] : [])];
  const out = new Set<string>();
  for (const name of names) {
    const parsed = parseAddress(name);
    if (parsed.ok) out.add(formatAddress({ ...parsed.address, port: parsed.address.port ?? port }, { keepDefaultPort: true }));
  }
  return out;
}

/**
 * Whether two references reach the same board, so that a run must not work on it twice at once: the same key,
 * or an address or `.local` name in common. Two announced boards are told apart by discovery (name and link)
 * alone: every USB-gadget board may answer at the same 192.168.7.2.
 */
export function sameBoard(a: BoardRef, b: BoardRef): boolean {
  const index = new BoardIndex<BoardRef>();
  index.add(a);
  return index.find(b) !== undefined;
}

/** `host:port` → the references that reach it. */
class EndpointMap<R extends BoardRef> {
  readonly #refs = new Map<string, R[]>();
  readonly #endpoints = new Map<R, Set<string>>();

  get size(): number {
    return this.#endpoints.size;
  }

  first(endpoints: Iterable<string>): R | undefined {
    for (const e of endpoints) {
      const held = this.#refs.get(e)?.[0];
      if (held) return held;
    }
    return undefined;
  }

  add(ref: R, endpoints = endpointsOf(ref)): void {
    this.#endpoints.set(ref, endpoints);
    for (const e of endpoints) {
      const list = this.#refs.get(e);
      if (list) list.push(ref);
      else this.#refs.set(e, [ref]);
    }
  }

  delete(ref: R): void {
    for (const e of this.#endpoints.get(ref) ?? []) {
      const rest = this.#refs.get(e)?.filter((r) => r !== ref) ?? [];
      if (rest.length) this.#refs.set(e, rest);
      else this.#refs.delete(e);
    }
    this.#endpoints.delete(ref);
  }
}

/**
 * References by the boards they reach, so that finding a board's other reference costs the same at any size.
 * Announced references are matched by key alone until a typed-in one comes: only then are their addresses
 * parsed, so a run of 1,000 discovered boards never parses them.
 */
export class BoardIndex<R extends BoardRef> {
  readonly #byKey = new Map<string, R>();
  readonly #typed = new EndpointMap<R>();
  readonly #announced = new EndpointMap<R>();
  /** Announced references not in `#announced` yet. */
  readonly #unparsed = new Set<R>();

  /** A reference held here that reaches the same board as `ref`. */
  find(ref: BoardRef): R | undefined {
    const sameKey = this.#byKey.get(deviceKey(ref).toLowerCase());
    if (sameKey) return sameKey;
    if (isAnnounced(ref)) return this.#typed.size ? this.#typed.first(endpointsOf(ref)) : undefined;
    for (const held of this.#unparsed) this.#announced.add(held);
    this.#unparsed.clear();
    const endpoints = endpointsOf(ref);
    return this.#announced.first(endpoints) ?? this.#typed.first(endpoints);
  }

  add(ref: R): void {
    this.#byKey.set(deviceKey(ref).toLowerCase(), ref);
    if (isAnnounced(ref)) this.#unparsed.add(ref);
    else this.#typed.add(ref);
  }

  delete(ref: R): void {
    const key = deviceKey(ref).toLowerCase();
    if (this.#byKey.get(key) === ref) this.#byKey.delete(key);
    this.#unparsed.delete(ref);
    this.#announced.delete(ref);
    this.#typed.delete(ref);
  }
}

/**
 * One reference per board, in the order given. Of a board given twice (announced, and typed in by address or
 * name), the announced reference is kept in the first one's place: its hostname keys the pinned host key and
 * the board's identity.
 */
export function onePerBoard<R extends BoardRef>(refs: readonly R[]): { refs: R[]; repeats: Array<{ kept: R; repeat: R }> } {
  const index = new BoardIndex<R>();
  const kept: R[] = [];
  const repeats: Array<{ kept: R; repeat: R }> = [];
  for (const ref of refs) {
    const first = index.find(ref);
    if (!first) {
      kept.push(ref);
      index.add(ref);
    } else if (isAnnounced(ref) && !isAnnounced(first)) {
      repeats.push({ kept: ref, repeat: first });
      kept[kept.indexOf(first)] = ref;
      index.delete(first);
      index.add(ref);
    } else {
      repeats.push({ kept: first, repeat: ref });
    }
  }
  return { refs: kept, repeats };
}

/**
 * The boards listed twice: each device added by address whose board is also present as an announced device (an
 * address or `.local` name in common), with that device, by the added one's id.
 */
export function announcedTwins(devices: Iterable<Device>): Map<string, Device> {
  const twins = new Map<string, Device>();
  const all = [...devices];
  const typed = all.filter((d) => d.source === 'manual');
  if (!typed.length) return twins;
  const listed = new BoardIndex<DeviceRef>();
  const byRef = new Map<DeviceRef, Device>();
  for (const d of all) {
    if (d.source !== 'mdns' || !d.present) continue;
    const ref = deviceRefOf(d);
    listed.add(ref);
    byRef.set(ref, d);
  }
  for (const d of typed) {
    const found = listed.find(deviceRefOf(d));
    if (found) twins.set(d.id, byRef.get(found)!);
  }
  return twins;
}

/** What a run says about a board it was given twice, in each door's names for the two. */
export const selectedTwiceNote = (kept: string, repeat: string) => `${kept} was selected twice (also as ${repeat}): it is provisioned once`;

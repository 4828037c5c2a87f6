import type { DeviceRef, DeviceRunSnapshot } from '../contract/provisioning';
import { DEFAULT_SSH_PORT, formatAddress, parseAddress } from './address';
import { deviceKey } from './devices';

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

/** References by the boards they reach, so that finding a board's other reference costs the same at any size. */
export class BoardIndex<R extends BoardRef> {
  readonly #byKey = new Map<string, R>();
  readonly #byEndpoint = new Map<string, R[]>();
  readonly #endpoints = new Map<R, Set<string>>();

  /** A reference held here that reaches the same board as `ref`. */
  find(ref: BoardRef): R | undefined {
    const sameKey = this.#byKey.get(deviceKey(ref).toLowerCase());
    if (sameKey) return sameKey;
    for (const e of endpointsOf(ref)) {
      const other = this.#byEndpoint.get(e)?.find((r) => !(isAnnounced(r) && isAnnounced(ref)));
      if (other) return other;
    }
    return undefined;
  }

  add(ref: R): void {
    this.#byKey.set(deviceKey(ref).toLowerCase(), ref);
    const endpoints = endpointsOf(ref);
    this.#endpoints.set(ref, endpoints);
    for (const e of endpoints) {
      const list = this.#byEndpoint.get(e);
      if (list) list.push(ref);
      else this.#byEndpoint.set(e, [ref]);
    }
  }

  delete(ref: R): void {
    const key = deviceKey(ref).toLowerCase();
    if (this.#byKey.get(key) === ref) this.#byKey.delete(key);
    for (const e of this.#endpoints.get(ref) ?? []) {
      const rest = this.#byEndpoint.get(e)?.filter((r) => r !== ref) ?? [];
      if (rest.length) this.#byEndpoint.set(e, rest);
      else this.#byEndpoint.delete(e);
    }
    this.#endpoints.delete(ref);
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

/** What a run says about a board it was given twice, in each door's names for the two. */
export const selectedTwiceNote = (kept: string, repeat: string) => `${kept} was selected twice (also as ${repeat}): it is provisioned once`;

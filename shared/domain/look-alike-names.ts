/**
 * Board names that read the same on screen. A hostile responder can announce `mbed-linux-os-1` spelt with a
 * capital I, a zero for an o, a Cyrillic а or a hidden character, next to the real board, and hope its row is
 * picked. Names are compared by a skeleton: what is left when everything that reads alike is made the same.
 */

/** Letters of other scripts drawn like a Latin letter (the common ones of Unicode's confusables list), and that letter. */
const OTHER_SCRIPTS = 'авеёһіїјкмнорстухѕԁԛԝαβεικνορτυχϲı';
const AS_LATIN = 'abeehiijkmhopctyxsdqwabeikvoptuxci';

/** What a name reads as: hidden characters (written out as `\uXXXX` by discovery) dropped, look-alikes made one. */
export function nameSkeleton(name: string): string {
  const plain = name
    .replace(/\\u[0-9a-f]{4}/gi, '')
    .normalize('NFKC')
    .replace(/I/g, 'l')
    .toLowerCase();
  let out = '';
  for (const c of plain) {
    const at = OTHER_SCRIPTS.indexOf(c);
    out += at < 0 ? c : AS_LATIN[at];
  }
  return out.replace(/rn/g, 'm').replace(/vv/g, 'w').replace(/[1|i]/g, 'l').replace(/0/g, 'o');
}

/** Skeletons by name: the list asks again after every batch of changes, mostly for the same names. */
const skeletons = new Map<string, string>();
const MAX_REMEMBERED = 10_000;

function skeletonOf(name: string): string {
  let key = skeletons.get(name);
  if (key === undefined) {
    if (skeletons.size >= MAX_REMEMBERED) skeletons.clear();
    key = nameSkeleton(name);
    skeletons.set(name, key);
  }
  return key;
}

type Named = { id: string; name: string; source: string };

/** Announced devices by what their names read as, kept up to date one device at a time (`pws discover --watch`). */
export class LookAlikeIndex {
  readonly #bySkeleton = new Map<string, Map<string, string>>();
  readonly #skeletonOf = new Map<string, string>();

  set(d: Named): void {
    this.delete(d.id);
    if (d.source !== 'mdns') return;
    const key = skeletonOf(d.name);
    this.#skeletonOf.set(d.id, key);
    const group = this.#bySkeleton.get(key);
    if (group) group.set(d.id, d.name);
    else this.#bySkeleton.set(key, new Map([[d.id, d.name]]));
  }

  delete(id: string): void {
    const key = this.#skeletonOf.get(id);
    if (key === undefined) return;
    this.#skeletonOf.delete(id);
    const group = this.#bySkeleton.get(key)!;
    group.delete(id);
    if (!group.size) this.#bySkeleton.delete(key);
  }

  /** The other names the device's name reads like without being the same, or undefined. */
  readsLike(id: string): string[] | undefined {
    const key = this.#skeletonOf.get(id);
    const group = key === undefined ? undefined : this.#bySkeleton.get(key)!;
    if (!group || group.size < 2) return undefined;
    const own = group.get(id);
    const others = [...new Set([...group.values()].filter((name) => name !== own))];
    return others.length ? others : undefined;
  }
}

/**
 * For each announced device whose name reads like another's without being the same, the other names, by
 * device id. Devices added by address are named by their address and left out.
 */
export function lookAlikeNames(devices: Iterable<Named>): Map<string, string[]> {
  const bySkeleton = new Map<string, Named[]>();
  for (const d of devices) {
    if (d.source !== 'mdns') continue;
    const key = skeletonOf(d.name);
    const group = bySkeleton.get(key);
    if (group) group.push(d);
    else bySkeleton.set(key, [d]);
  }
  const out = new Map<string, string[]>();
  for (const group of bySkeleton.values()) {
    if (group.length < 2) continue;
    for (const d of group) {
      const others = [...new Set(group.filter((o) => o.name !== d.name).map((o) => o.name))];
      if (others.length) out.set(d.id, others);
    }
  }
  return out;
}

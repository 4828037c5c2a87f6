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

type Named = { id: string; name: string; source: string; nickname?: string | undefined };

/**
 * The texts a look-alike could imitate: an announced name, and a nickname the user gave (the table shows it
 * instead of the name, so a hostile board's name that reads like it is just as misleading). A device added by
 * address is named by its address, which is no name to imitate; its nickname counts.
 */
function labelsOf(d: Named): Label[] {
  const labels: Label[] = d.source === 'mdns' ? [{ id: d.id, text: d.name, kind: 'name' }] : [];
  if (d.nickname && !labels.some((l) => l.text === d.nickname)) labels.push({ id: d.id, text: d.nickname, kind: 'nickname' });
  return labels;
}

type Label = { id: string; text: string; kind: 'name' | 'nickname' };

/**
 * The other devices' texts in the groups of one device's labels that read alike. One name announced by two devices
 * is not among them (a board seen on two links; `announcedTwins` tells those apart), but a name that is the very
 * nickname of another device is: that is the imitation the user would fall for.
 */
function othersIn(id: string, groups: Iterable<Iterable<Label>>): string[] | undefined {
  const others = new Set<string>();
  for (const group of groups) {
    const own: Label[] = [];
    const theirs: Label[] = [];
    for (const l of group) (l.id === id ? own : theirs).push(l);
    for (const o of theirs) if (!own.some((l) => l.text === o.text && l.kind === 'name' && o.kind === 'name')) others.add(o.text);
  }
  return others.size ? [...others] : undefined;
}

/** Devices by what their names and nicknames read as, kept up to date one device at a time (`pws discover --watch`). */
export class LookAlikeIndex {
  readonly #bySkeleton = new Map<string, Map<string, Label>>();
  readonly #skeletonsOf = new Map<string, string[]>();

  set(d: Named): void {
    this.delete(d.id);
    const keys: string[] = [];
    for (const label of labelsOf(d)) {
      const key = skeletonOf(label.text);
      keys.push(key);
      const group = this.#bySkeleton.get(key) ?? new Map<string, Label>();
      group.set(`${d.id}\n${label.kind}`, label);
      this.#bySkeleton.set(key, group);
    }
    if (keys.length) this.#skeletonsOf.set(d.id, keys);
  }

  delete(id: string): void {
    for (const key of this.#skeletonsOf.get(id) ?? []) {
      const group = this.#bySkeleton.get(key);
      if (!group) continue;
      for (const [k, l] of group) if (l.id === id) group.delete(k);
      if (!group.size) this.#bySkeleton.delete(key);
    }
    this.#skeletonsOf.delete(id);
  }

  /** The other names and nicknames the device's own read like without being the same, or undefined. */
  readsLike(id: string): string[] | undefined {
    const keys = this.#skeletonsOf.get(id);
    if (!keys) return undefined;
    return othersIn(
      id,
      keys.map((k) => this.#bySkeleton.get(k)!.values()),
    );
  }
}

/**
 * For each device whose name or nickname reads like another device's without being the same, those other names
 * and nicknames, by device id. Devices added by address count only by their nicknames.
 */
export function lookAlikeNames(devices: Iterable<Named>): Map<string, string[]> {
  // Called after every batch of changes with 1,000 boards listed: almost every group has one label, and only the
  // groups of two or more are looked at again.
  const bySkeleton = new Map<string, Label | Label[]>();
  for (const d of devices) {
    for (const label of labelsOf(d)) {
      const key = skeletonOf(label.text);
      const group = bySkeleton.get(key);
      if (group === undefined) bySkeleton.set(key, label);
      else if (Array.isArray(group)) group.push(label);
      else bySkeleton.set(key, [group, label]);
    }
  }
  const groupsOf = new Map<string, Label[][]>();
  for (const group of bySkeleton.values()) {
    if (!Array.isArray(group)) continue;
    for (const { id } of group) {
      const groups = groupsOf.get(id);
      if (!groups) groupsOf.set(id, [group]);
      else if (!groups.includes(group)) groups.push(group);
    }
  }
  const out = new Map<string, string[]>();
  for (const [id, groups] of groupsOf) {
    const others = othersIn(id, groups);
    if (others) out.set(id, others);
  }
  return out;
}

import { describe, expect, it } from 'vitest';
import { LookAlikeIndex, lookAlikeNames, nameSkeleton } from '../../../../shared/domain/look-alike-names';
import { announcedDevice } from '../../../support/devices';

describe('nameSkeleton: what a name reads as', () => {
  it('reads a capital I, a 1 and a bar as l, a zero as o, rn as m, and ignores case', () => {
    const real = nameSkeleton('mbed-linux-os-10');
    for (const imitation of ['mbed-Iinux-os-10', 'mbed-linux-os-1O', 'MBED-LINUX-OS-10', 'mbed-|inux-os-lo']) expect(nameSkeleton(imitation)).toBe(real);
    expect(nameSkeleton('board-rn')).toBe(nameSkeleton('board-m'));
  });

  it('reads Cyrillic and Greek look-alikes, compatibility forms and written-out hidden characters as what they imitate', () => {
    const real = nameSkeleton('mbed-linux-os-1');
    expect(nameSkeleton('mbеd-linux-оs-1')).toBe(real); // Cyrillic е and о
    expect(nameSkeleton('mbed-linux-οs-1')).toBe(real); // Greek ο
    expect(nameSkeleton('𝗆bed-linux-os-１')).toBe(real); // mathematical m, fullwidth 1
    expect(nameSkeleton('mbed-linux-os-1\\u200b')).toBe(real); // a zero-width space, as discovery writes it out
  });

  it('keeps names apart that read differently', () => {
    expect(nameSkeleton('mbed-linux-os-1')).not.toBe(nameSkeleton('mbed-linux-os-2'));
    expect(nameSkeleton('mbed-linux-os-1')).not.toBe(nameSkeleton('mbed-linux-os-11'));
  });
});

describe('lookAlikeNames', () => {
  it('pairs announced boards whose names read alike without being the same, and leaves the rest alone', () => {
    const real = announcedDevice('mbed-linux-os-1');
    const imitation = announcedDevice('mbed-Iinux-os-1');
    const sameNameOtherLink = announcedDevice('mbed-linux-os-1', { id: 'mdns:mbed-linux-os-1@usb0' });
    const other = announcedDevice('mbed-linux-os-2');
    const manual = announcedDevice('169.254.20.1', { id: 'manual:169.254.20.1', source: 'manual' });
    const alike = lookAlikeNames([real, imitation, sameNameOtherLink, other, manual]);
    expect([...alike]).toEqual([
      [real.id, ['mbed-Iinux-os-1']],
      [imitation.id, ['mbed-linux-os-1']],
      [sameNameOtherLink.id, ['mbed-Iinux-os-1']],
    ]);
  });
});

describe('lookAlikeNames: nicknames, which the table shows instead of names', () => {
  it("marks an announced name that reads like, or is, another board's nickname, and that board", () => {
    const nicknamed = announcedDevice('mbed-linux-os-1234', { nickname: 'bench-left' });
    const imitation = announcedDevice('bench-Ieft');
    const sameText = announcedDevice('bench-left', { id: 'mdns:bench-left@eth0' });
    const handAdded = announcedDevice('169.254.20.9', { id: 'manual:169.254.20.9', source: 'manual', nickname: 'gateway-0' });
    const gatewayImitation = announcedDevice('gateway-o');
    const alike = lookAlikeNames([nicknamed, imitation, sameText, handAdded, gatewayImitation]);
    expect(alike.get(imitation.id)).toEqual(['bench-left']);
    expect(alike.get(sameText.id)?.sort()).toEqual(['bench-Ieft', 'bench-left']);
    expect(alike.get(nicknamed.id)?.sort()).toEqual(['bench-Ieft', 'bench-left']);
    expect(alike.get(gatewayImitation.id)).toEqual(['gateway-0']);
    expect(alike.get(handAdded.id)).toEqual(['gateway-o']);
  });

  it('leaves a board alone whose nickname is its own name, or reads like nothing else', () => {
    const own = announcedDevice('mbed-linux-os-1', { nickname: 'mbed-linux-os-1' });
    const other = announcedDevice('mbed-linux-os-2', { nickname: 'bench-right' });
    expect([...lookAlikeNames([own, other])]).toEqual([]);
  });
});

describe('LookAlikeIndex', () => {
  it('answers as lookAlikeNames does for nicknames too', () => {
    const index = new LookAlikeIndex();
    const nicknamed = announcedDevice('mbed-linux-os-1234', { nickname: 'bench-left' });
    const imitation = announcedDevice('bench-Ieft');
    index.set(nicknamed);
    index.set(imitation);
    expect(index.readsLike(imitation.id)).toEqual(['bench-left']);
    expect(index.readsLike(nicknamed.id)).toEqual(['bench-Ieft']);
    index.set({ ...nicknamed, nickname: undefined }); // the nickname cleared
    expect(index.readsLike(imitation.id)).toBeUndefined();
  });

  it('answers as lookAlikeNames does while devices come and go one at a time', () => {
    const index = new LookAlikeIndex();
    const real = announcedDevice('mbed-linux-os-1');
    const imitation = announcedDevice('mbed-linux-os-l');
    index.set(real);
    expect(index.readsLike(real.id)).toBeUndefined();
    index.set(imitation);
    expect(index.readsLike(imitation.id)).toEqual(['mbed-linux-os-1']);
    expect(index.readsLike(real.id)).toEqual(['mbed-linux-os-l']);
    index.set({ ...imitation, name: 'mbed-linux-os-7' }); // renamed: no longer alike
    expect(index.readsLike(real.id)).toBeUndefined();
    index.set(imitation);
    index.delete(real.id);
    expect(index.readsLike(imitation.id)).toBeUndefined();
    expect(index.readsLike('mdns:never-seen@eth0')).toBeUndefined();
  });
});

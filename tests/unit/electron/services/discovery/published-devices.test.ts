import { describe, expect, it } from 'vitest';
import { devicesEvents } from '../../../../../shared/contract/devices';
import { SettingsSchema, type Settings } from '../../../../../shared/contract/settings';
import { deviceFromParts, type DeviceChange } from '../../../../../shared/domain/devices';
import { ManualDevices } from '../../../../../electron/services/discovery/manual-devices';
import { PublishedDevices } from '../../../../../electron/services/discovery/published-devices';
import { EventHub } from '../../../../../electron/services/events';

const board = (name: string, lastSeen = 1_000) =>
  deviceFromParts({ name, link: 'eth0', host: `${name}.local`, port: 22, txt: ['mblos=1'], addresses: ['169.254.3.4'], lastSeen });

function setup(batchMs = 50) {
  const events = new EventHub();
  const messages: DeviceChange[][] = [];
  events.on(devicesEvents.changed, (batch) => messages.push(batch));
  const published = new PublishedDevices({ events, manual: new ManualDevices(), batchMs });
  const heard: DeviceChange[] = [];
  published.onChange((c) => heard.push(c));
  return { published, messages, heard };
}

const settings = (patch: Partial<Settings>): Settings => ({ ...SettingsSchema.parse({}), ...patch });

describe('PublishedDevices', () => {
  it('tells listeners at once and the doors in one batch, where an arrival then an update is still an arrival', () => {
    const { published, messages, heard } = setup();
    const a = board('a');
    published.publish([{ event: 'added', device: a }]);
    published.publish([{ event: 'updated', device: board('a', 9_000) }]);
    expect(heard.map((c) => c.event)).toEqual(['added', 'updated']);
    expect(messages).toEqual([]);
    published.flush();
    expect(messages).toHaveLength(1);
    expect(messages[0]!.map((c) => [c.event, c.device.lastSeen])).toEqual([['added', new Date(9_000).toISOString()]]);
  });

  it('shares a device that has nothing to add, and decorates one with a nickname or star from settings', () => {
    const { published } = setup(0);
    const a = board('a');
    expect(published.decorate(a)).toBe(a);
    published.settings = settings({ nicknames: { [a.id]: 'left shelf' }, favourites: [a.id] });
    expect(published.decorate(a)).toMatchObject({ nickname: 'left shelf', favourite: true });
    expect(a.nickname).toBeUndefined();
  });

  it('after a settings change publishes only the devices it changed, and the boards added by address', () => {
    const { published, heard } = setup(0);
    const [a, b] = [board('a'), board('b')];
    published.publish([
      { event: 'added', device: a },
      { event: 'added', device: b },
    ]);
    heard.length = 0;
    published.settings = settings({ favourites: [b.id], pinnedDevices: [{ address: '169.254.9.9' }] });
    published.redecorate();
    expect(heard.map((c) => [c.event, c.device.name])).toEqual([
      ['added', '169.254.9.9'],
      ['updated', 'b'],
    ]);
    expect(published.get(b.id)?.favourite).toBe(true);
    expect(published.get(a.id)).toBe(a);
  });
});

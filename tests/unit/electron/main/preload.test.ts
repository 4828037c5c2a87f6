import { describe, it, expect, vi, beforeAll } from 'vitest';
import { allChannels, eventNames } from '../../../../shared/contract/index';
import { FakeContextBridge, FakeIpcRenderer } from './electron-fakes';

const bridge = new FakeContextBridge();
const ipcRenderer = new FakeIpcRenderer();
vi.mock('electron', () => ({ contextBridge: bridge, ipcRenderer }));

type Exposed = { calls: Record<string, (r: unknown) => Promise<unknown>>; subscribe: (e: string, cb: (p: unknown) => void) => () => void };
let exposed: Exposed;

beforeAll(async () => {
  await import('../../../../electron/main/preload');
  exposed = bridge.exposed.get('pws') as Exposed;
});

describe('preload bridge', () => {
  it('exposes exactly one object, `pws`, and never ipcRenderer itself', () => {
    expect([...bridge.exposed.keys()]).toEqual(['pws']);
    expect(Object.keys(exposed).sort()).toEqual(['calls', 'subscribe']);
    const values = [exposed, ...Object.values(exposed), ...Object.values(exposed.calls)];
    expect(values).not.toContain(ipcRenderer);
    expect(JSON.stringify(Object.keys(exposed.calls))).not.toMatch(/send|invoke|on\b/);
  });

  it('exposes only contract channels, one function each', () => {
    expect(Object.keys(exposed.calls).sort()).toEqual(allChannels.map((c) => c.name).sort());
    for (const fn of Object.values(exposed.calls)) expect(typeof fn).toBe('function');
  });

  it('forwards a call to its own channel name with the request', async () => {
    await exposed.calls['settings:get']!({});
    expect(ipcRenderer.invoked.at(-1)).toEqual({ channel: 'settings:get', args: [{}] });
  });

  it('refuses to subscribe to an event outside the contract', () => {
    expect(() => exposed.subscribe('anything:else', () => {})).toThrow(/not an event/);
  });

  it('delivers only the subscribed event, and unsubscribes', () => {
    const [name] = [...eventNames];
    const got: unknown[] = [];
    const off = exposed.subscribe(name!, (p) => got.push(p));
    ipcRenderer.emit('pws:event', name, { a: 1 });
    ipcRenderer.emit('pws:event', 'other:event', { b: 2 });
    off();
    ipcRenderer.emit('pws:event', name, { a: 3 });
    expect(got).toEqual([{ a: 1 }]);
  });
});

// @vitest-environment jsdom
import { describe, it, expect, afterEach, vi } from 'vitest';
import type { ComponentProps } from 'react';
import { render, cleanup, fireEvent } from '@testing-library/react';
import type { Device } from '../../../../shared/contract/devices';
import { DeviceGrid } from '../../../../renderer/features/devices/DeviceGrid';
import { clickRow, emptySelection, moveFocus, toggleFocused, selectAll, type SelectionState } from '../../../../renderer/features/devices/selection';

afterEach(cleanup);

/** Each row render asks once whether its name has letters beyond ASCII: counting the calls counts row renders. */
const rowRenders = vi.hoisted(() => ({ count: 0 }));
vi.mock('../../../../shared/domain/devices', async (original) => {
  const real = await original<typeof import('../../../../shared/domain/devices')>();
  return { ...real, lettersBeyondAscii: (name: string) => (rowRenders.count++, real.lettersBeyondAscii(name)) };
});

const devices: Device[] = Array.from({ length: 1000 }, (_, i) => ({
  id: `mdns:board-${i}@eth0`,
  name: `board-${i}`,
  hostname: `board-${i}`,
  addresses: [`fe80::${i.toString(16)}%eth0`],
  port: 22,
  txt: {},
  isMbl: true,
  lastSeen: null,
  source: 'mdns',
  present: i !== 3,
  interface: 'eth0',
  favourite: false,
}));

/** A grid with nothing selected, no marks and handlers that do nothing: each test overrides what it looks at. */
const quiet: ComponentProps<typeof DeviceGrid> = {
  rows: devices,
  selection: emptySelection,
  sort: { key: 'name', direction: 'ascending' },
  probes: new Map(),
  listedTwice: new Map(),
  lookAlikes: new Map(),
  onSort: () => {},
  onClick: () => {},
  onMove: () => {},
  onToggleFocused: () => {},
  onSelectAll: () => {},
  onClear: () => {},
  onFavourite: () => {},
  onRename: () => {},
  onRemove: () => {},
};

function Harness({ state, onChange }: { state: SelectionState; onChange: (s: SelectionState) => void }) {
  const order = devices.map((d) => d.id);
  return (
    <DeviceGrid
      {...quiet}
      selection={state}
      onClick={(id, mods) => onChange(clickRow(state, order, id, mods))}
      onMove={(key, shift) => onChange(moveFocus(state, order, key, shift))}
      onToggleFocused={() => onChange(toggleFocused(state))}
      onSelectAll={() => onChange(selectAll(state, order))}
      onClear={() => onChange(emptySelection)}
    />
  );
}

/** The grid with nothing selected and no handlers: for what its rows show. */
function renderStill(rows: Device[], marks: Partial<Pick<ComponentProps<typeof DeviceGrid>, 'probes' | 'listedTwice' | 'lookAlikes'>> = {}) {
  return render(<DeviceGrid {...quiet} {...marks} rows={rows} />);
}

describe('DeviceGrid', () => {
  it('keeps only a window of 1,000 rows in the DOM and greys a device that went away', () => {
    const { container } = render(<Harness state={emptySelection} onChange={() => {}} />);
    const rows = container.querySelectorAll('[role="row"][data-device-id]');
    expect(rows.length).toBeGreaterThan(5);
    expect(rows.length).toBeLessThan(40);
    expect(container.querySelector('[role="grid"]')!.getAttribute('aria-rowcount')).toBe('1001');
    expect(container.querySelector('[data-device-id="mdns:board-3@eth0"]')!.className).toContain('gone');
  });

  it('never calls a board added by address online: nothing announces it, only Check status asks it', () => {
    const manual: Device = {
      ...devices[0]!,
      id: 'manual:169.254.20.77',
      name: '169.254.20.77',
      hostname: '169.254.20.77',
      addresses: ['169.254.20.77'],
      source: 'manual',
      interface: null,
    };
    const { container } = renderStill([manual, devices[1]!]);
    const statusOf = (id: string) => container.querySelectorAll(`[data-device-id="${id}"] [role="gridcell"]`)[5]!;
    expect(statusOf('mdns:board-1@eth0').textContent).toBe('online');
    expect(statusOf('manual:169.254.20.77').textContent).toBe('—');
    expect(statusOf('manual:169.254.20.77').getAttribute('title')).toMatch(/Added by address.*Check status/);
  });

  it('marks a board added by address that is also listed as announced, naming that row', () => {
    const manual: Device = { ...devices[0]!, id: 'manual:169.254.20.1', name: '169.254.20.1', source: 'manual', interface: null };
    const { container } = renderStill([manual, devices[1]!], { listedTwice: new Map([[manual.id, devices[1]!]]) });
    const mark = (id: string) => [...container.querySelectorAll(`[data-device-id="${id}"] .badge`)].find((b) => b.textContent === 'listed twice');
    expect(mark(manual.id)?.getAttribute('title')).toBe(
      `Added by address, and also listed as ${devices[1]!.name}, found on the network: selecting both provisions it once`,
    );
    expect(mark(devices[1]!.id)).toBeUndefined();
    const badges = (id: string) => [...container.querySelectorAll(`[data-device-id="${id}"] .badge`)].map((b) => b.textContent);
    expect(badges(manual.id)).not.toContain('manual');
  });

  it('says whether a board added by address runs Mbed Linux OS only once Check status has asked it', () => {
    const manual = (n: number): Device => ({
      ...devices[0]!,
      id: `manual:169.254.20.${n}`,
      name: `169.254.20.${n}`,
      hostname: `169.254.20.${n}`,
      addresses: [`169.254.20.${n}`],
      source: 'manual',
      interface: null,
    });
    const probes = new Map([
      ['manual:169.254.20.2', { device: '169.254.20.2', ok: true, provisioned: false, message: 'not provisioned', label: '169.254.20.2' }],
      ['manual:169.254.20.3', { device: '169.254.20.3', ok: false, code: 'utility-missing' as const, message: 'utility missing', label: '169.254.20.3' }],
      ['manual:169.254.20.4', { device: '169.254.20.4', ok: false, code: 'unreachable' as const, message: 'no answer', label: '169.254.20.4' }],
    ]);
    const { container } = renderStill([manual(1), manual(2), manual(3), manual(4), devices[1]!], { probes });
    const mblOf = (id: string) => container.querySelectorAll(`[data-device-id="${id}"] [role="gridcell"]`)[4]!;
    expect(mblOf('mdns:board-1@eth0').textContent).toBe('MBL');
    expect(mblOf('manual:169.254.20.1').textContent).toBe('—');
    expect(mblOf('manual:169.254.20.1').getAttribute('title')).toMatch(/Added by address.*Check status/);
    expect(mblOf('manual:169.254.20.2').textContent).toBe('MBL');
    expect(mblOf('manual:169.254.20.3').textContent).toBe('other');
    expect(mblOf('manual:169.254.20.4').textContent).toBe('—');
  });

  it('marks a name with letters outside plain ASCII, which may imitate another board, and names the letters', () => {
    const lookalike: Device = { ...devices[1]!, id: 'mdns:mb\u0435d@eth0', name: 'mb\u0435d-linux-os-1' };
    const { container } = renderStill([lookalike, devices[2]!]);
    const nameOf = (id: string) => container.querySelector(`[data-device-id="${id}"] .device-name`)!;
    const mark = nameOf('mdns:mb\u0435d@eth0').querySelector('.badge-warn')!;
    expect(mark.textContent).toBe('not ASCII');
    expect(mark.getAttribute('title')).toBe('Its name has letters outside plain ASCII (\u0435 U+0435): it may imitate another board\u2019s name');
    expect(nameOf('mdns:board-2@eth0').querySelector('.badge-warn')).toBeNull();
  });

  it('marks names that read like another board’s, naming it', () => {
    const imitation: Device = { ...devices[1]!, id: 'mdns:imitation@eth0', name: 'board-l' };
    const { container } = renderStill([imitation, devices[1]!, devices[2]!], {
      lookAlikes: new Map([
        [imitation.id, ['board-1']],
        [devices[1]!.id, ['board-l']],
      ]),
    });
    const mark = (id: string) => container.querySelector(`[data-device-id="${id}"] .device-name .badge-warn`);
    expect(mark(imitation.id)?.textContent).toBe('looks alike');
    expect(mark(imitation.id)?.getAttribute('title')).toBe(
      'Its name reads like board-1: one of them may imitate the other; check the addresses before you select it',
    );
    expect(mark(devices[1]!.id)?.getAttribute('title')).toMatch(/^Its name reads like board-l:/);
    expect(mark(devices[2]!.id)).toBeNull();
  });

  it('handles the keyboard: arrows, Space, Shift+arrows and Ctrl+A', () => {
    let state = emptySelection;
    const { container, rerender } = render(<Harness state={state} onChange={(s) => (state = s)} />);
    const grid = container.querySelector('[role="grid"]') as HTMLElement;
    const press = (key: string, init: Partial<KeyboardEventInit> = {}) => {
      fireEvent.keyDown(grid, { key, ...init });
      rerender(<Harness state={state} onChange={(s) => (state = s)} />);
    };
    press('ArrowDown');
    press(' ');
    press('ArrowDown', { shiftKey: true });
    press('ArrowDown', { shiftKey: true });
    expect([...state.selected]).toEqual(['mdns:board-0@eth0', 'mdns:board-1@eth0', 'mdns:board-2@eth0']);
    expect(container.querySelectorAll('[aria-selected="true"]').length).toBe(3);
    expect(grid.getAttribute('aria-activedescendant')).toBe(container.querySelector('.device-row.focused')!.id);
    press('a', { ctrlKey: true });
    expect(state.selected.size).toBe(1000);
    press('Escape');
    expect(state.selected.size).toBe(0);
  });
});

describe('DeviceGrid while boards arrive', () => {
  /** The grid as the screen renders it for each batch: new maps of marks and new handlers every time. */
  const batch = (rows: Device[], onFavourite: (d: Device) => void = () => {}) => (
    <DeviceGrid {...quiet} rows={rows} listedTwice={new Map()} lookAlikes={new Map()} onFavourite={onFavourite} onRename={() => {}} />
  );

  it('renders no row in view again when a batch changes only boards out of view', () => {
    const { container, rerender } = render(batch(devices));
    const inView = container.querySelectorAll('[data-device-id]').length;
    expect(inView).toBeGreaterThan(5);
    rowRenders.count = 0;
    const next = devices.map((d, i) => (i === 900 ? { ...d, present: false } : d));
    rerender(batch(next));
    expect(rowRenders.count).toBe(0);
    // a board in view that changed is rendered again, alone
    rerender(batch(next.map((d, i) => (i === 2 ? { ...d, present: false } : d))));
    expect(rowRenders.count).toBe(1);
    expect(container.querySelector('[data-device-id="mdns:board-2@eth0"]')!.className).toContain('gone');
  });

  it('calls the handler of the latest render from a row that was not rendered again', () => {
    const calls: string[] = [];
    const { container, rerender } = render(batch(devices, () => calls.push('first')));
    rerender(batch(devices, (d) => calls.push(`second ${d.name}`)));
    fireEvent.click(container.querySelector('[data-device-id="mdns:board-1@eth0"] .star')!);
    expect(calls).toEqual(['second board-1']);
  });
});

describe('DeviceGrid keyboard access', () => {
  const tabStops = (root: HTMLElement) =>
    [...root.querySelectorAll<HTMLElement>('a[href], button, input, select, textarea, [tabindex]')].filter(
      (el) => el.tabIndex >= 0 && !(el as HTMLButtonElement).disabled,
    );

  it('is one Tab stop with 1,000 devices: nothing inside a row is tabbable', () => {
    const { container } = render(<Harness state={emptySelection} onChange={() => {}} />);
    expect(tabStops(container)).toEqual([container.querySelector('[role="grid"]')]);
  });

  it('renames, favourites and removes the focused row by key, and reaches the sort buttons with ↑', () => {
    let state = emptySelection;
    const calls: string[] = [];
    const manual = devices.map((d, i) => (i === 1 ? { ...d, source: 'manual' as const } : d));
    const grid = (s: SelectionState) => (
      <DeviceGrid
        {...quiet}
        rows={manual}
        selection={s}
        onSort={(k) => calls.push(`sort ${k}`)}
        onMove={(key, shift) =>
          (state = moveFocus(
            state,
            manual.map((d) => d.id),
            key,
            shift,
          ))
        }
        onFavourite={(d) => calls.push(`favourite ${d.name}`)}
        onRename={(d) => calls.push(`rename ${d.name}`)}
        onRemove={(d) => calls.push(`remove ${d.name}`)}
      />
    );
    const { container, rerender } = render(grid(state));
    const el = container.querySelector('[role="grid"]') as HTMLElement;
    const press = (key: string) => {
      fireEvent.keyDown(el, { key });
      rerender(grid(state));
    };
    const active = () => container.querySelector(`[id="${el.getAttribute('aria-activedescendant')}"]`);
    press('ArrowDown');
    press('F2');
    press('Enter');
    press('f');
    press('Delete'); // board-0 was found by mDNS: nothing to remove
    press('ArrowDown');
    press('Delete');
    expect(calls).toEqual(['rename board-0', 'rename board-0', 'favourite board-0', 'remove board-1']);

    press('ArrowUp');
    press('ArrowUp');
    expect(active()!.getAttribute('role')).toBe('columnheader');
    expect(active()!.textContent).toMatch(/^Name/);
    press('ArrowRight');
    expect(active()!.textContent).toMatch(/^Addresses/);
    press('Enter');
    expect(calls.at(-1)).toBe('sort addresses');
    press('ArrowDown');
    expect(active()!.getAttribute('data-device-id')).toBe('mdns:board-0@eth0');
  });
});

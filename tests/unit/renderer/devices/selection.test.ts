import { describe, it, expect } from 'vitest';
import {
  clickRow,
  emptySelection,
  moveFocus,
  pruneSelection,
  selectAll,
  toggleFocused,
  type SelectionState,
} from '../../../../renderer/features/devices/selection';

const order = ['a', 'b', 'c', 'd', 'e'];
const sel = (s: SelectionState) => [...s.selected].sort();

describe('device selection', () => {
  it('a plain click selects one row, Ctrl/Cmd-click toggles, Shift-click selects the range from the anchor', () => {
    let s = clickRow(emptySelection, order, 'b');
    expect(sel(s)).toEqual(['b']);
    s = clickRow(s, order, 'd', { toggle: true });
    expect(sel(s)).toEqual(['b', 'd']);
    s = clickRow(s, order, 'd', { toggle: true });
    expect(sel(s)).toEqual(['b']);
    s = clickRow(clickRow(emptySelection, order, 'd'), order, 'b', { shift: true });
    expect(sel(s)).toEqual(['b', 'c', 'd']);
    expect(s.anchor).toBe('d');
    s = clickRow(s, order, 'e', { shift: true });
    expect(sel(s)).toEqual(['d', 'e']);
  });

  it('Ctrl+Shift-click adds the range to what was selected', () => {
    let s = clickRow(emptySelection, order, 'a');
    s = clickRow(s, order, 'c', { toggle: true });
    s = clickRow(s, order, 'e', { shift: true, toggle: true });
    expect(sel(s)).toEqual(['a', 'c', 'd', 'e']);
  });

  it('arrows move the focus without selecting; Space toggles; Shift+arrows extend from the anchor', () => {
    let s = moveFocus(emptySelection, order, 'ArrowDown', false);
    expect(s.focused).toBe('a');
    expect(sel(s)).toEqual([]);
    s = moveFocus(s, order, 'ArrowDown', false);
    s = toggleFocused(s);
    expect(sel(s)).toEqual(['b']);
    s = moveFocus(s, order, 'ArrowDown', true);
    s = moveFocus(s, order, 'ArrowDown', true);
    expect(sel(s)).toEqual(['b', 'c', 'd']);
    s = moveFocus(s, order, 'ArrowUp', true);
    expect(sel(s)).toEqual(['b', 'c']);
    s = moveFocus(s, order, 'End', false);
    expect(s.focused).toBe('e');
    s = moveFocus(s, order, 'ArrowDown', false);
    expect(s.focused).toBe('e');
    s = moveFocus(s, order, 'Home', true);
    expect(sel(s)).toEqual(['a', 'b']);
  });

  it('select all takes every visible row; pruning drops rows that left the list', () => {
    let s = selectAll(emptySelection, order);
    expect(sel(s)).toEqual(order);
    s = { ...s, focused: 'e' };
    s = pruneSelection(s, new Set(['a', 'b']));
    expect(sel(s)).toEqual(['a', 'b']);
    expect(s.focused).toBeNull();
  });
});

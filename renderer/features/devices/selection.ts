/**
 * Multi-selection over an ordered list of row ids, the way file managers do it: click, Ctrl/Cmd-click
 * toggles, Shift-click and Shift+arrows extend from the anchor, Space toggles the focused row.
 * Pure functions so the rules are tested without a DOM.
 */
export interface SelectionState {
  selected: ReadonlySet<string>;
  /** Where a Shift range starts. */
  anchor: string | null;
  /** The row the keyboard is on. */
  focused: string | null;
}

export const emptySelection: SelectionState = { selected: new Set(), anchor: null, focused: null };

export interface ClickModifiers {
  shift?: boolean;
  /** Ctrl on Linux/Windows, Cmd on macOS. */
  toggle?: boolean;
}

function range(order: readonly string[], from: string | null, to: string): string[] {
  const end = order.indexOf(to);
  if (end < 0) return [];
  const start = from === null ? -1 : order.indexOf(from);
  if (start < 0) return [to];
  const [lo, hi] = start <= end ? [start, end] : [end, start];
  return order.slice(lo, hi + 1);
}

export function clickRow(state: SelectionState, order: readonly string[], id: string, mods: ClickModifiers = {}): SelectionState {
  if (mods.shift) {
    const span = range(order, state.anchor ?? state.focused, id);
    const selected = new Set(mods.toggle ? [...state.selected, ...span] : span);
    return { selected, anchor: state.anchor ?? id, focused: id };
  }
  if (mods.toggle) {
    const selected = new Set(state.selected);
    if (selected.has(id)) selected.delete(id);
    else selected.add(id);
    return { selected, anchor: id, focused: id };
  }
  return { selected: new Set([id]), anchor: id, focused: id };
}

export function toggleFocused(state: SelectionState): SelectionState {
  if (state.focused === null) return state;
  return clickRow(state, [], state.focused, { toggle: true });
}

export function selectAll(state: SelectionState, order: readonly string[]): SelectionState {
  return { ...state, selected: new Set(order), anchor: state.anchor ?? order[0] ?? null };
}

export function clearSelection(state: SelectionState): SelectionState {
  return { ...state, selected: new Set(), anchor: null };
}

export type MoveKey = 'ArrowUp' | 'ArrowDown' | 'Home' | 'End' | 'PageUp' | 'PageDown';

/** Arrow keys move the focus; with Shift they extend the selection from the anchor to the new focus. */
export function moveFocus(state: SelectionState, order: readonly string[], key: MoveKey, shift: boolean, pageSize = 10): SelectionState {
  if (order.length === 0) return state;
  const current = state.focused === null ? -1 : order.indexOf(state.focused);
  const last = order.length - 1;
  let next: number;
  switch (key) {
    case 'ArrowDown':
      next = current < 0 ? 0 : Math.min(last, current + 1);
      break;
    case 'ArrowUp':
      next = current < 0 ? 0 : Math.max(0, current - 1);
      break;
    case 'Home':
      next = 0;
      break;
    case 'End':
      next = last;
      break;
    case 'PageDown':
      next = Math.min(last, Math.max(0, current) + pageSize);
      break;
    case 'PageUp':
      next = Math.max(0, current - pageSize);
      break;
  }
  const focused = order[next]!;
  if (!shift) return { ...state, focused };
  const anchor = state.anchor ?? state.focused ?? focused;
  return { selected: new Set(range(order, anchor, focused)), anchor, focused };
}

/** Drops ids that are no longer in the list (a manual device removed), keeping the rest. */
export function pruneSelection(state: SelectionState, known: ReadonlySet<string>): SelectionState {
  const selected = new Set([...state.selected].filter((id) => known.has(id)));
  if (selected.size === state.selected.size && (state.focused === null || known.has(state.focused))) return state;
  return {
    selected,
    anchor: state.anchor !== null && known.has(state.anchor) ? state.anchor : null,
    focused: state.focused !== null && known.has(state.focused) ? state.focused : null,
  };
}

import { useLayoutEffect, useRef, useState, type CSSProperties, type HTMLAttributes, type ReactNode } from 'react';
import { scrollToReveal, windowRange } from './window-range';

interface VirtualListProps<T> extends Omit<HTMLAttributes<HTMLDivElement>, 'children'> {
  items: readonly T[];
  rowHeight: number;
  /** Rendered above the rows and kept in view (a header row). */
  header?: ReactNode;
  headerHeight?: number;
  /** Scrolls this row into view whenever it changes (the keyboard's row). */
  revealIndex?: number;
  /** A row places itself with `rowStyle(index, rowHeight)`. */
  renderRow(item: T, index: number): ReactNode;
}

/** Where row `index` sits: absolutely, inside the spacer. */
export function rowStyle(index: number, rowHeight: number): CSSProperties {
  return { position: 'absolute', top: index * rowHeight, left: 0, right: 0, height: rowHeight };
}

/**
 * A small windowing list: only the rows in view (plus a few) are in the DOM, so 1,000 devices scroll as
 * smoothly as 10. Rows have one fixed height and are positioned absolutely inside a spacer as tall as
 * the whole list.
 */
export function VirtualList<T>({ items, rowHeight, header, headerHeight = 0, revealIndex, renderRow, ...rest }: VirtualListProps<T>) {
  const ref = useRef<HTMLDivElement | null>(null);
  const [scrollTop, setScrollTop] = useState(0);
  // Until measured, as tall as the window (never shorter than the list): a few rows too many for one frame.
  const [viewport, setViewport] = useState(() => (typeof window === 'undefined' ? 480 : window.innerHeight));

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el) return;
    const measure = () => setViewport(Math.max(rowHeight, el.clientHeight - headerHeight || 480));
    if (typeof ResizeObserver === 'undefined') return measure();
    // Its first report comes once the browser has laid the list out anyway. Reading clientHeight here instead
    // forced that layout inside the commit: with the first batch of a thousand boards, the longest task.
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, [rowHeight, headerHeight]);

  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || revealIndex === undefined || revealIndex < 0) return;
    const next = scrollToReveal(revealIndex, rowHeight, el.scrollTop, viewport);
    if (next !== el.scrollTop) {
      el.scrollTop = next;
      setScrollTop(next);
    }
  }, [revealIndex, rowHeight, viewport]);

  const { start, end } = windowRange(items.length, rowHeight, scrollTop, viewport);
  const rows: ReactNode[] = [];
  for (let i = start; i < end; i++) {
    rows.push(renderRow(items[i]!, i));
  }

  return (
    <div {...rest} ref={ref} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
      {header}
      <div role="presentation" style={{ position: 'relative', height: items.length * rowHeight }}>
        {rows}
      </div>
    </div>
  );
}

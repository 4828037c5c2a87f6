// @vitest-environment jsdom
import { describe, it, expect, afterEach, vi } from 'vitest';
import { render, cleanup, act } from '@testing-library/react';
import { VirtualList, rowStyle } from '../../../../renderer/features/devices/VirtualList';

afterEach(() => {
  cleanup();
  vi.unstubAllGlobals();
});

/** jsdom lays nothing out and has no ResizeObserver: this one reports when the test says the browser laid out. */
class ReportingResizeObserver {
  static last: ReportingResizeObserver | undefined;
  constructor(readonly callback: () => void) {
    ReportingResizeObserver.last = this;
  }
  observe() {}
  disconnect() {}
}

const items = Array.from({ length: 1000 }, (_, i) => `row ${i}`);

describe('VirtualList', () => {
  it('does not read its height while mounting: that would force a layout inside the commit', () => {
    vi.stubGlobal('ResizeObserver', ReportingResizeObserver);
    const heightReads = vi.spyOn(HTMLElement.prototype, 'clientHeight', 'get').mockReturnValue(220);
    const { container } = render(<VirtualList items={items} rowHeight={20} renderRow={(item, i) => <div key={item} data-row style={rowStyle(i, 20)} />} />);
    expect(heightReads).not.toHaveBeenCalled();
    // until measured, rows for a window-tall list: never too few
    expect(container.querySelectorAll('[data-row]').length).toBeGreaterThanOrEqual(Math.ceil(window.innerHeight / 20));
    // once laid out, the list keeps only what fits in its 220 px, plus a few
    act(() => ReportingResizeObserver.last!.callback());
    expect(heightReads).toHaveBeenCalled();
    expect(container.querySelectorAll('[data-row]').length).toBeLessThanOrEqual(Math.ceil(220 / 20) + 1 + 6);
  });
});

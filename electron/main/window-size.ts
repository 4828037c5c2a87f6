/** The main window's size: the renderer's layout is tested at the minimum (tests/e2e/devices/narrow-window.e2e.ts). */
export const DEFAULT_WINDOW = { width: 1280, height: 820 } as const;
export const MIN_WINDOW = { width: 900, height: 600 } as const;

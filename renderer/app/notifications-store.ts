import { create } from 'zustand';

export interface Toast {
  id: number;
  kind: 'info' | 'success' | 'error';
  text: string;
  /** A newer toast on the same topic replaces this one (a run's summary, once the next run has finished). */
  topic?: string;
}

interface NotificationsState {
  toasts: Toast[];
  notify(kind: Toast['kind'], text: string, topic?: string): void;
  dismiss(id: number): void;
}

let nextId = 1;

/** Short messages shown in a live region, so screen readers announce them too. Errors stay until dismissed. */
export const useNotifications = create<NotificationsState>((set, get) => ({
  toasts: [],
  notify(kind, text, topic) {
    const id = nextId++;
    const others = topic === undefined ? get().toasts : get().toasts.filter((t) => t.topic !== topic);
    set({ toasts: [...others, { id, kind, text, ...(topic === undefined ? {} : { topic }) }].slice(-5) });
    if (kind !== 'error') setTimeout(() => get().dismiss(id), 5000);
  },
  dismiss(id) {
    set({ toasts: get().toasts.filter((t) => t.id !== id) });
  },
}));

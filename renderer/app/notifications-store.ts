import { create } from 'zustand';

export interface Toast {
  id: number;
  kind: 'info' | 'success' | 'error';
  text: string;
}

interface NotificationsState {
  toasts: Toast[];
  notify(kind: Toast['kind'], text: string): void;
  dismiss(id: number): void;
}

let nextId = 1;

/** Short messages shown in a live region, so screen readers announce them too. Errors stay until dismissed. */
export const useNotifications = create<NotificationsState>((set, get) => ({
  toasts: [],
  notify(kind, text) {
    const id = nextId++;
    set({ toasts: [...get().toasts, { id, kind, text }].slice(-5) });
    if (kind !== 'error') setTimeout(() => get().dismiss(id), 5000);
  },
  dismiss(id) {
    set({ toasts: get().toasts.filter((t) => t.id !== id) });
  },
}));

import { create } from 'zustand';
import { screens, type ScreenId } from './screens';

const fromHash = (): ScreenId => {
  const id = location.hash.replace(/^#\/?/, '').split('?')[0];
  return screens.find((s) => s.id === id)?.id ?? 'devices';
};

interface NavigationState {
  current: ScreenId;
  go(id: ScreenId): void;
}

/** Hash-based navigation, so the back button and a reload keep the section. */
export const useNavigation = create<NavigationState>((set) => {
  window.addEventListener('hashchange', () => set({ current: fromHash() }));
  return {
    current: fromHash(),
    go(id) {
      if (location.hash !== `#/${id}`) location.hash = `#/${id}`;
      set({ current: id });
    },
  };
});

import { create } from 'zustand';
import { isScreenId, type ScreenId } from './screen-ids';

const fromHash = (): ScreenId => {
  const id = location.hash.replace(/^#\/?/, '').split('?')[0];
  return isScreenId(id) ? id : 'devices';
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

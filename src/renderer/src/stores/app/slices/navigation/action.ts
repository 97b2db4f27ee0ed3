import type { StateCreator } from 'zustand';
import type { AppStore } from '../../store';
import type { Section } from './initial-state';
import { allowedSections } from './selectors';
import { remember } from '../../../../lib/tab-memory';

export interface NavigationAction {
  setSection(section: Section): void;
}

export const createNavigationSlice: StateCreator<AppStore, [], [], NavigationAction> = (set, get) => ({
  setSection: (section) => {
    const roles = get().session?.user.roles ?? [];
    if (!allowedSections(roles).includes(section)) return;
    remember('section', section);
    set({ section });
  },
});

import { create } from 'zustand';
import type { AppInfo, StatusSnapshot } from '../../../shared/api/index';
import { call, on } from '../api';

export type Section = 'faturamento' | 'expedicao' | 'administracao';

interface AppState {
  section: Section;
  info: AppInfo | null;
  status: StatusSnapshot | null;
  error: string | null;
  setSection(section: Section): void;
  load(): Promise<void>;
}

export const useAppStore = create<AppState>((set) => ({
  section: 'faturamento',
  info: null,
  status: null,
  error: null,
  setSection: (section) => set({ section }),
  load: async () => {
    try {
      const [info, status] = await Promise.all([call('app.info'), call('app.status')]);
      set({ info, status, error: null });
    } catch (err) {
      set({ error: (err as Error).message });
    }
  },
}));

/** Keeps the status bar live from core events. */
export function subscribeStatus(): () => void {
  return on('status.changed', (status) => useAppStore.setState({ status }));
}

import type { StateCreator } from 'zustand';
import { call, on } from '../../../../api';
import { errorText } from '../../../../lib/errors';
import type { AppStore } from '../../store';

export interface StatusAction {
  load(): Promise<void>;
  refreshStatus(): Promise<void>;
  /** Keeps the status bar live from core events; returns the unsubscribe. */
  subscribeStatus(): () => void;
}

export const createStatusSlice: StateCreator<AppStore, [], [], StatusAction> = (set, get) => ({
  load: async () => {
    try {
      const [info, status] = await Promise.all([call('app.info'), call('app.status')]);
      set({ info, status, error: null });
    } catch (err) {
      set({ error: errorText(err, 'Estado indisponível') });
    }
  },
  refreshStatus: async () => {
    try {
      set({ status: await call('app.status'), error: null });
    } catch (err) {
      set({ error: errorText(err, 'Estado indisponível') });
    }
  },
  subscribeStatus: () => {
    const off = on('status.changed', (status) => set({ status }));
    // Events can be missed while the page sleeps; a slow poll keeps the bar honest.
    const t = setInterval(() => void get().refreshStatus(), 30_000);
    return () => {
      off();
      clearInterval(t);
    };
  },
});

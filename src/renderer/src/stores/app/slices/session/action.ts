import type { StateCreator } from 'zustand';
import { call, setSession } from '../../../../api';
import type { AppStore } from '../../store';
import { initialSessionState } from './initial-state';
import { allowedSections } from '../navigation/selectors';

export interface SessionAction {
  /** Throws ApiCallError with the core's pt-BR message on bad credentials. */
  login(login: string, password: string): Promise<void>;
  logout(): Promise<void>;
  /** The core said the session is gone (expired, revoked): back to the sign-in screen. */
  sessionLost(): void;
}

export const createSessionSlice: StateCreator<AppStore, [], [], SessionAction> = (set, get) => ({
  login: async (login, password) => {
    const info = await call('auth.login', { login, password });
    setSession(info.session);
    const sections = allowedSections(info.user.roles);
    const current = get().section;
    set({ session: info, section: sections.includes(current) ? current : (sections[0] ?? current) });
  },
  logout: async () => {
    try {
      await call('auth.logout');
    } catch {
      // Signing out locally is what matters; the server session expires by itself.
    }
    setSession(null);
    set({ ...initialSessionState });
  },
  sessionLost: () => {
    setSession(null);
    set({ ...initialSessionState, notice: 'Sua sessão terminou. Entre novamente.' });
  },
});

import type { StateCreator } from 'zustand';
import { call, setSession } from '../../../../api';
import type { AppStore } from '../../store';
import { initialSessionState } from './initial-state';
import { allowedSections } from '../navigation/selectors';
import { recall, remember } from '../../../../lib/tab-memory';
import type { Section } from '../navigation/initial-state';

export interface SessionAction {
  /** Throws ApiCallError with the core's pt-BR message on bad credentials. */
  login(login: string, password: string): Promise<void>;
  logout(): Promise<void>;
  /** After a reload of the window: the session it had, if the core still knows it. */
  restore(): Promise<void>;
  /** The core said the session is gone (expired, revoked): back to the sign-in screen. */
  sessionLost(): void;
}

export const createSessionSlice: StateCreator<AppStore, [], [], SessionAction> = (set, get) => ({
  login: async (login, password) => {
    const info = await call('auth.login', { login, password });
    setSession(info.session);
    remember('session', info.session);
    const sections = allowedSections(info.user.roles);
    const current = get().section;
    set({ session: info, section: sections.includes(current) ? current : (sections[0] ?? current), notice: null });
  },
  restore: async () => {
    const token = recall<string>('session');
    if (!token || get().session) return;
    setSession(token);
    try {
      const info = await call('auth.me');
      if (!info) throw new Error('gone');
      const sections = allowedSections(info.user.roles);
      const saved = recall<Section>('section');
      set({ session: info, section: saved && sections.includes(saved) ? saved : (sections[0] ?? get().section) });
    } catch {
      setSession(null);
      remember('session', null);
    }
  },
  logout: async () => {
    try {
      await call('auth.logout');
    } catch {
      // Signing out locally is what matters; the server session expires by itself.
    }
    setSession(null);
    for (const k of ['session', 'editing', 'tab', 'section']) remember(k, null);
    set({ ...initialSessionState });
  },
  sessionLost: () => {
    setSession(null);
    remember('session', null);
    set({ ...initialSessionState, notice: 'Sua sessão terminou. Entre novamente.' });
  },
});

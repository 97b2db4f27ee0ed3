import { create } from 'zustand';
import { createNavigationSlice, type NavigationAction } from './slices/navigation/action';
import { initialNavigationState, type NavigationState } from './slices/navigation/initial-state';
import { createSessionSlice, type SessionAction } from './slices/session/action';
import { initialSessionState, type SessionState } from './slices/session/initial-state';
import { createStatusSlice, type StatusAction } from './slices/status/action';
import { initialStatusState, type StatusState } from './slices/status/initial-state';

export type AppStore = SessionState & StatusState & NavigationState & SessionAction & StatusAction & NavigationAction;

export const useAppStore = create<AppStore>()((...a) => ({
  ...initialSessionState,
  ...initialStatusState,
  ...initialNavigationState,
  ...createSessionSlice(...a),
  ...createStatusSlice(...a),
  ...createNavigationSlice(...a),
}));

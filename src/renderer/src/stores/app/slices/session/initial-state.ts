import type { SessionInfo } from '../../../../../../shared/api/index';

export interface SessionState {
  /** Kept in memory only: closing the window signs the user out. */
  session: SessionInfo | null;
}

export const initialSessionState: SessionState = { session: null };

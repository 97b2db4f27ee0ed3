import type { AppInfo, StatusSnapshot } from '../../../../../../shared/api/index';

export interface StatusState {
  info: AppInfo | null;
  status: StatusSnapshot | null;
  /** pt-BR reason the status could not be read. */
  error: string | null;
  /** One-line message for the sign-in screen (e.g. the session ended). */
  notice: string | null;
}

export const initialStatusState: StatusState = { info: null, status: null, error: null, notice: null };

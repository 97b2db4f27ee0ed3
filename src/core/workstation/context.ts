import type { CallContext } from '../../shared/api/index';
import type { Role, SessionUser } from '../../shared/api/session';
import type { Clock } from '../clock';
import type { EventBus } from '../events';
import type { CorePaths } from '../paths';
import type { Sessions } from '../session/sessions';
import type { Store } from '../store/open';
import type { SettingsRepo } from '../store/settings-repo';
import type { RecordStore } from './records';

/** Handlers of one domain's slice of the contract. */
export type DomainHandlers<M extends { [K in keyof M]: { params: unknown; result: unknown } }> = {
  [K in keyof M]: (params: M[K]['params'], ctx: CallContext) => M[K]['result'] | Promise<M[K]['result']>;
};

export interface DemoInfo {
  users: { login: string; password: string; roles: Role[] }[];
}

/** Everything the workstation's handlers share; built once by createCore. */
export interface WorkstationContext {
  store: Store;
  records: RecordStore;
  sessions: Sessions;
  settings: SettingsRepo;
  clock: Clock;
  events: EventBus;
  paths: CorePaths;
  workstation: string;
  /** Non-null on demo installations (embedded server, simulator, test certificate). */
  demo: DemoInfo | null;
  audit(user: string, action: string, detail: string, documentId?: string | null): void;
  onSignIn?(user: SessionUser): void;
}

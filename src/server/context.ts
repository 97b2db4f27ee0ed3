import type { Clock } from '../core/clock';
import { AppError } from '../core/errors';
import type { Actor, PushEventName, PushEvents } from '../core/numbering/protocol';
import type { AuditLog } from './audit';
import type { GroupCommitter } from './group-commit';
import type { LockManager } from './locks/lock-manager';
import type { NumberService } from './numbering/numbers';
import type { SeriesAdmin } from './numbering/series-admin';

/** One authenticated connection. */
export interface Session {
  id: number;
  actor: Actor;
  capabilities: ReadonlySet<string>;
}

/**
 * Who may do what. Today every holder of the installation token is an administrator
 * unless `--admins` names the users who are; the users/roles issue replaces this with
 * roles stored on the server without touching the protocol (hello already carries user).
 */
export interface AccessPolicy {
  capabilities(user: string, workstation: string): string[];
}

export function defaultPolicy(admins: string[] | null): AccessPolicy {
  return {
    capabilities: (user) => (admins === null || admins.includes(user) ? ['admin'] : []),
  };
}

export interface ServerContext {
  clock: Clock;
  committer: GroupCommitter;
  audit: AuditLog;
  numbers: NumberService;
  series: SeriesAdmin;
  locks: LockManager;
  policy: AccessPolicy;
  /** Sends a push event to every authenticated connection. */
  broadcast<E extends PushEventName>(event: E, data: PushEvents[E]): void;
}

/** A message handler: validates its own `data` (unknown until read) and returns the reply data. */
export type Handler = (data: unknown, session: Session, ctx: ServerContext) => unknown;

/** Message families register here as plain maps; the connection loop only looks types up. */
export type HandlerMap = Readonly<Record<string, Handler>>;

/** The capability check every privileged handler calls first. */
export function requireCapability(session: Session, capability: 'admin'): void {
  if (!session.capabilities.has(capability)) {
    throw new AppError('FORBIDDEN', `O usuário ${session.actor.user} não tem permissão de administrador para esta operação.`);
  }
}

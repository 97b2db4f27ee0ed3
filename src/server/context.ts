import type { Clock } from '../core/clock';
import { AppError } from '../core/errors';
import type { Actor, PushEventName, PushEvents } from '../core/numbering/protocol';
import type { AuditLog } from './audit';
import type { GroupCommitter } from './group-commit';
import type { LockManager } from './locks/lock-manager';
import type { NumberService } from './numbering/numbers';
import type { OrderNumbers } from './order-numbers';
import type { SeriesAdmin } from './numbering/series-admin';
import type { Role } from '../shared/api/session';
import type { StationRegistry } from './auth/stations';
import type { UserDirectory } from './auth/users';

/** One authenticated connection: an enrolled station, and the user signed in on it (if any). */
export interface Session {
  id: number;
  /** Verified: user = the signed-in login (or `estacao:NAME`), workstation = the enrolled name. */
  actor: Actor;
  stationId: string;
  /** The user authenticated at the server on this connection; null for the station's own. */
  login: string | null;
  /** The user's roles now (read on every call: a change applies to live connections). */
  roles(): readonly Role[];
  /** 'admin' while the user holds the administrador role. */
  readonly capabilities: ReadonlySet<string>;
}

export interface ServerContext {
  clock: Clock;
  committer: GroupCommitter;
  audit: AuditLog;
  numbers: NumberService;
  series: SeriesAdmin;
  locks: LockManager;
  /** Short order numbers, one sequence per establishment. */
  orderNumbers: OrderNumbers;
  stations: StationRegistry;
  users: UserDirectory;
  /** SHA-256 of the TLS certificate stations pinned (null when the server runs --insecure). */
  fingerprint: string | null;
  /** PEM certificates a SEFAZ signature must chain to (ICP-Brasil, or the simulator's CA). */
  fiscalTrust(): readonly string[];
  /** Closes every connection of a station (revoked) or of a user (deactivated, password reset). */
  disconnect(match: { stationId?: string; login?: string }, reason: string): void;
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

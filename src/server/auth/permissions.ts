import { AppError } from '../../core/errors';
import type { Role } from '../../shared/api/session';
import type { Session } from '../context';

/** Who may send a message: any enrolled station, or a signed-in user with one of the roles. */
export type Permission = 'station' | 'user' | readonly Role[];

const BILLING: readonly Role[] = ['faturista'];
const ADMIN: readonly Role[] = ['administrador'];

/**
 * Every message the server knows, by what it needs. Station-level messages are what a
 * station does for all its users (replication, reading series and locks, moving the
 * lifecycle of numbers it allocated); whatever acts for a person needs that person signed
 * in at the server on this connection. A message that is not listed is refused for everyone
 * (deny by default): a new family must say here who may send each of its messages
 * (tests/unit/server/permissions.test.ts lists every registered one). Privileged handlers
 * also check for themselves.
 */
export const PERMISSIONS: Readonly<Record<string, Permission>> = {
  ping: 'station',
  'auth.signIn': 'station',
  'auth.signOut': 'station',
  'auth.changePassword': 'user',
  'auth.offlineGrants': 'station',
  'series.list': 'station',
  'series.suggest': 'station',
  'numbers.get': 'station',
  'numbers.gaps': 'station',
  // A station numbers the orders it saves (and learns its tag for the ones it saves offline).
  'orderNumbers.take': 'station',
  // The station reports the SEFAZ outcome of numbers it allocated (even after its user left);
  // abandoning needs a faturista and inutilizada a SEFAZ protocol (handlers/numbering.ts).
  'numbers.update': 'station',
  'numbers.allocate': BILLING,
  'numbers.inutilize': BILLING,
  'import.validate': BILLING,
  'locks.acquire': BILLING,
  'locks.release': BILLING,
  'locks.resume': BILLING,
  'locks.reclaim': 'station',
  'locks.list': 'station',
  'series.create': ADMIN,
  'series.update': ADMIN,
  'series.setNext': ADMIN,
  'locks.adminRelease': ADMIN,
  'audit.list': ADMIN,
  'users.list': ADMIN,
  'users.save': ADMIN,
  'users.unlock': ADMIN,
  'stations.list': ADMIN,
  'stations.revoke': ADMIN,
  'stations.newCode': ADMIN,
  // Change feed: replication is the station's; each pushed mutation is authorized per
  // collection by the engine (users only through users.save).
  'sync.info': 'station',
  'sync.snapshot': 'station',
  'sync.pull': 'station',
  'sync.push': 'station',
  'sync.history': 'station',
  // The system of record's searches and files (issue #15): what replication already lets a
  // station read, one indexed page or one file at a time.
  'records.search': 'station',
  'records.get': 'station',
  'files.get': 'station',
  // Contingency (issue #20): any station reports a failed exchange or a 107 that ends an
  // automatic entry (it is the station's SEFAZ traffic, with or without a user signed in);
  // entering or leaving by hand and the priority order are an administrator's.
  'contingency.list': 'station',
  'contingency.report': 'station',
  'contingency.normal': 'station',
  'contingency.priority.get': 'station',
  'contingency.enter': ADMIN,
  'contingency.leave': ADMIN,
  'contingency.priority.set': ADMIN,
};

/** Administrador holds every role. */
export function hasRole(roles: readonly Role[], wanted: readonly Role[]): boolean {
  return roles.includes('administrador') || wanted.some((r) => roles.includes(r));
}

/**
 * Messages a station may also send for a lock it reclaimed after a restart (no user signed
 * in on that connection yet): the handler then acts as the lock's holder, after checking the
 * lease is bound to this very connection and its holder still has the role.
 */
export const RECLAIMED_LOCK_MESSAGES: ReadonlySet<string> = new Set(['numbers.allocate', 'locks.release']);

/** Registered message types nobody declared a permission for (refused until they are). */
export function unlistedCommands(types: readonly string[]): string[] {
  return types.filter((t) => !Object.prototype.hasOwnProperty.call(PERMISSIONS, t));
}

export function authorize(type: string, session: Session): void {
  const need = Object.prototype.hasOwnProperty.call(PERMISSIONS, type) ? PERMISSIONS[type] : undefined;
  if (need === undefined) {
    throw new AppError('FORBIDDEN', `Operação ${type.slice(0, 100)} sem permissão declarada no servidor: recusada.`);
  }
  if (need === 'station') return;
  if (session.login === null && RECLAIMED_LOCK_MESSAGES.has(type)) return;
  if (session.login === null) {
    throw new AppError('UNAUTHENTICATED', 'Esta operação precisa de um usuário autenticado no servidor: entre com seu usuário e senha.');
  }
  if (need === 'user') return;
  if (!hasRole(session.roles(), need)) {
    throw new AppError('FORBIDDEN', `O usuário ${session.login} não tem permissão para esta operação (${type}).`);
  }
}

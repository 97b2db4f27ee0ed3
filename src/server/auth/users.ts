import type Database from 'better-sqlite3';
import { AppError, invalidInput } from '../../core/errors';
import type { Actor } from '../../core/numbering/protocol';
import { offlineVerifierInput, type OfflineGrant } from '../../core/session/offline-verifiers';
import { hashPassword, verifyPassword } from '../../core/session/password';
import { ROLE_LABELS, type Role } from '../../shared/api/session';
import type { AuditLog } from '../audit';
import { hashMatches, newSecret, secretHash } from './secrets';
import { AuthErrors } from './stations';

export interface ServerUser {
  login: string;
  name: string;
  roles: Role[];
  active: boolean;
  updatedAt: string;
}

export interface SaveUserParams {
  login: string;
  name: string;
  roles: Role[];
  active: boolean;
  /** New password (administrator reset, or a new user). */
  password?: string;
}

interface UserRow {
  login: string;
  name: string;
  roles: string;
  active: number;
  password_hash: string;
  failures: number;
  retry_after_ms: number;
  locked: number;
  updated_at: string;
}

const LOGIN_RE = /^[a-z0-9._-]{2,32}$/;
export const ROLES = Object.keys(ROLE_LABELS) as Role[];
/** Failures before the growing delay starts, and before the account locks (an administrator unlocks). */
export const THROTTLE_AFTER = 3;
export const LOCK_AFTER = 10;
const MAX_DELAY_MS = 60_000;
/** A user session lasts a working day (it survives server restarts: the hash is stored). */
export const SESSION_TTL_MS = 16 * 60 * 60 * 1000;

/**
 * Users as the server knows them: password hashes (scrypt) never leave this table, roles are
 * read from here on every privileged request, so a change applies to live connections at
 * once. The public part (login, name, roles, active) is mirrored to the shared `users`
 * records so stations can list users.
 */
export class UserDirectory {
  private readonly st;
  private readonly listeners = new Set<(user: ServerUser) => void>();

  constructor(
    private readonly db: Database.Database,
    private readonly audit: AuditLog,
    private readonly nowIso: () => string,
    private readonly nowMs: () => number,
    private readonly mirror: (user: ServerUser) => Promise<unknown>,
    private readonly hashLog2N?: number,
  ) {
    this.st = {
      get: db.prepare<[string], UserRow>('SELECT * FROM auth_users WHERE login = ?'),
      list: db.prepare<[], UserRow>('SELECT * FROM auth_users ORDER BY login'),
      count: db.prepare('SELECT count(*) FROM auth_users').pluck(),
      upsert: db.prepare(
        `INSERT INTO auth_users (login, name, roles, active, password_hash, updated_at) VALUES (?, ?, ?, ?, ?, ?)
         ON CONFLICT (login) DO UPDATE SET name = excluded.name, roles = excluded.roles, active = excluded.active,
           password_hash = excluded.password_hash, updated_at = excluded.updated_at`,
      ),
      failure: db.prepare('UPDATE auth_users SET failures = ?, retry_after_ms = ?, locked = ? WHERE login = ?'),
      success: db.prepare('UPDATE auth_users SET failures = 0, retry_after_ms = 0 WHERE login = ?'),
      unlock: db.prepare('UPDATE auth_users SET failures = 0, retry_after_ms = 0, locked = 0 WHERE login = ?'),
      insertSession: db.prepare('INSERT INTO auth_sessions (token_hash, login, station_id, created_at, expires_ms) VALUES (?, ?, ?, ?, ?)'),
      session: db.prepare<[string], { token_hash: string; login: string; station_id: string; expires_ms: number }>('SELECT * FROM auth_sessions WHERE token_hash = ?'),
      dropSession: db.prepare('DELETE FROM auth_sessions WHERE token_hash = ?'),
      dropUserSessions: db.prepare('DELETE FROM auth_sessions WHERE login = ?'),
      purgeSessions: db.prepare('DELETE FROM auth_sessions WHERE expires_ms <= ?'),
      grant: db.prepare(
        'INSERT INTO auth_offline_grants (station_id, login, issued_at) VALUES (?, ?, ?) ON CONFLICT (station_id, login) DO UPDATE SET issued_at = excluded.issued_at',
      ),
      grantsOf: db.prepare<[string], { login: string }>('SELECT login FROM auth_offline_grants WHERE station_id = ? ORDER BY login'),
      dropGrants: db.prepare('DELETE FROM auth_offline_grants WHERE login = ?'),
      dropOtherGrants: db.prepare('DELETE FROM auth_offline_grants WHERE login = ? AND station_id <> ?'),
      dropStationGrants: db.prepare('DELETE FROM auth_offline_grants WHERE station_id = ?'),
    };
  }

  /** Called after every change of a user (roles, activation): live connections re-check. */
  onChange(listener: (user: ServerUser) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  count(): number {
    return this.st.count.get() as number;
  }

  get(login: string): ServerUser | null {
    const row = this.st.get.get(login);
    return row ? toUser(row) : null;
  }

  /** Current roles of an active user; none for an unknown or deactivated one. */
  rolesOf(login: string): readonly Role[] {
    const row = this.st.get.get(login);
    return row && row.active ? toUser(row).roles : [];
  }

  list(): (ServerUser & { locked: boolean })[] {
    return this.st.list.all().map((r) => ({ ...toUser(r), locked: r.locked === 1 }));
  }

  /** Creates or changes a user. Only for an authenticated administrator (the caller checks). */
  async save(p: SaveUserParams, by: Actor): Promise<ServerUser> {
    const login = p.login.trim().toLowerCase();
    if (!LOGIN_RE.test(login)) throw invalidInput('Login inválido: use de 2 a 32 letras minúsculas, números, ponto, hífen ou sublinhado.', 'login');
    const name = p.name.trim();
    if (!name || name.length > 100) throw invalidInput('Informe o nome do usuário (até 100 caracteres).', 'name');
    const roles = [...new Set(p.roles)].filter((r) => ROLES.includes(r));
    if (roles.length === 0) throw invalidInput('Escolha ao menos um perfil (faturista, administrador ou expedição).', 'roles');
    const existing = this.st.get.get(login);
    const password = p.password ?? '';
    if ((!existing || password) && password.length < 8) throw invalidInput('A senha deve ter pelo menos 8 caracteres.', 'password');
    if (existing && login === by.user && (!p.active || !roles.includes('administrador'))) {
      throw invalidInput('Você não pode remover o próprio perfil de administrador nem se desativar.', 'roles');
    }
    const hash = password ? await hashPassword(password, this.hashLog2N) : existing!.password_hash;
    const now = this.nowIso();
    const before = existing ? toUser(existing) : null;
    this.db.transaction(() => {
      this.st.upsert.run(login, name, JSON.stringify(roles), p.active ? 1 : 0, hash, now);
      // A reset password unlocks the account and ends its sessions on every station.
      if (password) {
        this.st.unlock.run(login);
        this.st.dropUserSessions.run(login);
      }
      if (!p.active) this.st.dropUserSessions.run(login);
      // Any change (roles, activation, password) withdraws the offline verifiers: the user
      // enters offline again only after signing in online with what holds now.
      if (existing) this.st.dropGrants.run(login);
      this.audit.record(by, {
        action: existing ? 'users.update' : 'users.create',
        target: login,
        oldValue: before ? `perfis=${before.roles.join(',')} ativo=${before.active}` : null,
        newValue: `perfis=${roles.join(',')} ativo=${p.active}${password ? ' senha definida' : ''}`,
      });
    })();
    const saved = this.get(login)!;
    await this.mirror(saved);
    for (const l of this.listeners) l(saved);
    return saved;
  }

  /**
   * The user's own password, after the current one: a wrong current password counts like a
   * failed sign-in (same delay and lockout), so an unattended session is no password oracle.
   */
  async changePassword(login: string, current: string, next: string, by: Actor, stationId: string): Promise<OfflineGrant> {
    const row = this.st.get.get(login);
    this.refuseWhileBlocked(row, login, by);
    if (!row || !(await verifyPassword(current, row.password_hash))) {
      this.countFailure(row, login, by, 'users.password.refused');
      throw new AppError(AuthErrors.CURRENT_PASSWORD_WRONG, 'Senha atual incorreta.', { field: 'current' });
    }
    if (next.length < 8) throw invalidInput('A nova senha deve ter pelo menos 8 caracteres.', 'password');
    const hash = await hashPassword(next, this.hashLog2N);
    const grant = await this.offlineGrant(stationId, login, next);
    this.db.transaction(() => {
      this.st.upsert.run(login, row.name, row.roles, row.active, hash, this.nowIso());
      this.st.success.run(login);
      // The old password no longer opens any station offline; this one gets the new verifier.
      this.st.dropOtherGrants.run(login, stationId);
      this.st.grant.run(stationId, login, grant.issuedAt);
      this.audit.record(by, { action: 'users.password', target: login });
    })();
    return grant;
  }

  /** The verifier for `login` on `stationId` only (see offlineVerifierInput). */
  private async offlineGrant(stationId: string, login: string, password: string): Promise<OfflineGrant> {
    return { verifier: await hashPassword(offlineVerifierInput(stationId, login, password), this.hashLog2N), issuedAt: this.nowIso() };
  }

  /** Logins `stationId` may still let in offline (it forgets the others). */
  offlineGrants(stationId: string): string[] {
    return this.st.grantsOf.all(stationId).map((r) => r.login);
  }

  /** A revoked station keeps no offline sign-in at the server's side either. */
  dropStationGrants(stationId: string): void {
    this.st.dropStationGrants.run(stationId);
  }

  private refuseWhileBlocked(row: UserRow | undefined, key: string, actor: Actor): void {
    if (row?.locked) {
      this.audit.record(actor, { action: 'auth.signIn.locked', target: key });
      throw new AppError(AuthErrors.SIGN_IN_LOCKED, 'Usuário bloqueado por excesso de tentativas de senha. Peça ao administrador para desbloquear.');
    }
    const now = this.nowMs();
    if (row && row.retry_after_ms > now) {
      const seconds = Math.ceil((row.retry_after_ms - now) / 1000);
      throw new AppError(AuthErrors.SIGN_IN_THROTTLED, `Muitas tentativas de senha. Aguarde ${seconds} s e tente de novo.`, { details: { retryAfterSeconds: seconds } });
    }
  }

  /** One more wrong password for `key`: growing delay, lock at LOCK_AFTER, audited. */
  private countFailure(row: UserRow | undefined, key: string, actor: Actor, action: string): void {
    const failures = (row?.failures ?? 0) + 1;
    const locked = failures >= LOCK_AFTER;
    const delay = failures >= THROTTLE_AFTER ? Math.min(1000 * 2 ** (failures - THROTTLE_AFTER), MAX_DELAY_MS) : 0;
    this.db.transaction(() => {
      if (row) this.st.failure.run(failures, delay ? this.nowMs() + delay : 0, locked ? 1 : 0, key);
      this.audit.record(actor, { action: locked ? 'auth.signIn.lockout' : action, target: key.slice(0, 64), newValue: row ? failures : null });
    })();
    if (locked) throw new AppError(AuthErrors.SIGN_IN_LOCKED, 'Usuário bloqueado por excesso de tentativas de senha. Peça ao administrador para desbloquear.');
  }

  unlock(login: string, by: Actor): void {
    if (!this.st.get.get(login)) throw new AppError('NOT_FOUND', `Usuário ${login} não encontrado.`);
    this.db.transaction(() => {
      this.st.unlock.run(login);
      this.audit.record(by, { action: 'users.unlock', target: login });
    })();
  }

  /**
   * Verifies a password at the server. After THROTTLE_AFTER failures each new attempt must
   * wait a growing delay; after LOCK_AFTER the account locks until an administrator unlocks
   * it. Every failure is audited. Unknown user and wrong password get the same answer.
   */
  async signIn(login: string, password: string, stationId: string, actor: Actor): Promise<{ token: string; user: ServerUser; offline: OfflineGrant }> {
    const key = login.trim().toLowerCase();
    const row = this.st.get.get(key);
    const now = this.nowMs();
    this.refuseWhileBlocked(row, key, actor);
    const ok = row !== undefined && row.active === 1 && (await verifyPassword(password, row.password_hash));
    if (!ok) {
      this.countFailure(row, key, actor, 'auth.signIn.failed');
      throw new AppError('UNAUTHENTICATED', 'Usuário ou senha incorretos.');
    }
    const token = newSecret('us');
    const offline = await this.offlineGrant(stationId, key, password);
    this.db.transaction(() => {
      this.st.success.run(key);
      this.st.purgeSessions.run(now);
      this.st.insertSession.run(secretHash(token), key, stationId, this.nowIso(), now + SESSION_TTL_MS);
      this.st.grant.run(stationId, key, offline.issuedAt);
      this.audit.record(actor, { action: 'auth.signIn', target: key });
    })();
    return { token, user: toUser(row!), offline };
  }

  /** The user of a session token presented by `stationId` (a token is bound to its station). */
  sessionUser(token: string, stationId: string): ServerUser | null {
    const hash = secretHash(token);
    const s = this.st.session.get(hash);
    if (!s || !hashMatches(token, s.token_hash) || s.station_id !== stationId || s.expires_ms <= this.nowMs()) return null;
    const row = this.st.get.get(s.login);
    return row && row.active ? toUser(row) : null;
  }

  signOut(token: string): void {
    this.st.dropSession.run(secretHash(token));
  }

  /** First start: an `admin` with a random password (returned once, for the console and a file). */
  async bootstrap(seed: { login: string; name: string; password: string; roles: Role[] }[]): Promise<void> {
    const server: Actor = { user: 'servidor', workstation: 'servidor', ip: '127.0.0.1' };
    for (const u of seed) {
      if (this.st.get.get(u.login)) continue;
      await this.save({ login: u.login, name: u.name, roles: u.roles, active: true, password: u.password }, server);
    }
  }
}

function toUser(r: UserRow): ServerUser {
  return { login: r.login, name: r.name, roles: JSON.parse(r.roles) as Role[], active: r.active === 1, updatedAt: r.updated_at };
}

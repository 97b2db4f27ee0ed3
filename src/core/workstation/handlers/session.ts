import type { SessionMethods, UserDto } from '../../../shared/api/session';
import { ROLE_LABELS, type Role } from '../../../shared/api/session';
import { ErrorCodes } from '../../../shared/errors';
import { AppError, invalidInput } from '../../errors';
import { hashPassword, verifyPassword } from '../../session/password';
import type { DomainHandlers, WorkstationContext } from '../context';

/** What the 'users' collection holds; the hash replicates so sign-in works offline. */
export interface UserRecord extends UserDto {
  passwordHash: string;
}

const LOGIN_RE = /^[a-z0-9._-]{2,32}$/;
const ROLES = Object.keys(ROLE_LABELS) as Role[];

function toDto(u: UserRecord): UserDto {
  return { login: u.login, name: u.name, roles: u.roles, active: u.active, ...(u.updatedAt ? { updatedAt: u.updatedAt } : {}) };
}

export function sessionHandlers(w: WorkstationContext): DomainHandlers<SessionMethods> {
  return {
    'auth.login': async (params) => {
      const login = String(params?.login ?? '').trim().toLowerCase();
      const password = String(params?.password ?? '');
      const user = login ? w.records.get<UserRecord>('users', login) : null;
      // Same answer for unknown user and wrong password: no account enumeration.
      const ok = user !== null && user.active && (await verifyPassword(password, user.passwordHash));
      if (!ok || !user) throw new AppError(ErrorCodes.UNAUTHENTICATED, 'Usuário ou senha incorretos.');
      const info = w.sessions.open({ login: user.login, name: user.name, roles: user.roles });
      w.onSignIn?.(info.user);
      return info;
    },
    'auth.logout': (_p, ctx) => {
      w.sessions.close(ctx.session);
      return null;
    },
    'auth.me': (_p, ctx) => w.sessions.get(ctx),
    'auth.hints': () => ({ demo: w.demo !== null, users: w.demo?.users ?? [] }),
    'users.list': (_p, ctx) => {
      w.sessions.require(ctx, 'administrador');
      return w.records.list<UserRecord>('users').map(toDto).sort((a, b) => a.login.localeCompare(b.login));
    },
    'users.save': async (params, ctx) => {
      w.sessions.require(ctx, 'administrador');
      const login = String(params?.login ?? '').trim().toLowerCase();
      if (!LOGIN_RE.test(login)) throw invalidInput('Login inválido: use de 2 a 32 letras minúsculas, números, ponto, hífen ou sublinhado.', 'login');
      const name = String(params?.name ?? '').trim();
      if (!name) throw invalidInput('Informe o nome do usuário.', 'name');
      const roles = Array.isArray(params?.roles) ? params.roles.filter((r): r is Role => ROLES.includes(r)) : [];
      if (roles.length === 0) throw invalidInput('Escolha ao menos um perfil (faturista, administrador ou expedição).', 'roles');
      const existing = w.records.get<UserRecord>('users', login);
      const password = params.password ?? '';
      if (!existing && password.length < 8) throw invalidInput('A senha deve ter pelo menos 8 caracteres.', 'password');
      if (existing && password && password.length < 8) throw invalidInput('A senha deve ter pelo menos 8 caracteres.', 'password');
      const me = w.sessions.require(ctx);
      if (existing && login === me.user.login && (!params.active || !roles.includes('administrador'))) {
        throw invalidInput('Você não pode remover o próprio perfil de administrador nem se desativar.', 'roles');
      }
      const fields: Partial<UserRecord> = {
        login,
        name,
        roles,
        active: params.active !== false,
        updatedAt: w.clock.now().toISOString(),
        ...(password ? { passwordHash: await hashPassword(password) } : {}),
      };
      w.records.put<UserRecord>('users', login, fields);
      const saved = w.records.get<UserRecord>('users', login)!;
      w.sessions.refreshUser(saved);
      w.audit(me.user.login, 'users.save', `${login} perfis=${roles.join(',')} ativo=${saved.active}${password ? ' senha alterada' : ''}`);
      return toDto(saved);
    },
  };
}

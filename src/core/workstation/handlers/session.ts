import type { SessionMethods, SessionUser, UserDto } from '../../../shared/api/session';
import { ErrorCodes } from '../../../shared/errors';
import { AppError } from '../../errors';
import { OfflineVerifiers } from '../../session/offline-verifiers';
import type { DomainHandlers, WorkstationContext } from '../context';
import type { WorkstationRuntime } from '../runtime';

function toDto(u: UserDto): UserDto {
  return { login: u.login, name: u.name, roles: u.roles, active: u.active, ...(u.updatedAt ? { updatedAt: u.updatedAt } : {}) };
}

export function sessionHandlers(w: WorkstationContext, rt: WorkstationRuntime): DomainHandlers<SessionMethods> {
  const offline = new OfflineVerifiers(w.settings);
  return {
    // The server verifies the password (throttling, lockout, audit); its answer gives the
    // roles. Only when it cannot be reached does the station's own verifier decide.
    'auth.login': async (params) => {
      const login = String(params?.login ?? '').trim().toLowerCase();
      const password = String(params?.password ?? '');
      if (!login || login.length > 64 || password.length > 1000) throw new AppError(ErrorCodes.UNAUTHENTICATED, 'Usuário ou senha incorretos.');
      let user: SessionUser | null = null;
      try {
        user = await rt.signInAtServer(login, password);
      } catch (err) {
        if (err instanceof AppError && err.code === ErrorCodes.UNAUTHENTICATED) offline.forget(login);
        throw err;
      }
      if (user) {
        await offline.remember(user.login, password, user);
      } else {
        const r = await offline.check(login, password, w.clock.now().getTime());
        if (r === 'throttled') throw new AppError('SIGN_IN_THROTTLED', 'Muitas tentativas de senha. Aguarde alguns segundos e tente de novo.');
        if (!r) throw new AppError(ErrorCodes.UNAUTHENTICATED, 'Usuário ou senha incorretos. Sem conexão com o servidor LAN, só entra quem já entrou nesta estação antes.');
        user = r;
      }
      const info = w.sessions.open({ login: user.login, name: user.name, roles: user.roles });
      w.onSignIn?.(info.user);
      return info;
    },
    'auth.logout': async (_p, ctx) => {
      const me = w.sessions.get(ctx);
      w.sessions.close(ctx.session);
      if (me && !w.sessions.hasUser(me.user.login)) await rt.signOutAtServer(me.user.login);
      return null;
    },
    'auth.me': (_p, ctx) => w.sessions.get(ctx),
    'auth.hints': () => ({ demo: w.demo !== null, users: w.demo?.users ?? [] }),
    'users.list': (_p, ctx) => {
      w.sessions.require(ctx, 'administrador');
      return w.records.list<UserDto>('users').map(toDto).sort((a, b) => a.login.localeCompare(b.login));
    },
    // Users change only at the server, by the administrator's own authenticated connection.
    'users.save': async (params, ctx) => {
      const me = w.sessions.require(ctx, 'administrador');
      const lan = await rt.requireLan(me.user.login);
      const saved = await lan.call('users.save', {
        login: String(params?.login ?? '').trim().toLowerCase(),
        name: String(params?.name ?? '').trim(),
        roles: Array.isArray(params?.roles) ? params.roles : [],
        active: params?.active !== false,
        ...(params?.password ? { password: String(params.password) } : {}),
      });
      w.sessions.refreshUser(saved);
      w.audit(me.user.login, 'users.save', `${saved.login} perfis=${saved.roles.join(',')} ativo=${saved.active}${params?.password ? ' senha alterada' : ''}`);
      return toDto(saved);
    },
  };
}

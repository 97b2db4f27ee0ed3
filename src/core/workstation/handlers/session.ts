import type { EnrollmentCodeDto, SessionMethods, SessionUser, StationDto, UserDto } from '../../../shared/api/session';
import { obj, str } from '../../input';
import { ErrorCodes } from '../../../shared/errors';
import { AppError } from '../../errors';
import type { DomainHandlers, WorkstationContext } from '../context';
import type { WorkstationRuntime } from '../runtime';

function toDto(u: UserDto): UserDto {
  return { login: u.login, name: u.name, roles: u.roles, active: u.active, ...(u.updatedAt ? { updatedAt: u.updatedAt } : {}), ...(u.locked !== undefined ? { locked: u.locked } : {}) };
}

const LOGIN = /^[a-z0-9._-]{1,40}$/;

/** One input reader per method (the renderer's data is unknown until checked). */
const input = {
  login(p: unknown): string {
    const login = str(obj(p, 'params'), 'login', { max: 40 }).toLowerCase();
    if (!LOGIN.test(login)) throw new AppError(ErrorCodes.INVALID_INPUT, 'Login inválido.', { field: 'login' });
    return login;
  },
  changePassword(p: unknown): { current: string; next: string } {
    const o = obj(p, 'params');
    const current = typeof o.current === 'string' ? o.current : '';
    const next = typeof o.next === 'string' ? o.next : '';
    if (!current) throw new AppError(ErrorCodes.INVALID_INPUT, 'Informe a senha atual.', { field: 'current' });
    if (next.length < 8 || next.length > 200) throw new AppError(ErrorCodes.INVALID_INPUT, 'A nova senha precisa ter de 8 a 200 caracteres.', { field: 'next' });
    if (next === current) throw new AppError(ErrorCodes.INVALID_INPUT, 'A nova senha deve ser diferente da atual.', { field: 'next' });
    return { current, next };
  },
  revoke(p: unknown): { stationId: string; reason: string } {
    const o = obj(p, 'params');
    const reason = typeof o.reason === 'string' ? o.reason.trim() : '';
    if (reason.length < 5 || reason.length > 500) throw new AppError(ErrorCodes.INVALID_INPUT, 'Informe o motivo (5 a 500 caracteres).', { field: 'reason' });
    return { stationId: str(o, 'stationId', { max: 100 }), reason };
  },
};

export function sessionHandlers(w: WorkstationContext, rt: WorkstationRuntime): DomainHandlers<SessionMethods> {
  const offline = rt.offline;
  return {
    // The server verifies the password (throttling, lockout, audit); its answer gives the
    // roles. Only when it cannot be reached does the verifier it issued this station decide.
    'auth.login': async (params) => {
      const login = String(params?.login ?? '').trim().toLowerCase();
      const password = String(params?.password ?? '');
      if (!login || login.length > 64 || password.length > 1000) throw new AppError(ErrorCodes.UNAUTHENTICATED, 'Usuário ou senha incorretos.');
      // A wrong password online leaves the offline verifier alone (anyone could type one);
      // the server withdraws verifiers itself (src/server/auth/users.ts).
      let user: SessionUser | null = await rt.signInAtServer(login, password);
      if (!user) {
        const r = await offline.check(login, password, rt.stationId(), w.clock.now().getTime());
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
    // From the server when it answers (lockouts live there); offline, the replica's copy.
    'users.list': async (_p, ctx) => {
      const me = w.sessions.require(ctx, 'administrador');
      const lan = await rt.requireLan(me.user.login, 1500).catch(() => null);
      const users = lan ? await lan.call('users.list', {}) : w.records.list<UserDto>('users');
      return users.map(toDto).sort((a, b) => a.login.localeCompare(b.login));
    },
    'users.unlock': async (p, ctx) => {
      const me = w.sessions.require(ctx, 'administrador');
      const login = input.login(p);
      await (await rt.requireLan(me.user.login)).call('users.unlock', { login });
      w.audit(me.user.login, 'users.unlock', login);
      return null;
    },
    // Needs the current password, checked by the server, which issues the new offline verifier.
    'auth.changePassword': async (p, ctx) => {
      const me = w.sessions.require(ctx);
      const { current, next } = input.changePassword(p);
      const r = await (await rt.requireLan(me.user.login)).call('auth.changePassword', { current, next });
      const stationId = rt.stationId();
      if (stationId) offline.remember(me.user.login, stationId, r.offline, me.user);
      w.audit(me.user.login, 'auth.changePassword', me.user.login);
      return null;
    },
    'stations.list': async (_p, ctx) => {
      const me = w.sessions.require(ctx, 'administrador');
      const list = await (await rt.requireLan(me.user.login)).call('stations.list', {});
      const mine = rt.stationId();
      return list.map((s): StationDto => ({ ...s, current: s.id === mine }));
    },
    'stations.enroll': async (_p, ctx) => {
      const me = w.sessions.require(ctx, 'administrador');
      const r: EnrollmentCodeDto = await (await rt.requireLan(me.user.login)).call('stations.newCode', {});
      w.audit(me.user.login, 'stations.enroll', `código até ${r.expiresAt}`);
      return { code: r.code, expiresAt: r.expiresAt, fingerprint: r.fingerprint ?? null };
    },
    'stations.revoke': async (p, ctx) => {
      const me = w.sessions.require(ctx, 'administrador');
      const { stationId, reason } = input.revoke(p);
      await (await rt.requireLan(me.user.login)).call('stations.revoke', { stationId, reason });
      w.audit(me.user.login, 'stations.revoke', `${stationId}: ${reason}`);
      return null;
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

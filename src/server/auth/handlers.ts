import { AppError, invalidInput } from '../../core/errors';
import type { Role } from '../../shared/api/session';
import { requireCapability, type HandlerMap } from '../context';
import { bool, obj, str } from '../validate';

/** Sign-in at the server, users and roles, enrolled stations. */
export const authHandlers: HandlerMap = {
  'auth.signIn': async (data, session, ctx) => {
    const o = obj(data);
    const login = str(o, 'login', { max: 64 });
    const password = typeof o.password === 'string' && o.password.length <= 1000 ? o.password : '';
    const r = await ctx.users.signIn(login, password, session.stationId, { ...session.actor, user: `${session.actor.user}→${login.slice(0, 64)}` });
    return { token: r.token, user: { login: r.user.login, name: r.user.name, roles: r.user.roles }, offline: r.offline };
  },

  // The logins this station may still let in offline; it forgets the verifiers of the others.
  'auth.offlineGrants': (_data, session, ctx) => ({ logins: ctx.users.offlineGrants(session.stationId) }),

  'auth.signOut': (data, _session, ctx) => {
    const token = str(obj(data), 'token', { max: 200 });
    ctx.users.signOut(token);
    return { signedOut: true };
  },

  'auth.changePassword': async (data, session, ctx) => {
    const o = obj(data);
    if (typeof o.current !== 'string' || typeof o.next !== 'string') throw invalidInput('Informe a senha atual e a nova.', 'next');
    const offline = await ctx.users.changePassword(session.login!, o.current, o.next, session.actor, session.stationId);
    ctx.broadcast('auth.offline.revoked', { login: session.login!, except: session.stationId });
    return { changed: true, offline };
  },

  'users.list': (_data, session, ctx) => {
    requireCapability(session, 'admin');
    return ctx.users.list();
  },

  'users.save': async (data, session, ctx) => {
    requireCapability(session, 'admin');
    const o = obj(data);
    const roles = Array.isArray(o.roles) ? (o.roles.filter((r) => typeof r === 'string') as Role[]) : [];
    const password = o.password === undefined || o.password === null || o.password === '' ? undefined : typeof o.password === 'string' ? o.password : undefined;
    const saved = await ctx.users.save(
      { login: str(o, 'login', { max: 32 }), name: str(o, 'name', { max: 100 }), roles, active: bool(o, 'active', true) ?? true, ...(password ? { password } : {}) },
      session.actor,
    );
    // Deactivated or reset: that user's sessions ended; their live connections go now.
    if (!saved.active || password) ctx.disconnect({ login: saved.login }, 'usuário alterado pelo administrador');
    // Stations drop their offline verifier of this user now (or at their next connection).
    ctx.broadcast('auth.offline.revoked', { login: saved.login, except: null });
    return saved;
  },

  'users.unlock': (data, session, ctx) => {
    requireCapability(session, 'admin');
    ctx.users.unlock(str(obj(data), 'login', { max: 32 }), session.actor);
    return { unlocked: true };
  },

  'stations.list': (_data, session, ctx) => {
    requireCapability(session, 'admin');
    return ctx.stations.list();
  },

  'stations.newCode': (_data, session, ctx) => {
    requireCapability(session, 'admin');
    return { ...ctx.stations.newCode(session.actor), fingerprint: ctx.fingerprint };
  },

  'stations.revoke': (data, session, ctx) => {
    requireCapability(session, 'admin');
    const o = obj(data);
    const id = str(o, 'stationId', { max: 100 });
    if (id === session.stationId) throw new AppError('INVALID_INPUT', 'Não é possível revogar a estação em que você está conectado.');
    const info = ctx.stations.revoke(id, session.actor, str(o, 'reason', { optional: true, max: 500 }) ?? null);
    ctx.users.dropStationGrants(id);
    // Told first (the frame leaves before the close): it forgets its offline verifiers.
    ctx.broadcast('station.revoked', { stationId: id });
    ctx.disconnect({ stationId: id }, 'estação revogada');
    return info;
  },
};

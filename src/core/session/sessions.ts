import { randomBytes } from 'node:crypto';
import type { CallContext } from '../../shared/api/index';
import type { Role, SessionInfo, SessionUser } from '../../shared/api/session';
import { ErrorCodes } from '../../shared/errors';
import { AppError } from '../errors';

/**
 * Signed-in users of this workstation. Sessions live in memory only: restarting the app
 * signs everyone out, and a token is worthless outside this process.
 */
export class Sessions {
  private readonly byToken = new Map<string, SessionInfo>();

  constructor(private readonly workstation: string) {}

  open(user: SessionUser): SessionInfo {
    const session = randomBytes(24).toString('base64url');
    const info: SessionInfo = { session, user, workstation: this.workstation };
    this.byToken.set(session, info);
    return info;
  }

  close(token: string | undefined): void {
    if (token) this.byToken.delete(token);
  }

  /** True while any session of this login is open here (several browser tabs, windows). */
  hasUser(login: string): boolean {
    for (const info of this.byToken.values()) if (info.user.login === login) return true;
    return false;
  }

  get(ctx: CallContext): SessionInfo | null {
    return (ctx.session && this.byToken.get(ctx.session)) || null;
  }

  /** Drops sessions of a user whose account changed (roles removed, deactivated). */
  refreshUser(user: SessionUser & { active: boolean }): void {
    for (const [token, info] of this.byToken) {
      if (info.user.login !== user.login) continue;
      if (!user.active) this.byToken.delete(token);
      else info.user = { login: user.login, name: user.name, roles: user.roles };
    }
  }

  /** The caller's session, which must hold one of `roles` (administrador holds all). */
  require(ctx: CallContext, ...roles: Role[]): SessionInfo {
    const info = this.get(ctx);
    if (!info) throw new AppError(ErrorCodes.UNAUTHENTICATED, 'Entre com seu usuário e senha para continuar.');
    if (roles.length === 0 || info.user.roles.includes('administrador') || roles.some((r) => info.user.roles.includes(r))) {
      return info;
    }
    throw new AppError(ErrorCodes.FORBIDDEN, 'Seu usuário não tem permissão para esta operação.');
  }
}

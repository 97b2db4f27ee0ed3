import type { Role } from '../../shared/api/session';
import type { SettingsRepo } from '../store/settings-repo';
import { hashPassword, verifyPassword } from './password';

interface Verifier {
  passwordHash: string;
  name: string;
  roles: Role[];
}

const KEY = (login: string) => `auth.offline.${login}`;

/**
 * Offline sign-in: after the server accepted a user's password on this station, the
 * station keeps its own scrypt verifier of it (never the server's hash, which no longer
 * replicates). With the LAN down only users who signed in here before can enter, with the
 * roles they had then; anything that needs the server still asks for it.
 */
export class OfflineVerifiers {
  private readonly failures = new Map<string, { count: number; until: number }>();

  constructor(private readonly settings: SettingsRepo) {}

  async remember(login: string, password: string, user: { name: string; roles: Role[] }): Promise<void> {
    const v: Verifier = { passwordHash: await hashPassword(password), name: user.name, roles: user.roles };
    this.settings.set(KEY(login), v);
  }

  forget(login: string): void {
    this.settings.set(KEY(login), null);
  }

  /** The user as last seen online, if the password matches the verifier; throttled like the server. */
  async check(login: string, password: string, nowMs: number): Promise<{ login: string; name: string; roles: Role[] } | 'throttled' | null> {
    const f = this.failures.get(login);
    if (f && f.until > nowMs) return 'throttled';
    const v = this.settings.get<Verifier | null>(KEY(login), null);
    if (v && (await verifyPassword(password, v.passwordHash))) {
      this.failures.delete(login);
      return { login, name: v.name, roles: v.roles };
    }
    const count = (f?.count ?? 0) + 1;
    this.failures.set(login, { count, until: count >= 3 ? nowMs + Math.min(1000 * 2 ** (count - 3), 60_000) : 0 });
    return null;
  }
}

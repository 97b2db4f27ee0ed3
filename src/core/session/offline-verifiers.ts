import type { Role } from '../../shared/api/session';
import type { SettingsRepo } from '../store/settings-repo';
import type { SecretBox } from '../workstation/secrets';
import { verifyPassword } from './password';

/**
 * What an offline verifier is computed over: the password bound to one station and one login.
 * The server computes it (scrypt, fresh salt) when that station signs the user in; the station
 * recomputes it with its own id to check a password while the server is down. Copied to
 * another station (another id) or to the server, it verifies nothing, and it is never the
 * server's own password hash.
 */
export function offlineVerifierInput(stationId: string, login: string, password: string): string {
  return `comboio-offline-v1\u0000${stationId}\u0000${login}\u0000${password}`;
}

/** The server's grant, as the station keeps it (the verifier sealed like the A1). */
export interface OfflineGrant {
  verifier: string;
  issuedAt: string;
}

interface Stored {
  sealed: string;
  issuedAt: string;
  stationId: string;
  name: string;
  roles: Role[];
}

const PREFIX = 'auth.offline.';
const KEY = (login: string) => `${PREFIX}${login}`;

/**
 * Offline sign-in: when the server accepts a user's password it issues this station a
 * verifier for that user (see offlineVerifierInput). With the LAN down only users who signed
 * in here before, and whose grant the server has not withdrawn since (password reset or
 * change elsewhere, roles changed, deactivated: the station forgets at once when told, or at
 * its next connection), can enter, with the roles they had then; anything that needs the
 * server still asks for it.
 */
export class OfflineVerifiers {
  private readonly failures = new Map<string, { count: number; until: number }>();

  constructor(
    private readonly settings: SettingsRepo,
    private readonly secrets: SecretBox,
  ) {}

  remember(login: string, stationId: string, grant: OfflineGrant, user: { name: string; roles: Role[] }): void {
    const v: Stored = { sealed: this.secrets.seal(Buffer.from(grant.verifier, 'utf8')), issuedAt: grant.issuedAt, stationId, name: user.name, roles: user.roles };
    this.settings.set(KEY(login), v);
  }

  forget(login: string): void {
    this.settings.set(KEY(login), null);
  }

  /** Logins this station holds a verifier for. */
  logins(): string[] {
    return this.settings
      .keys(PREFIX)
      .filter((k) => this.settings.get<Stored | null>(k, null) !== null)
      .map((k) => k.slice(PREFIX.length));
  }

  /** Keeps only the grants the server still lists for this station. */
  keepOnly(valid: readonly string[]): string[] {
    const keep = new Set(valid);
    const dropped = this.logins().filter((l) => !keep.has(l));
    for (const l of dropped) this.forget(l);
    return dropped;
  }

  /**
   * The user as last seen online, if the password matches the verifier the server issued to
   * `stationId` (this station now); throttled like the server.
   */
  async check(login: string, password: string, stationId: string | null, nowMs: number): Promise<{ login: string; name: string; roles: Role[] } | 'throttled' | null> {
    const f = this.failures.get(login);
    if (f && f.until > nowMs) return 'throttled';
    const v = this.settings.get<Stored | null>(KEY(login), null);
    if (v && stationId && v.stationId === stationId) {
      let verifier: string | null = null;
      try {
        verifier = this.secrets.open(v.sealed).toString('utf8');
      } catch {
        verifier = null;
      }
      if (verifier && (await verifyPassword(offlineVerifierInput(stationId, login, password), verifier))) {
        this.failures.delete(login);
        return { login, name: v.name, roles: v.roles };
      }
    }
    const count = (f?.count ?? 0) + 1;
    this.failures.set(login, { count, until: count >= 3 ? nowMs + Math.min(1000 * 2 ** (count - 3), 60_000) : 0 });
    return null;
  }
}

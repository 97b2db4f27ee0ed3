import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { AppError } from '../../core/errors';
import type { Actor, StationInfo } from '../../core/numbering/protocol';
import { enrollmentProof, enrollmentServerProof } from '../../core/numbering/enrollment';
import type { AuditLog } from '../audit';
import { newEnrollmentCode, hashMatches, newSecret, secretHash } from './secrets';

interface StationRow {
  id: string;
  name: string;
  secret_hash: string;
  enrolled_at: string;
  enrolled_by: string;
  last_seen_at: string | null;
  last_ip: string | null;
  revoked_at: string | null;
}

export const AuthErrors = {
  ENROLLMENT_REFUSED: 'ENROLLMENT_REFUSED',
  STATION_REVOKED: 'STATION_REVOKED',
  STATION_UNKNOWN: 'STATION_UNKNOWN',
  SIGN_IN_LOCKED: 'SIGN_IN_LOCKED',
  SIGN_IN_THROTTLED: 'SIGN_IN_THROTTLED',
  CURRENT_PASSWORD_WRONG: 'CURRENT_PASSWORD_WRONG',
} as const;

/** How long an enrollment code stays valid (an administrator walks to the station with it). */
export const ENROLLMENT_CODE_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Enrolled stations. A station is enrolled once with a one-time code (shown by `comboio
 * server`, `comboio server code` or Administração) and gets its own credential; the server
 * keeps only the credential's hash. Revoking refuses its next frame and closes its sockets.
 */
export class StationRegistry {
  private readonly st;

  constructor(
    private readonly db: Database.Database,
    private readonly audit: AuditLog,
    private readonly nowIso: () => string,
    private readonly nowMs: () => number,
  ) {
    this.st = {
      byId: db.prepare<[string], StationRow>('SELECT * FROM auth_stations WHERE id = ?'),
      byName: db.prepare<[string], StationRow>('SELECT * FROM auth_stations WHERE name = ?'),
      list: db.prepare<[], StationRow>('SELECT * FROM auth_stations ORDER BY revoked_at IS NOT NULL, name'),
      insert: db.prepare('INSERT INTO auth_stations (id, name, secret_hash, enrolled_at, enrolled_by) VALUES (?, ?, ?, ?, ?)'),
      replace: db.prepare('UPDATE auth_stations SET id = ?, secret_hash = ?, enrolled_at = ?, enrolled_by = ?, revoked_at = NULL, revoked_by = NULL, last_seen_at = NULL, last_ip = NULL WHERE name = ?'),
      seen: db.prepare('UPDATE auth_stations SET last_seen_at = ?, last_ip = ? WHERE id = ?'),
      revoke: db.prepare('UPDATE auth_stations SET revoked_at = ?, revoked_by = ? WHERE id = ? AND revoked_at IS NULL'),
      codes: db.prepare<[number], { code: string }>('SELECT code FROM auth_enroll_codes WHERE used_by IS NULL AND expires_ms > ?'),
      insertCode: db.prepare('INSERT INTO auth_enroll_codes (code, created_at, created_by, expires_ms) VALUES (?, ?, ?, ?)'),
      useCode: db.prepare('UPDATE auth_enroll_codes SET used_by = ? WHERE code = ? AND used_by IS NULL'),
      purgeCodes: db.prepare('DELETE FROM auth_enroll_codes WHERE expires_ms <= ?'),
      count: db.prepare('SELECT count(*) FROM auth_stations WHERE revoked_at IS NULL').pluck(),
    };
  }

  /** A new one-time code; `by` is who asked (an administrator, or the server console). */
  newCode(by: Actor, ttlMs = ENROLLMENT_CODE_TTL_MS): { code: string; expiresAt: string } {
    const code = newEnrollmentCode();
    const expires = this.nowMs() + ttlMs;
    this.db.transaction(() => {
      this.st.purgeCodes.run(this.nowMs());
      this.st.insertCode.run(code, this.nowIso(), by.user, expires);
      this.audit.record(by, { action: 'station.code', target: 'código de cadastro', newValue: new Date(expires).toISOString() });
    })();
    return { code, expiresAt: new Date(expires).toISOString() };
  }

  activeCount(): number {
    return this.st.count.get() as number;
  }

  /**
   * Enrolls (or re-enrolls, replacing the old credential) the station `name` if `proof` was
   * made with a valid unused code over `fingerprint` (this server's certificate).
   */
  enroll(name: string, proof: string, fingerprint: string, ip: string): { stationId: string; secret: string; serverProof: string } {
    const code = this.st.codes.all(this.nowMs()).map((r) => r.code).find((c) => enrollmentProof(c, fingerprint) === proof);
    const actor = { user: `estacao:${name}`, workstation: name, ip };
    if (!code) {
      this.audit.record(actor, { action: 'station.enroll.refused', target: name, reason: 'código inválido, usado ou expirado' });
      throw new AppError(
        AuthErrors.ENROLLMENT_REFUSED,
        'Código de cadastro inválido, já usado ou expirado — ou o certificado do servidor não é o esperado. Gere um código novo no servidor e confira a impressão digital.',
      );
    }
    const stationId = randomUUID();
    const secret = newSecret('st');
    this.db.transaction(() => {
      this.st.useCode.run(stationId, code);
      const existing = this.st.byName.get(name);
      if (existing) this.st.replace.run(stationId, secretHash(secret), this.nowIso(), 'código', name);
      else this.st.insert.run(stationId, name, secretHash(secret), this.nowIso(), 'código');
      this.audit.record(actor, { action: existing ? 'station.reenroll' : 'station.enroll', target: name, newValue: stationId });
    })();
    return { stationId, secret, serverProof: enrollmentServerProof(code, fingerprint, stationId) };
  }

  /** The station for a credential, or an error saying why not (unknown, revoked). */
  authenticate(stationId: string, secret: string, ip: string): StationInfo {
    const row = this.st.byId.get(stationId);
    if (!row || !hashMatches(secret, row.secret_hash)) {
      throw new AppError(AuthErrors.STATION_UNKNOWN, 'Esta estação não está cadastrada no servidor LAN. Cadastre-a de novo com um código gerado pelo administrador.');
    }
    if (row.revoked_at) {
      throw new AppError(AuthErrors.STATION_REVOKED, `O acesso desta estação (${row.name}) foi revogado em ${row.revoked_at}. Peça ao administrador um novo código de cadastro.`);
    }
    this.st.seen.run(this.nowIso(), ip, row.id);
    return toInfo({ ...row, last_seen_at: this.nowIso(), last_ip: ip });
  }

  isActive(stationId: string): boolean {
    const row = this.st.byId.get(stationId);
    return !!row && !row.revoked_at;
  }

  list(): StationInfo[] {
    return this.st.list.all().map(toInfo);
  }

  revoke(stationId: string, by: Actor, reason: string | null): StationInfo {
    const row = this.st.byId.get(stationId);
    if (!row) throw new AppError('NOT_FOUND', 'Estação não encontrada.');
    this.db.transaction(() => {
      this.st.revoke.run(this.nowIso(), by.user, stationId);
      this.audit.record(by, { action: 'station.revoke', target: row.name, oldValue: stationId, reason });
    })();
    return toInfo(this.st.byId.get(stationId)!);
  }
}

function toInfo(r: StationRow): StationInfo {
  return { id: r.id, name: r.name, enrolledAt: r.enrolled_at, enrolledBy: r.enrolled_by, lastSeenAt: r.last_seen_at, lastIp: r.last_ip, revokedAt: r.revoked_at };
}

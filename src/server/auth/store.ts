import type Database from 'better-sqlite3';

/**
 * Who may speak to the server: enrolled stations, users with their password hashes and
 * sign-in failures, user sessions, one-time enrollment codes and the offline sign-in
 * verifiers issued to each station (which station may let which user in offline). Kept in the server's own
 * database beside the numbering tables, created here (idempotent) so the numbering and
 * records migrations stay independent of it.
 */
export function ensureAuthSchema(db: Database.Database): void {
  db.exec(`
    CREATE TABLE IF NOT EXISTS auth_stations (
      id TEXT PRIMARY KEY,
      name TEXT NOT NULL UNIQUE,
      secret_hash TEXT NOT NULL,
      enrolled_at TEXT NOT NULL,
      enrolled_by TEXT NOT NULL,
      last_seen_at TEXT,
      last_ip TEXT,
      revoked_at TEXT,
      revoked_by TEXT
    );
    CREATE TABLE IF NOT EXISTS auth_enroll_codes (
      code TEXT PRIMARY KEY,
      created_at TEXT NOT NULL,
      created_by TEXT NOT NULL,
      expires_ms INTEGER NOT NULL,
      used_by TEXT
    );
    CREATE TABLE IF NOT EXISTS auth_users (
      login TEXT PRIMARY KEY,
      name TEXT NOT NULL,
      roles TEXT NOT NULL,
      active INTEGER NOT NULL,
      password_hash TEXT NOT NULL,
      failures INTEGER NOT NULL DEFAULT 0,
      retry_after_ms INTEGER NOT NULL DEFAULT 0,
      locked INTEGER NOT NULL DEFAULT 0,
      updated_at TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS auth_sessions (
      token_hash TEXT PRIMARY KEY,
      login TEXT NOT NULL,
      station_id TEXT NOT NULL,
      created_at TEXT NOT NULL,
      expires_ms INTEGER NOT NULL
    );
    CREATE INDEX IF NOT EXISTS auth_sessions_login ON auth_sessions(login);
    CREATE TABLE IF NOT EXISTS auth_offline_grants (
      station_id TEXT NOT NULL,
      login TEXT NOT NULL,
      issued_at TEXT NOT NULL,
      PRIMARY KEY (station_id, login)
    );
    CREATE INDEX IF NOT EXISTS auth_offline_grants_login ON auth_offline_grants(login);
  `);
}

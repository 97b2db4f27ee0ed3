import type Database from 'better-sqlite3';
import { openSqlite } from '../core/store/open';

/**
 * The server's own schema (separate from the workstation's drizzle store). Plain SQL,
 * applied in order; `user_version` records how many ran. Append only: never edit a
 * migration that has shipped.
 */
const MIGRATIONS: string[] = [
  `
  CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE series (
    id INTEGER PRIMARY KEY,
    cnpj TEXT NOT NULL,
    model INTEGER NOT NULL,
    serie INTEGER NOT NULL,
    emissao_propria INTEGER NOT NULL,
    active INTEGER NOT NULL,
    description TEXT,
    next_number INTEGER NOT NULL,
    start_number INTEGER NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    UNIQUE (cnpj, model, serie)
  );
  CREATE TABLE numbers (
    series_id INTEGER NOT NULL REFERENCES series(id),
    number INTEGER NOT NULL,
    state TEXT NOT NULL,
    order_id TEXT,
    request_id TEXT UNIQUE,
    suggested INTEGER,
    user TEXT NOT NULL,
    workstation TEXT NOT NULL,
    ip TEXT NOT NULL,
    allocated_at TEXT NOT NULL,
    day TEXT NOT NULL,
    state_at TEXT NOT NULL,
    detail TEXT,
    imported_above_next INTEGER,
    PRIMARY KEY (series_id, number)
  ) WITHOUT ROWID;
  CREATE INDEX numbers_open_order ON numbers(order_id) WHERE state IN ('allocated', 'transmitted');
  CREATE INDEX numbers_pending ON numbers(series_id, day) WHERE state IN ('allocated', 'transmitted', 'abandoned');
  CREATE TABLE skipped_ranges (
    id INTEGER PRIMARY KEY,
    series_id INTEGER NOT NULL REFERENCES series(id),
    first INTEGER NOT NULL,
    last INTEGER NOT NULL,
    state TEXT NOT NULL,
    created_at TEXT NOT NULL,
    day TEXT NOT NULL,
    reason TEXT
  );
  CREATE TABLE locks (
    order_id TEXT PRIMARY KEY,
    purpose TEXT NOT NULL,
    token INTEGER NOT NULL,
    request_id TEXT,
    user TEXT NOT NULL,
    workstation TEXT NOT NULL,
    ip TEXT NOT NULL,
    since TEXT NOT NULL
  );
  CREATE TABLE audit (
    id INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    user TEXT NOT NULL,
    workstation TEXT NOT NULL,
    ip TEXT NOT NULL,
    action TEXT NOT NULL,
    target TEXT,
    old_value TEXT,
    new_value TEXT,
    reason TEXT
  );
  `,
];

export function openServerDb(file: string): Database.Database {
  const db = openSqlite(file);
  migrate(db);
  return db;
}

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`server database is newer (schema ${current}) than this program (${MIGRATIONS.length})`);
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}

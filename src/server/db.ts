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
  // 2: `numbers` becomes a rowid table keyed by series and number packed in one integer
  // (numberKey). Allocation appends at the end of a series' key range; in the WITHOUT ROWID
  // B-tree each overflow of the last leaf re-balanced it with its two left neighbours, so a
  // group commit of ~4 allocations wrote 4.0 table pages to the WAL (measured under the
  // 8-client load); a rowid B-tree starts a new page for an append (SQLite's balance_quick):
  // 1.7, and its pages end up full (numbers take ~20 % fewer pages). Same rows, same indexes.
  `
  CREATE TABLE numbers_v2 (
    key INTEGER PRIMARY KEY,
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
    CHECK (number BETWEEN 0 AND 1073741823 AND key = series_id * 1073741824 + number)
  );
  INSERT INTO numbers_v2
    SELECT series_id * 1073741824 + number, series_id, number, state, order_id, request_id, suggested, user, workstation, ip,
           allocated_at, day, state_at, detail, imported_above_next
    FROM numbers ORDER BY series_id, number;
  DROP TABLE numbers;
  ALTER TABLE numbers_v2 RENAME TO numbers;
  CREATE INDEX numbers_open_order ON numbers(order_id) WHERE state IN ('allocated', 'transmitted');
  CREATE INDEX numbers_pending ON numbers(series_id, day) WHERE state IN ('allocated', 'transmitted', 'abandoned');
  `,
  // 3: order numbers, one short sequence per establishment shared by every station (#22 item 10).
  `
  CREATE TABLE order_counters (cnpj TEXT PRIMARY KEY, next INTEGER NOT NULL CHECK (next >= 1));
  CREATE TABLE order_station_tags (station_id TEXT PRIMARY KEY, tag INTEGER NOT NULL UNIQUE);
  `,
];

/**
 * Numbers per series in the packed key of `numbers`: 2^30 > 999,999,999 (the largest NF-e /
 * CT-e number), so key = series_id * 2^30 + number orders rows by series, then number, and
 * stays an exact integer in JavaScript for 8 million series.
 */
export const NUMBER_KEY_SPAN = 2 ** 30;

export function numberKey(seriesId: number, number: number): number {
  return seriesId * NUMBER_KEY_SPAN + number;
}

export function openServerDb(file: string): Database.Database {
  const db = openSqlite(file);
  migrateServerDb(db);
  return db;
}

/** Applies the migrations not yet applied, up to `target` (tests stop early to build old files). */
export function migrateServerDb(db: Database.Database, target: number = MIGRATIONS.length): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`server database is newer (schema ${current}) than this program (${MIGRATIONS.length})`);
  }
  for (let v = current; v < Math.min(target, MIGRATIONS.length); v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}

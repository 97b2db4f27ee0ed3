import { randomUUID } from 'node:crypto';
import type Database from 'better-sqlite3';
import { openSqlite } from '../../core/store/open';

/**
 * The shared-records store lives in its own file next to the numbering database
 * (`sync.sqlite` in the server's data folder), not in it:
 * - numbering has a p99 ≤ 5 ms target; a big push (signed XML of documents) or a burst
 *   of replicated edits would hold SQLite's single write lock and delay allocations;
 * - its schema versions on its own (`user_version`) without touching numbering's;
 * - it can be compacted, restored or rebuilt without going near the fiscal numbers.
 * The price is no transaction spanning both files: cross-domain steps (an order marked
 * "faturado" after its number is allocated) use idempotent writes keyed by the
 * allocation's requestId instead.
 *
 * Append only: never edit a migration that has shipped.
 */
const MIGRATIONS: string[] = [
  `
  CREATE TABLE sync_meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  CREATE TABLE records (
    collection TEXT NOT NULL,
    id TEXT NOT NULL,
    data TEXT NOT NULL,
    version INTEGER NOT NULL,
    seq INTEGER NOT NULL,
    deleted INTEGER NOT NULL DEFAULT 0,
    -- {field: seq of the change that last wrote it}: detects overwrites of unseen values.
    field_seqs TEXT NOT NULL,
    PRIMARY KEY (collection, id)
  ) WITHOUT ROWID;
  CREATE TABLE changes (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    collection TEXT NOT NULL,
    id TEXT NOT NULL,
    version INTEGER NOT NULL,
    data TEXT,
    fields TEXT NOT NULL,
    mutation_id TEXT,
    client_id TEXT,
    user TEXT NOT NULL,
    workstation TEXT NOT NULL,
    ip TEXT NOT NULL,
    at TEXT NOT NULL
  );
  CREATE TABLE mutations (
    mutation_id TEXT PRIMARY KEY,
    client_id TEXT,
    collection TEXT NOT NULL,
    id TEXT NOT NULL,
    result TEXT NOT NULL,
    at TEXT NOT NULL
  ) WITHOUT ROWID;
  CREATE TABLE history (
    hid INTEGER PRIMARY KEY,
    collection TEXT NOT NULL,
    id TEXT NOT NULL,
    field TEXT NOT NULL,
    value TEXT NOT NULL,
    written_seq INTEGER NOT NULL,
    replaced_seq INTEGER NOT NULL,
    reason TEXT NOT NULL
  );
  CREATE INDEX history_record ON history(collection, id);
  `,
  // 2: compaction (retention of the change feed, the applied-mutation log and history).
  // History keeps who wrote and who replaced each value in its own row, so it no longer
  // depends on change rows that compaction removes; mutations are forgotten by age.
  `
  ALTER TABLE history ADD COLUMN written_user TEXT;
  ALTER TABLE history ADD COLUMN written_workstation TEXT;
  ALTER TABLE history ADD COLUMN written_ip TEXT;
  ALTER TABLE history ADD COLUMN written_at TEXT;
  ALTER TABLE history ADD COLUMN replaced_user TEXT;
  ALTER TABLE history ADD COLUMN replaced_workstation TEXT;
  ALTER TABLE history ADD COLUMN replaced_ip TEXT;
  ALTER TABLE history ADD COLUMN replaced_at TEXT;
  UPDATE history SET (written_user, written_workstation, written_ip, written_at) =
    (SELECT user, workstation, ip, at FROM changes WHERE changes.seq = history.written_seq);
  UPDATE history SET (replaced_user, replaced_workstation, replaced_ip, replaced_at) =
    (SELECT user, workstation, ip, at FROM changes WHERE changes.seq = history.replaced_seq);
  CREATE INDEX mutations_at ON mutations(at);
  `,
];

export const SYNC_DB_FILE = 'sync.sqlite';

export function openSyncDb(file: string): Database.Database {
  const db = openSqlite(file);
  migrate(db);
  return db;
}

/** Identity of this record store: a replica built from another one must be rebuilt. */
export function syncIdentity(db: Database.Database): string {
  const row = db.prepare("SELECT value FROM sync_meta WHERE key = 'sync_id'").get() as { value: string } | undefined;
  if (row) return row.value;
  const id = randomUUID();
  db.prepare("INSERT INTO sync_meta (key, value) VALUES ('sync_id', ?)").run(id);
  return id;
}

function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true }) as number;
  if (current > MIGRATIONS.length) {
    throw new Error(`sync database is newer (schema ${current}) than this program (${MIGRATIONS.length})`);
  }
  for (let v = current; v < MIGRATIONS.length; v++) {
    db.transaction(() => {
      db.exec(MIGRATIONS[v]!);
      db.pragma(`user_version = ${v + 1}`);
    }).immediate();
  }
}

import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { drizzle, type BetterSQLite3Database } from 'drizzle-orm/better-sqlite3';
import * as schema from './schema/index';

export type Schema = typeof schema;
export type Db = BetterSQLite3Database<Schema>;

export interface Store {
  sqlite: Database.Database;
  db: Db;
  file: string;
  close(): void;
}

/**
 * Opens a SQLite file with the pragmas fiscal data needs: WAL so readers never block the
 * writer, synchronous=FULL so a committed transaction survives a power cut (NORMAL may
 * lose the last commits in WAL mode — unacceptable for fiscal numbers).
 */
export function openSqlite(file: string): Database.Database {
  if (file !== ':memory:') mkdirSync(dirname(file), { recursive: true });
  const sqlite = new Database(file);
  sqlite.pragma('journal_mode = WAL');
  sqlite.pragma('synchronous = FULL');
  sqlite.pragma('foreign_keys = ON');
  sqlite.pragma('busy_timeout = 5000');
  return sqlite;
}

export function openStore(file: string): Store {
  const sqlite = openSqlite(file);
  const db = drizzle(sqlite, { schema });
  return { sqlite, db, file, close: () => sqlite.close() };
}

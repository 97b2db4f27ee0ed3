import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { migrate } from 'drizzle-orm/better-sqlite3/migrator';
import { ErrorCodes } from '../../shared/errors';
import { AppError } from '../errors';
import type { Store } from './open';

interface Journal {
  entries: { idx: number; when: number; tag: string }[];
}

export function readJournal(migrationsDir: string): Journal {
  const file = join(migrationsDir, 'meta', '_journal.json');
  if (!existsSync(file)) {
    throw new AppError(ErrorCodes.STORE_INTEGRITY, `Pasta de migrações do banco não encontrada: ${migrationsDir}`);
  }
  return JSON.parse(readFileSync(file, 'utf8')) as Journal;
}

/**
 * Applies drizzle migrations safely. SQLite cannot ALTER most column changes, so
 * drizzle-kit rebuilds tables (create new, copy, drop old, rename). With foreign keys on,
 * dropping the old table cascades ON DELETE actions into child tables and silently
 * deletes rows. So: foreign keys off around the migration (PRAGMA foreign_keys is a no-op
 * inside a transaction, hence outside), then foreign_key_check to prove nothing dangles.
 */
export function migrateStore(store: Store, migrationsDir: string): { applied: number } {
  const journal = readJournal(migrationsDir);
  const before = countApplied(store);
  store.sqlite.pragma('foreign_keys = OFF');
  try {
    migrate(store.db, { migrationsFolder: migrationsDir });
    const violations = store.sqlite.pragma('foreign_key_check') as unknown[];
    if (violations.length > 0) {
      throw new AppError(
        ErrorCodes.STORE_INTEGRITY,
        `A atualização do banco deixou ${violations.length} referência(s) inválida(s). Restaure o backup e contate o suporte.`,
        { details: JSON.parse(JSON.stringify(violations.slice(0, 20))) },
      );
    }
  } finally {
    store.sqlite.pragma('foreign_keys = ON');
  }
  const after = countApplied(store);
  if (after > journal.entries.length) {
    throw new AppError(ErrorCodes.STORE_INTEGRITY, 'O banco local está em uma versão mais nova que este programa. Atualize o Comboio.');
  }
  return { applied: after - before };
}

function countApplied(store: Store): number {
  const row = store.sqlite
    .prepare("select count(*) as n from sqlite_master where type = 'table' and name = '__drizzle_migrations'")
    .get() as { n: number };
  if (row.n === 0) return 0;
  return (store.sqlite.prepare('select count(*) as n from __drizzle_migrations').get() as { n: number }).n;
}

import Database from 'better-sqlite3';
import { join } from 'node:path';
import { SERVER_DB_FILE } from '../../src/server/server';

/**
 * Reads, read-only, what the LAN server, the SEFAZ simulator and a station wrote to their
 * SQLite files, to count numbers, chaves and locks after crashes (what no Api shows whole).
 */
export interface NumberRow { number: number; state: string; order_id: string | null }

function readonly<T>(file: string, fn: (db: Database.Database) => T): T {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return fn(db);
  } finally {
    db.close();
  }
}

export function serverNumbers(serverDir: string): NumberRow[] {
  return readonly(join(serverDir, SERVER_DB_FILE), (db) => db.prepare('SELECT number, state, order_id FROM numbers ORDER BY number').all() as NumberRow[]);
}

export function serverLocks(serverDir: string): { order_id: string; user: string; workstation: string }[] {
  return readonly(join(serverDir, SERVER_DB_FILE), (db) => db.prepare('SELECT order_id, user, workstation FROM locks').all() as { order_id: string; user: string; workstation: string }[]);
}

export function serverAudit(serverDir: string, action: string): { user: string; workstation: string; target: string | null }[] {
  return readonly(join(serverDir, SERVER_DB_FILE), (db) =>
    db.prepare('SELECT user, workstation, target FROM audit WHERE action = ? ORDER BY id').all(action) as { user: string; workstation: string; target: string | null }[],
  );
}

/** Every chave the simulator holds, by number (it keeps one per number: its unique index). */
export function simNotes(simDir: string): { chave: string; nnf: number; status: string }[] {
  return readonly(join(simDir, 'sefaz-sim.db'), (db) => db.prepare('SELECT chave, nnf, status FROM nfe ORDER BY nnf').all() as { chave: string; nnf: number; status: string }[]);
}

/** Every chave this station ever handed to SEFAZ's authorization service, with the number in it. */
export function stationSentChaves(stationDir: string): { chave: string; nNF: number }[] {
  return readonly(join(stationDir, 'comboio.db'), (db) =>
    (db.prepare("SELECT DISTINCT chave FROM sefaz_messages WHERE chave IS NOT NULL AND service LIKE '%utoriza%'").all() as { chave: string }[]).map((r) => ({
      chave: r.chave,
      nNF: Number(r.chave.slice(25, 34)),
    })),
  );
}

export function stationJournal(stationDir: string): { order_id: string; step: string; number: number | null; chave: string | null }[] {
  return readonly(join(stationDir, 'comboio.db'), (db) => db.prepare('SELECT order_id, step, number, chave FROM finalize_journal').all() as { order_id: string; step: string; number: number | null; chave: string | null }[]);
}

/** Numbers given more than once, numbers missing between the first and the last, orders with more than one number. */
export function numberingFaults(rows: NumberRow[]): { duplicates: number[]; holes: number[]; ordersWithTwo: string[] } {
  const seen = new Map<number, number>();
  for (const r of rows) seen.set(r.number, (seen.get(r.number) ?? 0) + 1);
  const duplicates = [...seen].filter(([, n]) => n > 1).map(([k]) => k);
  const holes: number[] = [];
  if (rows.length > 0) {
    const first = rows[0]!.number;
    const last = rows[rows.length - 1]!.number;
    for (let n = first; n <= last; n++) if (!seen.has(n)) holes.push(n);
  }
  const perOrder = new Map<string, number>();
  for (const r of rows) if (r.order_id) perOrder.set(r.order_id, (perOrder.get(r.order_id) ?? 0) + 1);
  return { duplicates, holes, ordersWithTwo: [...perOrder].filter(([, n]) => n > 1).map(([o]) => o) };
}

/** Rows of a query on the station's database (read-only). */
export function stationQuery<T>(stationDir: string, sql: string, ...args: unknown[]): T[] {
  return readonly(join(stationDir, 'comboio.db'), (db) => db.prepare(sql).all(...args) as T[]);
}

/** Rows of a query on the SEFAZ simulator's database (read-only): what SEFAZ registered. */
export function simQuery<T>(simDir: string, sql: string, ...args: unknown[]): T[] {
  return readonly(join(simDir, 'sefaz-sim.db'), (db) => db.prepare(sql).all(...args) as T[]);
}

/** Rows of a query on the LAN server's database (read-only). */
export function serverQuery<T>(serverDir: string, sql: string, ...args: unknown[]): T[] {
  return readonly(join(serverDir, SERVER_DB_FILE), (db) => db.prepare(sql).all(...args) as T[]);
}

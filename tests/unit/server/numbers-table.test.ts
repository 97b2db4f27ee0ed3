import { afterAll, describe, expect, it } from 'vitest';
import { openSqlite } from '../../../src/core/store/open';
import { NUMBER_KEY_SPAN, migrateServerDb, numberKey, openServerDb } from '../../../src/server/db';
import { NumberingStore } from '../../../src/server/numbering/store';
import { tempDir } from '../../helpers/tmp';

const tmp = tempDir('comboio-numbers-table-');
afterAll(() => tmp.cleanup());

const COLUMNS = 'series_id, number, state, order_id, request_id, suggested, user, workstation, ip, allocated_at, day, state_at, detail, imported_above_next';

/** A server file as schema 1 left it (numbers WITHOUT ROWID), with rows in every shape. */
function schemaOneFile(file: string): void {
  const db = openSqlite(file);
  migrateServerDb(db, 1);
  expect(db.pragma('user_version', { simple: true })).toBe(1);
  const series = db.prepare(
    `INSERT INTO series (cnpj, model, serie, emissao_propria, active, description, next_number, start_number, created_at, updated_at)
     VALUES (?, ?, ?, 1, 1, NULL, ?, 1, 'x', 'x')`,
  );
  series.run('11222333000181', 55, 1, 4);
  series.run('11222333000181', 57, 1, 3);
  const insert = db.prepare(`INSERT INTO numbers (${COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, 'ana', 'FAT01', '10.0.0.5', ?, ?, ?, ?, ?)`);
  insert.run(1, 1, 'authorized', 'o-1', 'r-1', 1, '2026-03-09T10:00:00-03:00', '2026-03-09', '2026-03-09T10:01:00-03:00', 'ok', null);
  insert.run(1, 2, 'allocated', 'o-2', 'r-2', null, '2026-03-09T10:02:00-03:00', '2026-03-09', '2026-03-09T10:02:00-03:00', null, null);
  insert.run(1, 3, 'abandoned', 'o-3', 'r-3', 2, '2026-03-09T10:03:00-03:00', '2026-03-09', '2026-03-09T10:04:00-03:00', 'desistiu', null);
  insert.run(1, 999_999_999, 'imported', null, null, null, '2026-03-09T11:00:00-03:00', '2026-03-09', '2026-03-09T11:00:00-03:00', null, 1);
  insert.run(2, 1, 'transmitted', 'o-9', 'r-9', null, '2026-03-09T12:00:00-03:00', '2026-03-09', '2026-03-09T12:00:00-03:00', null, null);
  insert.run(2, 2, 'allocated', 'o-2', 'r-10', null, '2026-03-09T12:01:00-03:00', '2026-03-09', '2026-03-09T12:01:00-03:00', null, null);
  db.close();
}

const rowsOf = (db: ReturnType<typeof openSqlite>) => db.prepare(`SELECT ${COLUMNS} FROM numbers ORDER BY series_id, number`).all();

describe('numbers table keyed by (series, number) packed in one integer (migration 2)', () => {
  it('moves every row of a schema-1 file unchanged, with its key, indexes and constraints', () => {
    const file = `${tmp.dir}/v1.sqlite`;
    schemaOneFile(file);
    const before = (() => {
      const db = openSqlite(file);
      try {
        return rowsOf(db);
      } finally {
        db.close();
      }
    })();
    expect(before).toHaveLength(6);

    const db = openServerDb(file);
    try {
      // 3: order_counters / order_station_tags (#22 item 10) came after.
      expect(db.pragma('user_version', { simple: true })).toBe(3);
      expect(rowsOf(db)).toEqual(before);
      for (const r of db.prepare('SELECT key, series_id, number FROM numbers').all() as { key: number; series_id: number; number: number }[]) {
        expect(r.key).toBe(numberKey(r.series_id, r.number));
      }
      const indexes = (db.prepare("SELECT name FROM sqlite_schema WHERE type = 'index' AND tbl_name = 'numbers'").all() as { name: string }[]).map((r) => r.name);
      expect(indexes).toEqual(expect.arrayContaining(['numbers_open_order', 'numbers_pending']));
      expect(indexes.some((n) => n.startsWith('sqlite_autoindex_numbers'))).toBe(true); // request_id UNIQUE

      const raw = db.prepare(`INSERT INTO numbers (key, ${COLUMNS}) VALUES (?, ?, ?, 'allocated', NULL, ?, NULL, 'u', 'w', 'ip', 'a', 'd', 's', NULL, NULL)`);
      // The same number twice in a series, a request id twice, a key that does not match: refused.
      expect(() => raw.run(numberKey(1, 2), 1, 2, 'r-new')).toThrow(/UNIQUE|PRIMARY KEY/);
      expect(() => raw.run(numberKey(1, 50), 1, 50, 'r-1')).toThrow(/UNIQUE/);
      expect(() => raw.run(numberKey(1, 51), 1, 52, 'r-x')).toThrow(/CHECK/);
      expect(() => raw.run(numberKey(2, 0) + NUMBER_KEY_SPAN, 1, NUMBER_KEY_SPAN, 'r-y')).toThrow(/CHECK/);
      expect(db.pragma('foreign_key_check')).toEqual([]);
    } finally {
      db.close();
    }
  });

  it('lookups and ranges stay inside their series and use the primary key', () => {
    const file = `${tmp.dir}/v1b.sqlite`;
    schemaOneFile(file);
    const db = openServerDb(file);
    try {
      const store = new NumberingStore(db);
      expect(store.numberAt(1, 2)).toMatchObject({ series_id: 1, number: 2, state: 'allocated', order_id: 'o-2' });
      expect(store.numberAt(2, 3)).toBeUndefined();
      expect(store.numbersFrom.all({ s: 1, n: 2 }).map((r) => r.number)).toEqual([2, 3, 999_999_999]);
      expect(store.numbersFrom.all({ s: 2, n: 1 }).map((r) => r.number)).toEqual([1, 2]);
      expect(store.numbersBetween.all({ s: 1, a: 1, b: 3 }).map((r) => r.number)).toEqual([1, 2, 3]);
      expect(store.numbersBetween.all({ s: 2, a: 2, b: 999_999_999 }).map((r) => r.number)).toEqual([2]);
      expect(store.firstFreeFrom(1, 1)).toBe(4);
      store.updateState('transmitted', 't', null, 1, 2);
      expect(store.numberAt(1, 2)!.state).toBe('transmitted');
      expect(store.numberAt(2, 2)!.state).toBe('allocated');

      // The store's own range statements walk the table by key: no index, no sort.
      const plan = (sql: string, params: object) => (db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(params) as { detail: string }[]).map((r) => r.detail).join(' | ');
      expect(plan(store.numbersFrom.source, { s: 1, n: 2 })).toBe('SEARCH numbers USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)');
      expect(plan(store.numbersBetween.source, { s: 1, a: 1, b: 3 })).toBe('SEARCH numbers USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)');
      expect(plan(store.anyOnDay.source, { s: 1, d: '2026-03-09' })).toBe('SEARCH numbers USING INTEGER PRIMARY KEY (rowid>? AND rowid<?)');
      expect(store.anyOnDay.get({ s: 1, d: '2026-03-09' })).toEqual({ found: 1 });
      expect(store.anyOnDay.get({ s: 1, d: '2026-03-10' })).toBeUndefined();
      expect(plan('SELECT * FROM numbers WHERE key = @k', { k: numberKey(1, 2) })).toBe('SEARCH numbers USING INTEGER PRIMARY KEY (rowid=?)');
    } finally {
      db.close();
    }
  });
});

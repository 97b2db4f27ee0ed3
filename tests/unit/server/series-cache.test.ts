import { afterAll, describe, expect, it } from 'vitest';
import { NumberingErrors } from '../../../src/core/numbering/protocol';
import { openServerDb } from '../../../src/server/db';
import { NumberingStore } from '../../../src/server/numbering/store';
import { tempDir } from '../../helpers/tmp';

const tmp = tempDir('comboio-series-cache-');
afterAll(() => tmp.cleanup());

function insertSeries(store: NumberingStore, cnpj: string, serie: number, next: number): number {
  return Number(
    store.db
      .prepare(
        `INSERT INTO series (cnpj, model, serie, emissao_propria, active, description, next_number, start_number, created_at, updated_at)
         VALUES (?, 55, ?, 1, 1, NULL, ?, ?, 'x', 'x')`,
      )
      .run(cnpj, serie, next, next).lastInsertRowid,
  );
}

describe('series lookup by key (remembered ids)', () => {
  it('a remembered id whose creation rolled back and was reused by another series is not trusted', () => {
    const db = openServerDb(`${tmp.dir}/a.sqlite`);
    try {
      const store = new NumberingStore(db);
      const a = { cnpj: '11222333000181', model: 55 as const, serie: 1 };
      const b = { cnpj: '99888777000166', model: 55 as const, serie: 7 };
      db.exec('BEGIN');
      const idA = insertSeries(store, a.cnpj, a.serie, 10);
      expect(store.requireSeries(a).id).toBe(idA); // remembered
      db.exec('ROLLBACK');
      const idB = insertSeries(store, b.cnpj, b.serie, 500);
      expect(idB).toBe(idA); // SQLite hands the same rowid out again
      expect(() => store.requireSeries(a)).toThrow(expect.objectContaining({ code: NumberingErrors.SERIES_NOT_FOUND }));
      expect(store.requireSeries(b)).toMatchObject({ cnpj: b.cnpj, serie: 7, next_number: 500 });
    } finally {
      db.close();
    }
  });

  it('reads the current row every time (próximo número is never cached)', () => {
    const db = openServerDb(`${tmp.dir}/b.sqlite`);
    try {
      const store = new NumberingStore(db);
      const key = { cnpj: '11222333000181', model: 55 as const, serie: 2 };
      const id = insertSeries(store, key.cnpj, key.serie, 1);
      expect(store.requireSeries(key).next_number).toBe(1);
      store.setNext.run(42, 'y', id);
      expect(store.requireSeries(key).next_number).toBe(42);
    } finally {
      db.close();
    }
  });
});

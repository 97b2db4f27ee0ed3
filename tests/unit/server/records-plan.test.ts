import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { systemClock } from '../../../src/core/clock';
import type { DocumentRow, RecordsSearchParams, SearchPage } from '../../../src/core/records/protocol';
import { registerRecords, type RecordsService } from '../../../src/server/records/index';
import { registerSync, type SyncService } from '../../../src/server/sync/index';
import { tempDir } from '../../helpers/tmp';
import { chaveOf, docRecord } from './records-fixtures';

// Issue #15: no list or search statement reads a whole table. Every statement the search
// can build (each kind of query × each filter × first page or a later one) is explained by
// SQLite; its plan must reach documents/orders through an index, never a bare SCAN.

let tmp: { dir: string; cleanup(): void };
let sync: SyncService;
let rec: RecordsService;

beforeAll(() => {
  tmp = tempDir('comboio-records-plan-');
  sync = registerSync({ clock: systemClock, broadcast: () => undefined }, { dataDir: tmp.dir });
  rec = registerRecords(sync.engine, sync.db);
  // Straight into the projection (the statements' plans are what is tested): 3,000 rows of
  // one customer (a name fragment that matches many rows) and a few of a rare one.
  sync.db.transaction(() => {
    rec.projection.apply('customers', 'c1', { id: 'c1', nome: 'Posto Central Ltda', documento: '04252011000110' });
    rec.projection.apply('customers', 'c2', { id: 'c2', nome: 'São João Combustíveis', documento: '61585865000151' });
    for (let i = 1; i <= 3000; i++) {
      const rare = i % 500 === 0;
      rec.projection.apply('documents', chaveOf(i), docRecord(i, rare ? { cliente: 'São João Combustíveis', clienteDocumento: '61585865000151' } : {}));
      rec.projection.apply('orders', `o${i}`, {
        id: `o${i}`,
        numeroPedido: `261207-${String(i).padStart(5, '0')}`,
        customerId: rare ? 'c2' : 'c1',
        items: [],
        status: i % 3 === 0 ? 'faturado' : 'rascunho',
        documentId: i % 3 === 0 ? chaveOf(i) : null,
        createdAt: '2026-12-07T08:00:00-03:00',
        updatedAt: `2026-12-${String(1 + (i % 28)).padStart(2, '0')}T08:00:00-03:00`,
        totalCentavos: i,
      });
    }
  })();
});
afterAll(() => {
  sync.close();
  tmp.cleanup();
});

const QUERIES: Record<string, string | undefined> = {
  all: undefined,
  chave: chaveOf(77),
  chavePrefix: chaveOf(77).slice(0, 25),
  numero: '77',
  documento: '04.252.011/0001-10',
  documentoPrefix: '0425201100',
  pedido: '261207-0007',
  nomeMuitos: 'posto central',
  nomePoucos: 'sao joao',
  nomeCurto: 'sa',
};

const SORT_FREE = new Set(['all', 'chave', 'chavePrefix', 'numero', 'documento', 'nomeMuitos']);

function filtersFor(target: 'documents' | 'orders'): Partial<RecordsSearchParams>[] {
  return [
    {},
    { from: '2026-12-03', to: '2026-12-09' },
    { status: target === 'documents' ? 'autorizada' : 'faturado' },
    ...(target === 'documents' ? [{ model: 55 as const }, { status: 'cancelada', model: 57 as const, from: '2026-12-01' }] : [{ status: 'pendentes' }]),
  ];
}

function explain(p: RecordsSearchParams): string[] {
  const { sql, params } = rec.search.plan(p);
  return (sync.db.prepare(`EXPLAIN QUERY PLAN ${sql}`).all(...params) as { detail: string }[]).map((r) => r.detail);
}

describe('query plans of records.search', () => {
  for (const target of ['documents', 'orders'] as const) {
    it(`${target}: every kind of query, with every filter, first and later pages, walks an index`, () => {
      const alias = target === 'documents' ? 'd' : 'o';
      let checked = 0;
      for (const [name, q] of Object.entries(QUERIES)) {
        for (const f of filtersFor(target)) {
          const first: RecordsSearchParams = { target, q, ...f, limit: 5 };
          const page = rec.search.search(first);
          for (const p of [first, ...(page.next ? [{ ...first, cursor: page.next }] : [])]) {
            const plan = explain(p);
            const table = plan.filter((l) => new RegExp(`^(SCAN|SEARCH) ${alias}\\b`).test(l));
            const why = `${target} ${name} ${JSON.stringify(f)}${p.cursor ? ' (next page)' : ''}:\n${plan.join('\n')}`;
            expect(table.length, why).toBeGreaterThanOrEqual(1);
            for (const l of table) expect(l, why).toMatch(new RegExp(`^(SEARCH ${alias} USING|SCAN ${alias} USING)( COVERING)? INDEX rec_`));
            // The customers joined to orders are looked up by key, never scanned.
            for (const l of plan.filter((x) => /^(SCAN|SEARCH) c\b/.test(x))) expect(l, why).toMatch(/^SEARCH c USING (COVERING )?INDEX/);
            // Queries that can match a large part of the table read it in the page's order:
            // no sort of every matching row (only bounded sets — one CNPJ prefix, one order
            // number prefix, a name with few rows — are sorted).
            // (Orders by a chave go through the documents' chave index to the billed orders.)
            // (Orders by a number: the order's own or its note's, two index lookups merged.)
            if (SORT_FREE.has(name) && !(target === 'orders' && (name.startsWith('chave') || name === 'numero'))) expect(plan.join('\n'), why).not.toMatch(/TEMP B-TREE/);
            checked++;
          }
        }
      }
      expect(checked).toBeGreaterThan(60);
    });
  }

  it('chooses the index each query is about', () => {
    const idx = (p: RecordsSearchParams) => explain(p).find((l) => /^(SCAN|SEARCH) [do]\b/.test(l));
    expect(idx({ target: 'documents' })).toBe('SCAN d USING INDEX rec_documents_date');
    expect(idx({ target: 'documents', q: QUERIES.chave })).toMatch(/INDEX rec_documents_chave \(chave=\?\)/);
    expect(idx({ target: 'documents', q: QUERIES.chavePrefix })).toMatch(/INDEX rec_documents_chave \(chave>\? AND chave<\?\)/);
    expect(idx({ target: 'documents', q: '77' })).toMatch(/INDEX rec_documents_numero \(numero=\?\)/);
    expect(idx({ target: 'documents', q: QUERIES.documento })).toMatch(/INDEX rec_documents_cliente_doc \(cliente_doc=\?\)/);
    expect(idx({ target: 'documents', q: QUERIES.nomePoucos })).toMatch(/INDEX rec_documents_name \(name_id=\?\)/);
    // 2,994 rows behind "posto central": newest first through the date index, stopping at the page.
    expect(idx({ target: 'documents', q: QUERIES.nomeMuitos })).toBe('SCAN d USING INDEX rec_documents_date');
    expect(idx({ target: 'documents', status: 'rejeitada' })).toMatch(/INDEX rec_documents_status \(status=\?\)/);
    expect(idx({ target: 'documents', from: '2026-12-03', to: '2026-12-04' })).toMatch(/INDEX rec_documents_date \(issued_day>\? AND issued_day<\?\)/);
    expect(idx({ target: 'orders' })).toBe('SCAN o USING INDEX rec_orders_date');
    expect(idx({ target: 'orders', status: 'pendentes' })).toMatch(/INDEX rec_orders_open \(open=\?\)/);
    expect(idx({ target: 'orders', q: '261207-00077' })).toMatch(/INDEX rec_orders_pedido/);
  });

  it('finds the same rows through either name plan', () => {
    const many = rec.search.search({ target: 'documents', q: 'central', limit: 200 });
    expect(many.rows).toHaveLength(200);
    expect(many.rows.every((r) => r.cliente === 'Posto Central Ltda')).toBe(true);
    const few = rec.search.search({ target: 'documents', q: 'JOÃO', limit: 200 }) as SearchPage<DocumentRow>;
    const newestFirst = [500, 1000, 1500, 2000, 2500, 3000].sort((a, b) => Date.parse(String(docRecord(b).issuedAt)) - Date.parse(String(docRecord(a).issuedAt)));
    expect(few.rows.map((r) => r.number)).toEqual(newestFirst);
  });
});

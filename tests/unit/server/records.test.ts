import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type Database from 'better-sqlite3';
import { systemClock } from '../../../src/core/clock';
import { classifyQuery, type DocumentRow, type OrderRow, type RecordsSearchParams, type SearchPage } from '../../../src/core/records/protocol';
import type { JsonObject } from '../../../src/core/sync/protocol';
import { registerRecords, type RecordsService } from '../../../src/server/records/index';
import { registerSync, type SyncService } from '../../../src/server/sync/index';
import { tempDir } from '../../helpers/tmp';
import { chaveOf, docRecord } from './records-fixtures';

// Issue #15: the server's relational projection of the shared records and its searches.

const actor = { user: 'ana', workstation: 'FAT01', ip: '10.0.0.5', source: 'workstation' as const };

let tmp: { dir: string; cleanup(): void };
let sync: SyncService;
let rec: RecordsService;
let seq = 0;

function open(): void {
  sync = registerSync({ clock: systemClock, broadcast: () => undefined }, { dataDir: tmp.dir });
  rec = registerRecords(sync.engine, sync.db);
}

async function put(collection: string, id: string, fields: JsonObject): Promise<void> {
  const r = await sync.engine.push('test', [{ mutationId: `m${++seq}`, collection, id, fields, baseSeq: sync.engine.head() }], actor);
  expect(r.results[0]!.status).toBe('applied');
}

async function remove(collection: string, id: string): Promise<void> {
  const r = await sync.engine.push('test', [{ mutationId: `m${++seq}`, collection, id, delete: true, baseSeq: sync.engine.head() }], actor);
  expect(r.results[0]!.status).toBe('applied');
}

const docs = (p: Omit<RecordsSearchParams, 'target'>) => rec.search.search({ target: 'documents', ...p }) as SearchPage<DocumentRow>;
const orders = (p: Omit<RecordsSearchParams, 'target'>) => rec.search.search({ target: 'orders', ...p }) as SearchPage<OrderRow>;

beforeEach(() => {
  tmp = tempDir('comboio-records-');
  open();
});
afterEach(() => {
  sync.close();
  tmp.cleanup();
});

describe('query classification', () => {
  it('tells a chave, its first digits, a CPF/CNPJ (punctuated or not), a number, an order number and a name apart', () => {
    expect(classifyQuery(chaveOf(7))).toEqual({ kind: 'chave', value: chaveOf(7) });
    expect(classifyQuery('3526 1211 2223 3300 0181')).toEqual({ kind: 'chavePrefix', value: '35261211222333000181' });
    expect(classifyQuery('04.252.011/0001-10')).toEqual({ kind: 'documento', value: '04252011000110' });
    expect(classifyQuery('04252011000110')).toEqual({ kind: 'documento', value: '04252011000110' });
    expect(classifyQuery('123.456.789-09')).toEqual({ kind: 'documento', value: '12345678909' });
    expect(classifyQuery('12.ABC.345/01DE-35')).toEqual({ kind: 'documento', value: '12ABC34501DE35' });
    expect(classifyQuery('0425201100')).toEqual({ kind: 'documentoPrefix', value: '0425201100' });
    expect(classifyQuery('000123')).toEqual({ kind: 'numero', value: '123' });
    expect(classifyQuery('261207-ab1')).toEqual({ kind: 'pedido', value: '261207-AB1' });
    expect(classifyQuery('e3-1')).toEqual({ kind: 'pedido', value: 'E3-1' });
    expect(classifyQuery('  São João  ')).toEqual({ kind: 'nome', value: 'sao joao' });
    expect(classifyQuery('')).toEqual({ kind: 'all', value: '' });
  });
});

describe('records projection', () => {
  it('keeps documents as columns in step with every applied change, and finds them by chave, prefix, número, CNPJ, name, date, status and model', async () => {
    await put('documents', chaveOf(1), docRecord(1, { cliente: 'SÃO JOÃO COMBUSTÍVEIS LTDA', clienteDocumento: '61.585.865/0001-51' }));
    await put('documents', chaveOf(2), docRecord(2));
    await put('documents', chaveOf(3), docRecord(3, { status: 'rejeitada', cStat: '539' }));
    const cte = chaveOf(4, 57);
    await put('documents', cte, docRecord(4, { id: cte, chave: cte, model: 57, nfeChaves: [chaveOf(1), chaveOf(2)], tomadorNome: 'Transportes Ágil', tomadorDocumento: '33.000.167/0001-01' }));

    const one = docs({ q: chaveOf(1) });
    expect(one.kind).toBe('chave');
    expect(one.rows.map((r) => r.number)).toEqual([1]);
    expect(one.rows[0]).toMatchObject({ model: 55, serie: 1, tpEmis: 1, status: 'autorizada', clienteDocumento: '61585865000151', totalCentavos: 100, nProt: '135260000001', user: 'ana', workstation: 'FAT01' });

    expect(docs({ q: chaveOf(1).slice(0, 34) }).rows.map((r) => r.number)).toEqual([1]);
    expect(docs({ q: chaveOf(1).slice(0, 20) }).rows.map((r) => r.number)).toEqual([4, 3, 2, 1]);
    expect(docs({ q: chaveOf(1).slice(0, 22) }).rows.map((r) => r.number)).toEqual([3, 2, 1]);
    expect(docs({ q: '2' }).rows.map((r) => r.chave)).toEqual([chaveOf(2)]);
    expect(docs({ q: '61.585.865/0001-51' }).rows.map((r) => r.number)).toEqual([1]);
    expect(docs({ q: '61585865000151' }).rows.map((r) => r.number)).toEqual([1]);
    expect(docs({ q: 'sao joao' }).rows.map((r) => r.number)).toEqual([1]);
    expect(docs({ q: 'JOÃO' }).rows.map((r) => r.number)).toEqual([1]);
    expect(docs({ q: 'combustiveis' }).rows.map((r) => r.cliente)).toEqual(['SÃO JOÃO COMBUSTÍVEIS LTDA']);
    expect(docs({ q: 'Po' }).rows.map((r) => r.number).sort()).toEqual([2, 3, 4]);
    expect(docs({ q: 'inexistente' }).rows).toEqual([]);
    expect(docs({ status: 'rejeitada' }).rows.map((r) => r.number)).toEqual([3]);
    expect(docs({ model: 57 }).rows.map((r) => r.number)).toEqual([4]);
    const cteRow = docs({ model: 57 }).rows[0]!;
    expect(cteRow.nfeChaves).toEqual([chaveOf(1), chaveOf(2)].sort());
    expect(cteRow).toMatchObject({ tomadorNome: 'Transportes Ágil', tomadorDocumento: '33000167000101' });
    // docRecord(n) is issued on day 1 + n % 28.
    expect(docs({ from: '2026-12-03', to: '2026-12-04' }).rows.map((r) => r.number)).toEqual([3, 2]);

    // A change (cancelled) moves it between statuses; a deletion takes it out.
    await put('documents', chaveOf(2), { status: 'cancelada' });
    expect(docs({ status: 'cancelada' }).rows.map((r) => r.number)).toEqual([2]);
    expect(docs({ status: 'autorizada' }).rows.map((r) => r.number)).toEqual([4, 1]);
    await remove('documents', chaveOf(3));
    expect(docs({}).rows.map((r) => r.number)).toEqual([4, 2, 1]);
    expect(rec.search.document(chaveOf(3))).toBeNull();
  });

  it('stores each file once by content and serves it byte for byte', async () => {
    const signed = '<NFe xmlns="http://www.portalfiscal.inf.br/nfe"><infNFe Id="NFe1">ç &amp; ã</infNFe><Signature/></NFe>';
    await put('documents', chaveOf(1), docRecord(1, { signedXml: signed, procXml: null }));
    const proc = `<nfeProc>${signed}<protNFe/></nfeProc>`;
    await put('documents', chaveOf(1), { procXml: proc, status: 'autorizada' });
    await put('documents', chaveOf(1), { status: 'cancelada', events: [{ tpEvento: '110111', nSeq: 1, at: 'x', cStat: '135', xMotivo: 'ok', texto: 't', nProt: '1', procXml: '<procEventoNFe/>' }] });
    // A second document carrying the very same signed XML (an import of a file already known).
    await put('documents', chaveOf(2), docRecord(2, { signedXml: signed }));
    expect(rec.search.fileKinds(chaveOf(1))).toEqual(['event-110111-1', 'proc', 'signed']);
    expect(rec.search.file(chaveOf(1), 'signed')!.content).toBe(signed);
    expect(rec.search.file(chaveOf(1), 'proc')!.content).toBe(proc);
    expect(rec.search.file(chaveOf(1), 'event-110111-1')!.content).toBe('<procEventoNFe/>');
    expect(rec.search.file(chaveOf(1), 'signed')!.bytes).toBe(Buffer.byteLength(signed));
    const blobs = sync.db.prepare('SELECT count(*) FROM rec_blobs').pluck().get();
    expect(blobs).toBe(3);
  });

  it('pages with an opaque keyset cursor: every document once, newest first, across pages and writes in between', async () => {
    const n = 130;
    await sync.engine.push(
      'test',
      Array.from({ length: n }, (_, i) => ({ mutationId: `bulk${i}`, collection: 'documents', id: chaveOf(i + 1), fields: docRecord(i + 1), baseSeq: 0 })),
      actor,
    );
    let extra = 500;
    for (const q of [{}, { q: chaveOf(1).slice(0, 20) }, { q: 'posto' }, { status: 'autorizada' }]) {
      extra++;
      const seen: string[] = [];
      let cursor: string | null = null;
      let pages = 0;
      do {
        const page = docs({ ...q, limit: 50, cursor });
        seen.push(...page.rows.map((r) => r.id));
        cursor = page.next;
        pages++;
        if (pages === 1) await put('documents', chaveOf(extra), docRecord(extra, { issuedAt: '2026-11-01T08:00:00-03:00' }));
      } while (cursor);
      expect(pages).toBeGreaterThanOrEqual(3);
      const unique = new Set(seen);
      expect(unique.size).toBe(seen.length);
      for (let i = 1; i <= n; i++) expect(unique.has(chaveOf(i))).toBe(true);
      await remove('documents', chaveOf(extra));
    }
    const all = docs({ limit: 200 }).rows;
    const keys = all.map((r) => `${r.issuedAt.slice(0, 10)}|${Date.parse(r.issuedAt)}`);
    expect([...keys].sort().reverse()).toEqual(keys);
    expect(() => docs({ cursor: 'lixo' })).toThrow(/comece a pesquisa de novo/);
    const ordersCursor = docs({ limit: 1 }).next!;
    expect(() => orders({ cursor: ordersCursor })).toThrow(/comece a pesquisa de novo/);
  });

  it('projects orders with their items, customer name and billed note; a renamed customer is found by the new name', async () => {
    await put('customers', 'c1', { id: 'c1', nome: 'Auto Posto São Jorge', documento: '61585865000151', endereco: { uf: 'SP' } });
    await put('customers', 'c2', { id: 'c2', nome: 'Transportadora Beta', documento: '12345678909', endereco: { uf: 'MG' } });
    const order = (id: string, customerId: string, status: string, over: JsonObject = {}): JsonObject => ({
      id,
      numeroPedido: `261207-${id.toUpperCase()}`,
      customerId,
      naturezaId: 'n1',
      items: [{ productId: 'p1', quantidade: '1000.0000', precoUnitario: '5.5000000000', desconto: { tipo: 'nenhum', valor: '0' }, cstICMS: null, adRemICMS: null }],
      status,
      documentId: null,
      createdAt: '2026-12-07T08:00:00-03:00',
      updatedAt: '2026-12-07T08:00:00-03:00',
      totalCentavos: 550000,
      ...over,
    });
    await put('orders', 'aa001', order('aa001', 'c1', 'rascunho'));
    await put('orders', 'bb002', order('bb002', 'c2', 'rascunho', { updatedAt: '2026-12-06T08:00:00-03:00' }));
    await put('documents', chaveOf(9), docRecord(9, { orderId: 'bb002', totalCentavos: 551234 }));
    await put('orders', 'bb002', { status: 'faturado', documentId: chaveOf(9), updatedAt: '2026-12-07T09:00:00-03:00' });

    expect(orders({}).rows.map((r) => r.id)).toEqual(['bb002', 'aa001']);
    expect(orders({ status: 'pendentes' }).rows.map((r) => r.id)).toEqual(['aa001']);
    expect(orders({ status: 'faturado' }).rows[0]).toMatchObject({ id: 'bb002', numeroNota: 9, totalCentavos: 551234, cliente: 'Transportadora Beta', items: 1 });
    expect(orders({ q: 'sao jorge' }).rows.map((r) => r.id)).toEqual(['aa001']);
    expect(orders({ q: '123.456.789-09' }).rows.map((r) => r.id)).toEqual(['bb002']);
    expect(orders({ q: '9' }).rows.map((r) => r.id)).toEqual(['bb002']);
    // Orders numbered by the server's sequence are found by that number, and offline ones by theirs.
    await put('orders', 'cc003', order('cc003', 'c1', 'rascunho', { numeroPedido: '1234', updatedAt: '2026-12-05T08:00:00-03:00' }));
    await put('orders', 'dd004', order('dd004', 'c1', 'rascunho', { numeroPedido: 'E3-17', updatedAt: '2026-12-04T08:00:00-03:00' }));
    expect(orders({ q: '1234' }).rows.map((r) => r.id)).toEqual(['cc003']);
    expect(orders({ q: 'e3-1' }).rows.map((r) => r.id)).toEqual(['dd004']);
    await remove('orders', 'cc003');
    await remove('orders', 'dd004');
    expect(orders({ q: '261207-AA' }).rows.map((r) => r.id)).toEqual(['aa001']);
    expect(orders({ q: chaveOf(9) }).rows.map((r) => r.id)).toEqual(['bb002']);
    expect(docs({ q: '261207-BB002' }).rows.map((r) => r.number)).toEqual([9]);
    const items = sync.db.prepare('SELECT product_id, quantidade, preco_unitario FROM rec_order_items ORDER BY order_key, line').all();
    expect(items).toEqual([
      { product_id: 'p1', quantidade: '1000.0000', preco_unitario: '5.5000000000' },
      { product_id: 'p1', quantidade: '1000.0000', preco_unitario: '5.5000000000' },
    ]);

    await put('customers', 'c1', { nome: 'Rede Jorginho' });
    expect(orders({ q: 'sao jorge' }).rows).toEqual([]);
    expect(orders({ q: 'jorginho' }).rows.map((r) => [r.id, r.cliente])).toEqual([['aa001', 'Rede Jorginho']]);
  });

  it('builds itself from the records of a data folder made before it existed (first start), nothing left out', async () => {
    for (let i = 1; i <= 20; i++) await put('documents', chaveOf(i), docRecord(i, i === 5 ? { cliente: 'Ipiranga São Paulo' } : {}));
    await put('customers', 'c1', { id: 'c1', nome: 'Ipiranga São Paulo', documento: '61585865000151' });
    await put('orders', 'o1', { id: 'o1', numeroPedido: '261207-ABCDE', customerId: 'c1', items: [], status: 'rascunho', documentId: null, createdAt: '2026-12-07T08:00:00-03:00', updatedAt: '2026-12-07T08:00:00-03:00', totalCentavos: 0 });
    await remove('documents', chaveOf(20));
    const before = docs({ limit: 200 }).rows;
    // Today's code: no projection at all (the tables and their version mark gone).
    sync.close();
    const { default: Sqlite } = await import('better-sqlite3');
    const raw: Database.Database = new Sqlite(sync.dbFile);
    for (const t of ['rec_names_fts', 'rec_names', 'rec_documents', 'rec_document_nfes', 'rec_blobs', 'rec_files', 'rec_customers', 'rec_products', 'rec_orders', 'rec_order_items']) raw.exec(`DROP TABLE ${t}`);
    raw.exec("DELETE FROM sync_meta WHERE key = 'records_projection'");
    raw.close();
    open();
    const after = docs({ limit: 200 }).rows;
    expect(after).toHaveLength(19);
    expect(after).toEqual(before);
    expect(docs({ q: 'sao paulo' }).rows.map((r) => r.number)).toEqual([5]);
    expect(orders({ q: 'ipiranga' }).rows.map((r) => r.id)).toEqual(['o1']);
    expect(rec.search.file(chaveOf(3), 'signed')!.content).toBe(docRecord(3).signedXml);
    // Opening again does not rebuild (the version mark is there).
    sync.close();
    open();
    expect(docs({ limit: 200 }).rows).toEqual(before);
  });
});

describe('records.search, records.get and files.get on the LAN server (real socket, TLS)', () => {
  it('answers a station with indexed pages, the full record and its files; bad input gets a Portuguese message', async () => {
    const { startTestServer, errorOf } = await import('./harness');
    const h = await startTestServer();
    try {
      const station = await h.stationClient('FAT01');
      const push = (await station.request('sync.push', {
        clientId: 'fat01',
        mutations: [1, 2, 3].map((n) => ({ mutationId: `p${n}`, collection: 'documents', id: chaveOf(n), fields: docRecord(n, n === 2 ? { cliente: 'Comercial São João' } : {}), baseSeq: 0 })),
      })) as { results: { status: string }[] };
      expect(push.results.map((r) => r.status)).toEqual(['applied', 'applied', 'applied']);
      const page = (await station.request('records.search', { target: 'documents', q: 'SAO JOAO' })) as SearchPage<DocumentRow>;
      expect(page.rows.map((r) => r.number)).toEqual([2]);
      const first = (await station.request('records.search', { target: 'documents', limit: 2 })) as SearchPage<DocumentRow>;
      const second = (await station.request('records.search', { target: 'documents', limit: 2, cursor: first.next })) as SearchPage<DocumentRow>;
      expect([...first.rows, ...second.rows].map((r) => r.number).sort()).toEqual([1, 2, 3]);
      expect(second.next).toBeNull();
      const got = (await station.request('records.get', { collection: 'documents', id: chaveOf(2) })) as { record: { data: JsonObject }; files: string[] };
      expect(got.record.data.signedXml).toBe(docRecord(2).signedXml);
      expect(got.files).toEqual(['signed']);
      const file = (await station.request('files.get', { documentId: chaveOf(2), kind: 'signed' })) as { content: string };
      expect(file.content).toBe(docRecord(2).signedXml);
      expect(await errorOf(() => station.request('files.get', { documentId: chaveOf(2), kind: 'proc' }))).toMatchObject({ code: 'NOT_FOUND' });
      expect(await errorOf(() => station.request('records.search', { target: 'notas' }))).toMatchObject({ code: 'INVALID_INPUT' });
      expect(await errorOf(() => station.request('records.search', { target: 'documents', from: '07/12/2026' }))).toMatchObject({ code: 'INVALID_INPUT', message: expect.stringContaining('AAAA-MM-DD') });
      expect(await errorOf(() => station.request('records.search', { target: 'documents', limit: 5000 }))).toMatchObject({ code: 'INVALID_INPUT' });
      expect(await errorOf(() => station.request('records.search', { target: 'documents', status: 'qualquer' }))).toMatchObject({ code: 'INVALID_INPUT' });
    } finally {
      await h.stop();
    }
  }, 60_000);
});

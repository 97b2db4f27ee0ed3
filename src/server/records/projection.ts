import { createHash } from 'node:crypto';
import type Database from 'better-sqlite3';
import { compactDocumento, normalizeName } from '../../core/records/protocol';
import type { JsonObject } from '../../core/sync/protocol';
import { markProjection, projectionVersion, PROJECTION_VERSION, recreateProjection } from './schema';

/** Collections the projection keeps as tables; the others stay only in `records`. */
export const PROJECTED = new Set(['documents', 'orders', 'customers', 'products']);

/** Computes an order's total when its record does not carry one (drafts, before billing). */
export type OrderTotal = (order: JsonObject) => number;

const str = (v: unknown): string => (typeof v === 'string' ? v : v === null || v === undefined ? '' : String(v));
const optStr = (v: unknown): string | null => (typeof v === 'string' && v !== '' ? v : null);
const int = (v: unknown): number => (typeof v === 'number' && Number.isFinite(v) ? Math.trunc(v) : Number.isFinite(Number(v)) ? Math.trunc(Number(v)) : 0);

/** Local day as the ISO text says it ("2026-12-07T21:30:00-03:00" → "2026-12-07"). */
export function dayOf(iso: string): string {
  return /^\d{4}-\d{2}-\d{2}/.test(iso) ? iso.slice(0, 10) : '0000-00-00';
}

export function msOf(iso: string): number {
  const t = Date.parse(iso);
  return Number.isFinite(t) ? t : 0;
}

/**
 * Keeps the relational tables in step with `records`: `apply` runs inside the transaction
 * that applies each mutation (the engine's group commit), so the projection never lags
 * behind what the feed acknowledged.
 */
export class RecordsProjection {
  private readonly st;

  constructor(
    private readonly db: Database.Database,
    private readonly orderTotal: OrderTotal,
  ) {
    const s = db;
    this.st = {
      nameId: s.prepare<[string], number>('SELECT name_id FROM rec_names WHERE norm = ?').pluck(),
      nameInsert: s.prepare('INSERT INTO rec_names (norm) VALUES (?)'),
      ftsInsert: s.prepare('INSERT INTO rec_names_fts (rowid, norm) VALUES (?, ?)'),
      nameDocs: s.prepare('UPDATE rec_names SET docs = docs + ? WHERE name_id = ?'),
      nameOrders: s.prepare('UPDATE rec_names SET orders = orders + ? WHERE name_id = ?'),

      doc: s.prepare<[string], { doc_key: number; name_id: number; model: number }>('SELECT doc_key, name_id, model FROM rec_documents WHERE id = ?'),
      docInsert: s.prepare(
        `INSERT INTO rec_documents (id, model, cnpj, serie, numero, chave, tp_emis, status, c_stat, issued_at, issued_day, issued_ms, cliente,
           cliente_doc, name_id, total_centavos, n_prot, authorized_at, order_id, issued_by, workstation, imported, cte_id, tomador_nome, tomador_doc)
         VALUES (@id, @model, @cnpj, @serie, @numero, @chave, @tp_emis, @status, @c_stat, @issued_at, @issued_day, @issued_ms, @cliente,
           @cliente_doc, @name_id, @total_centavos, @n_prot, @authorized_at, @order_id, @issued_by, @workstation, @imported, @cte_id, @tomador_nome, @tomador_doc)`,
      ),
      docUpdate: s.prepare(
        `UPDATE rec_documents SET model = @model, cnpj = @cnpj, serie = @serie, numero = @numero, chave = @chave, tp_emis = @tp_emis,
           status = @status, c_stat = @c_stat, issued_at = @issued_at, issued_day = @issued_day, issued_ms = @issued_ms, cliente = @cliente,
           cliente_doc = @cliente_doc, name_id = @name_id, total_centavos = @total_centavos, n_prot = @n_prot, authorized_at = @authorized_at,
           order_id = @order_id, issued_by = @issued_by, workstation = @workstation, imported = @imported, cte_id = @cte_id,
           tomador_nome = @tomador_nome, tomador_doc = @tomador_doc
         WHERE doc_key = @doc_key`,
      ),
      docDelete: s.prepare('DELETE FROM rec_documents WHERE doc_key = ?'),
      nfesDelete: s.prepare('DELETE FROM rec_document_nfes WHERE doc_key = ?'),
      nfeInsert: s.prepare('INSERT OR IGNORE INTO rec_document_nfes (doc_key, nfe_chave) VALUES (?, ?)'),
      fileOf: s.prepare<[number, string], { blob_id: number; sha256: string }>(
        'SELECT f.blob_id, b.sha256 FROM rec_files f JOIN rec_blobs b ON b.blob_id = f.blob_id WHERE f.doc_key = ? AND f.kind = ?',
      ),
      blobBySha: s.prepare<[string], number>('SELECT blob_id FROM rec_blobs WHERE sha256 = ?').pluck(),
      blobInsert: s.prepare('INSERT INTO rec_blobs (sha256, bytes, content) VALUES (?, ?, ?)'),
      fileUpsert: s.prepare('INSERT INTO rec_files (doc_key, kind, blob_id) VALUES (?, ?, ?) ON CONFLICT (doc_key, kind) DO UPDATE SET blob_id = excluded.blob_id'),
      filesDelete: s.prepare('DELETE FROM rec_files WHERE doc_key = ?'),
      orderNota: s.prepare('UPDATE rec_orders SET numero_nota = ?, total_centavos = ? WHERE id = ?'),

      order: s.prepare<[string], { order_key: number; name_id: number }>('SELECT order_key, name_id FROM rec_orders WHERE id = ?'),
      orderInsert: s.prepare(
        `INSERT INTO rec_orders (id, numero_pedido, customer_id, name_id, cliente_doc, status, open, total_centavos, document_id, numero_nota,
           items, created_at, updated_at, upd_day, upd_ms)
         VALUES (@id, @numero_pedido, @customer_id, @name_id, @cliente_doc, @status, @open, @total_centavos, @document_id, @numero_nota,
           @items, @created_at, @updated_at, @upd_day, @upd_ms)`,
      ),
      orderUpdate: s.prepare(
        `UPDATE rec_orders SET numero_pedido = @numero_pedido, customer_id = @customer_id, name_id = @name_id, cliente_doc = @cliente_doc,
           status = @status, open = @open, total_centavos = @total_centavos, document_id = @document_id, numero_nota = @numero_nota,
           items = @items, created_at = @created_at, updated_at = @updated_at, upd_day = @upd_day, upd_ms = @upd_ms
         WHERE order_key = @order_key`,
      ),
      orderDelete: s.prepare('DELETE FROM rec_orders WHERE order_key = ?'),
      itemsDelete: s.prepare('DELETE FROM rec_order_items WHERE order_key = ?'),
      itemInsert: s.prepare('INSERT INTO rec_order_items (order_key, line, product_id, quantidade, preco_unitario) VALUES (?, ?, ?, ?, ?)'),
      docForOrder: s.prepare<[string], { numero: number; total_centavos: number }>('SELECT numero, total_centavos FROM rec_documents WHERE id = ?'),

      customer: s.prepare<[string], { cust_key: number; name_id: number; documento: string }>('SELECT cust_key, name_id, documento FROM rec_customers WHERE id = ?'),
      customerUpsert: s.prepare(
        `INSERT INTO rec_customers (id, documento, nome, name_id, uf) VALUES (@id, @documento, @nome, @name_id, @uf)
         ON CONFLICT (id) DO UPDATE SET documento = excluded.documento, nome = excluded.nome, name_id = excluded.name_id, uf = excluded.uf`,
      ),
      customerDelete: s.prepare('DELETE FROM rec_customers WHERE id = ?'),
      ordersOfCustomer: s.prepare<[string], { n: number; name_id: number }>(
        'SELECT count(*) AS n, name_id FROM rec_orders WHERE customer_id = ? GROUP BY name_id',
      ),
      renameOrders: s.prepare('UPDATE rec_orders SET name_id = ?, cliente_doc = ? WHERE customer_id = ?'),

      productUpsert: s.prepare(
        `INSERT INTO rec_products (id, codigo, descricao) VALUES (?, ?, ?)
         ON CONFLICT (id) DO UPDATE SET codigo = excluded.codigo, descricao = excluded.descricao`,
      ),
      productDelete: s.prepare('DELETE FROM rec_products WHERE id = ?'),
      customerById: s.prepare<[string], { name_id: number; documento: string }>('SELECT name_id, documento FROM rec_customers WHERE id = ?'),
    };
  }

  /**
   * Opens the projection of `db` (the sync store), building it from `records` when it is
   * missing or of another version: the migration of a data folder made by earlier code.
   */
  static open(db: Database.Database, orderTotal: OrderTotal, log?: (line: string) => void): RecordsProjection {
    if (projectionVersion(db) !== PROJECTION_VERSION) {
      const t0 = Date.now();
      let n = 0;
      db.transaction(() => {
        recreateProjection(db);
        const p = new RecordsProjection(db, orderTotal);
        n = p.backfill();
        markProjection(db);
      }).immediate();
      log?.(`tabelas de documentos, pedidos e cadastros montadas a partir de ${n} registros em ${Date.now() - t0} ms`);
    }
    return new RecordsProjection(db, orderTotal);
  }

  /** Projects every live record (customers first: orders take their names). */
  backfill(): number {
    const page = this.db.prepare<[string, string], { id: string; data: string }>(
      'SELECT id, data FROM records WHERE collection = ? AND id > ? AND deleted = 0 ORDER BY collection, id LIMIT 500',
    );
    let n = 0;
    for (const collection of ['customers', 'products', 'documents', 'orders']) {
      let after = '';
      for (;;) {
        const rows = page.all(collection, after);
        for (const r of rows) this.apply(collection, r.id, JSON.parse(r.data) as JsonObject);
        n += rows.length;
        if (rows.length < 500) break;
        after = rows[rows.length - 1]!.id;
      }
    }
    return n;
  }

  /** The record `collection/id` is now `next` (null: deleted). Call inside the write transaction. */
  apply(collection: string, id: string, next: JsonObject | null): void {
    switch (collection) {
      case 'documents':
        return this.document(id, next);
      case 'orders':
        return this.orderRow(id, next);
      case 'customers':
        return this.customerRow(id, next);
      case 'products':
        if (next === null) this.st.productDelete.run(id);
        else this.st.productUpsert.run(id, str(next.codigo), str(next.descricao));
        return;
      default:
        return;
    }
  }

  private nameIdOf(name: string): number {
    const norm = normalizeName(name);
    const found = this.st.nameId.get(norm);
    if (found !== undefined) return found;
    const nameId = Number(this.st.nameInsert.run(norm).lastInsertRowid);
    this.st.ftsInsert.run(nameId, norm);
    return nameId;
  }

  private document(id: string, d: JsonObject | null): void {
    const cur = this.st.doc.get(id);
    if (d === null) {
      if (!cur) return;
      this.st.nameDocs.run(-1, cur.name_id);
      this.st.docDelete.run(cur.doc_key);
      this.st.nfesDelete.run(cur.doc_key);
      this.st.filesDelete.run(cur.doc_key);
      return;
    }
    const chave = str(d.chave).replace(/\D/g, '');
    const issuedAt = str(d.issuedAt);
    const cliente = str(d.cliente);
    const nameId = this.nameIdOf(cliente);
    const row = {
      id,
      model: int(d.model) === 57 ? 57 : 55,
      cnpj: str(d.cnpj),
      serie: int(d.serie),
      numero: int(d.number),
      chave,
      tp_emis: chave.length === 44 ? Number(chave[34]) : 1,
      status: str(d.status),
      c_stat: optStr(d.cStat),
      issued_at: issuedAt,
      issued_day: dayOf(issuedAt),
      issued_ms: msOf(issuedAt),
      cliente,
      cliente_doc: compactDocumento(str(d.clienteDocumento)),
      name_id: nameId,
      total_centavos: int(d.totalCentavos),
      n_prot: optStr(d.nProt),
      authorized_at: optStr(d.authorizedAt),
      order_id: optStr(d.orderId),
      issued_by: str(d.user),
      workstation: str(d.workstation),
      imported: d.imported === true ? 1 : 0,
      cte_id: optStr(d.cteId),
      tomador_nome: optStr(d.tomadorNome),
      tomador_doc: optStr(d.tomadorDocumento) === null ? null : compactDocumento(str(d.tomadorDocumento)),
    };
    let docKey: number;
    if (cur) {
      docKey = cur.doc_key;
      this.st.docUpdate.run({ ...row, doc_key: docKey });
      if (cur.name_id !== nameId) {
        this.st.nameDocs.run(-1, cur.name_id);
        this.st.nameDocs.run(1, nameId);
      }
    } else {
      docKey = Number(this.st.docInsert.run(row).lastInsertRowid);
      this.st.nameDocs.run(1, nameId);
    }
    this.st.nfesDelete.run(docKey);
    if (Array.isArray(d.nfeChaves)) for (const k of d.nfeChaves) if (typeof k === 'string' && k) this.st.nfeInsert.run(docKey, k);
    if (typeof d.signedXml === 'string' && d.signedXml) this.file(docKey, 'signed', d.signedXml);
    if (typeof d.procXml === 'string' && d.procXml) this.file(docKey, 'proc', d.procXml);
    if (Array.isArray(d.events)) {
      for (const e of d.events) {
        if (!e || typeof e !== 'object' || Array.isArray(e)) continue;
        const ev = e as JsonObject;
        const xml = typeof ev.procXml === 'string' ? ev.procXml : typeof ev.xml === 'string' ? ev.xml : null;
        if (xml) this.file(docKey, `event-${str(ev.tpEvento)}-${int(ev.nSeq)}`, xml);
      }
    }
    if (row.order_id) this.st.orderNota.run(row.numero, row.total_centavos, row.order_id);
  }

  private file(docKey: number, kind: string, content: string): void {
    const sha = createHash('sha256').update(content, 'utf8').digest('hex');
    const cur = this.st.fileOf.get(docKey, kind);
    if (cur?.sha256 === sha) return;
    const blobId = this.st.blobBySha.get(sha) ?? Number(this.st.blobInsert.run(sha, Buffer.byteLength(content, 'utf8'), content).lastInsertRowid);
    this.st.fileUpsert.run(docKey, kind, blobId);
  }

  private orderRow(id: string, o: JsonObject | null): void {
    const cur = this.st.order.get(id);
    if (o === null) {
      if (!cur) return;
      this.st.nameOrders.run(-1, cur.name_id);
      this.st.orderDelete.run(cur.order_key);
      this.st.itemsDelete.run(cur.order_key);
      return;
    }
    const customerId = str(o.customerId);
    const customer = customerId ? this.st.customerById.get(customerId) : undefined;
    const nameId = customer?.name_id ?? this.nameIdOf('');
    const documentId = optStr(o.documentId);
    const doc = documentId ? this.st.docForOrder.get(documentId) : undefined;
    const status = str(o.status);
    const items = Array.isArray(o.items) ? o.items : [];
    const updatedAt = str(o.updatedAt) || str(o.createdAt);
    // The billed note's total is the order's total (as the station's list shows it).
    let total = doc ? doc.total_centavos : typeof o.totalCentavos === 'number' ? int(o.totalCentavos) : null;
    if (total === null) {
      try {
        total = this.orderTotal(o);
      } catch {
        total = 0;
      }
    }
    const row = {
      id,
      numero_pedido: str(o.numeroPedido).toUpperCase(),
      customer_id: customerId,
      name_id: nameId,
      cliente_doc: customer?.documento ?? '',
      status,
      open: status === 'faturado' || status === 'cancelado' ? 0 : 1,
      total_centavos: total,
      document_id: documentId,
      numero_nota: doc ? doc.numero : null,
      items: items.length,
      created_at: str(o.createdAt),
      updated_at: updatedAt,
      upd_day: dayOf(updatedAt),
      upd_ms: msOf(updatedAt),
    };
    let orderKey: number;
    if (cur) {
      orderKey = cur.order_key;
      this.st.orderUpdate.run({ ...row, order_key: orderKey });
      if (cur.name_id !== nameId) {
        this.st.nameOrders.run(-1, cur.name_id);
        this.st.nameOrders.run(1, nameId);
      }
    } else {
      orderKey = Number(this.st.orderInsert.run(row).lastInsertRowid);
      this.st.nameOrders.run(1, nameId);
    }
    this.st.itemsDelete.run(orderKey);
    items.forEach((it, line) => {
      if (!it || typeof it !== 'object' || Array.isArray(it)) return;
      const item = it as JsonObject;
      this.st.itemInsert.run(orderKey, line, str(item.productId), str(item.quantidade), str(item.precoUnitario));
    });
  }

  private customerRow(id: string, c: JsonObject | null): void {
    if (c === null) {
      this.st.customerDelete.run(id);
      return;
    }
    const nome = str(c.nome);
    const nameId = this.nameIdOf(nome);
    const documento = compactDocumento(str(c.documento));
    const cur = this.st.customer.get(id);
    const endereco = c.endereco && typeof c.endereco === 'object' && !Array.isArray(c.endereco) ? (c.endereco as JsonObject) : {};
    this.st.customerUpsert.run({ id, documento, nome, name_id: nameId, uf: optStr(endereco.uf) });
    if (!cur || cur.name_id !== nameId || cur.documento !== documento) {
      // A renamed customer (or one whose orders arrived first): its orders are found by the new
      // name; documents keep the name they were issued with.
      for (const g of this.st.ordersOfCustomer.all(id)) {
        this.st.nameOrders.run(-g.n, g.name_id);
        this.st.nameOrders.run(g.n, nameId);
      }
      this.st.renameOrders.run(nameId, documento, id);
    }
  }
}

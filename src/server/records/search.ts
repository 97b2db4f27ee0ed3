import type Database from 'better-sqlite3';
import { AppError } from '../../core/errors';
import {
  classifyQuery,
  DEFAULT_PAGE,
  MAX_PAGE,
  RecordsErrors,
  type ClassifiedQuery,
  type DocumentRow,
  type FileResult,
  type OrderRow,
  type RecordsSearchParams,
  type SearchPage,
} from '../../core/records/protocol';

/** A statement a search runs, with its parameters (the query-plan test explains each). */
export interface PlannedQuery {
  sql: string;
  params: unknown[];
}

/** Name fragments matching at most this many rows read them through the name index and sort them. */
const NARROW_NAME_ROWS = 2000;

type Cursor = { t: 'documents' | 'orders'; k: 'date' | 'chave'; v: (string | number)[] };

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify(c), 'utf8').toString('base64url');
}

function decodeCursor(text: string, t: Cursor['t'], k: Cursor['k']): Cursor['v'] {
  let c: Cursor | null = null;
  try {
    c = JSON.parse(Buffer.from(text, 'base64url').toString('utf8')) as Cursor;
  } catch {
    c = null;
  }
  const want = k === 'chave' ? 1 : 3;
  if (!c || c.t !== t || c.k !== k || !Array.isArray(c.v) || c.v.length !== want || !c.v.every((x) => typeof x === 'string' || typeof x === 'number')) {
    throw new AppError(RecordsErrors.BAD_CURSOR, 'A página pedida não corresponde a esta pesquisa: comece a pesquisa de novo.');
  }
  return c.v;
}

/** Kinds whose index has the day right after the searched value (a date range narrows it). */
const DATE_SECOND = new Set<ClassifiedQuery['kind']>(['all', 'numero', 'documento', 'nome']);

/** Upper bound of a prefix range over [0-9A-Z] keys (portable: no LIKE, no collation). */
const prefixEnd = (p: string) => `${p}~`;

interface DocSqlRow {
  doc_key: number;
  id: string;
  model: number;
  cnpj: string;
  serie: number;
  numero: number;
  chave: string;
  tp_emis: number;
  status: string;
  c_stat: string | null;
  issued_at: string;
  issued_day: string;
  issued_ms: number;
  cliente: string;
  cliente_doc: string;
  total_centavos: number;
  n_prot: string | null;
  authorized_at: string | null;
  order_id: string | null;
  issued_by: string;
  workstation: string;
  imported: number;
  cte_id: string | null;
  tomador_nome: string | null;
  tomador_doc: string | null;
}

interface OrderSqlRow {
  order_key: number;
  id: string;
  numero_pedido: string;
  customer_id: string;
  nome: string | null;
  cliente_doc: string;
  status: string;
  total_centavos: number;
  document_id: string | null;
  numero_nota: number | null;
  items: number;
  created_at: string;
  updated_at: string;
  upd_day: string;
  upd_ms: number;
}

const DOC_COLUMNS = `d.doc_key, d.id, d.model, d.cnpj, d.serie, d.numero, d.chave, d.tp_emis, d.status, d.c_stat, d.issued_at, d.issued_day,
  d.issued_ms, d.cliente, d.cliente_doc, d.total_centavos, d.n_prot, d.authorized_at, d.order_id, d.issued_by, d.workstation, d.imported,
  d.cte_id, d.tomador_nome, d.tomador_doc`;

/** Paged, indexed reads of the projection: every statement here walks an index (tests/unit/server/records-plan.test.ts). */
export class RecordsSearch {
  private readonly cache = new Map<string, Database.Statement>();
  private readonly st;

  constructor(private readonly db: Database.Database) {
    this.st = {
      namesFts: db.prepare<[string, number], { name_id: number; docs: number; orders: number }>(
        'SELECT n.name_id, n.docs, n.orders FROM rec_names_fts f JOIN rec_names n ON n.name_id = f.rowid WHERE rec_names_fts MATCH ? LIMIT ?',
      ),
      namesPrefix: db.prepare<[string, string, number], { name_id: number; docs: number; orders: number }>(
        'SELECT name_id, docs, orders FROM rec_names WHERE norm >= ? AND norm < ? LIMIT ?',
      ),
      doc: db.prepare<[string], DocSqlRow>(`SELECT ${DOC_COLUMNS} FROM rec_documents d WHERE d.id = ?`),
      nfes: db.prepare<[number], string>('SELECT nfe_chave FROM rec_document_nfes WHERE doc_key = ? ORDER BY nfe_chave').pluck(),
      file: db.prepare<[string, string], { sha256: string; bytes: number; content: string }>(
        `SELECT b.sha256, b.bytes, b.content FROM rec_documents d JOIN rec_files f ON f.doc_key = d.doc_key JOIN rec_blobs b ON b.blob_id = f.blob_id
         WHERE d.id = ? AND f.kind = ?`,
      ),
      fileKinds: db.prepare<[string], string>('SELECT f.kind FROM rec_documents d JOIN rec_files f ON f.doc_key = d.doc_key WHERE d.id = ? ORDER BY f.kind').pluck(),
    };
  }

  private prepared(sql: string): Database.Statement {
    let s = this.cache.get(sql);
    if (!s) {
      s = this.db.prepare(sql);
      this.cache.set(sql, s);
    }
    return s;
  }

  search(p: RecordsSearchParams): SearchPage<DocumentRow> | SearchPage<OrderRow> {
    const limit = Math.min(Math.max(p.limit ?? DEFAULT_PAGE, 1), MAX_PAGE);
    const q = classifyQuery(p.q);
    const planned = this.plan(p, q, limit);
    const rows = this.prepared(planned.sql).all(...planned.params) as (DocSqlRow | OrderSqlRow)[];
    const more = rows.length > limit;
    const page = more ? rows.slice(0, limit) : rows;
    const last = page[page.length - 1];
    if (p.target === 'documents') {
      const docs = page as DocSqlRow[];
      const sortKind = isChaveKind(q) ? 'chave' : 'date';
      const next =
        more && last
          ? encodeCursor({ t: 'documents', k: sortKind, v: sortKind === 'chave' ? [(last as DocSqlRow).chave] : [(last as DocSqlRow).issued_day, (last as DocSqlRow).issued_ms, (last as DocSqlRow).doc_key] })
          : null;
      return { rows: docs.map((r) => this.docRow(r)), next, kind: q.kind };
    }
    const orders = page as OrderSqlRow[];
    const o = last as OrderSqlRow | undefined;
    return { rows: orders.map(orderRow), next: more && o ? encodeCursor({ t: 'orders', k: 'date', v: [o.upd_day, o.upd_ms, o.order_key] }) : null, kind: q.kind };
  }

  /** The statement `search(p)` runs (exposed for the query-plan test). */
  plan(p: RecordsSearchParams, q: ClassifiedQuery = classifyQuery(p.q), limit = Math.min(Math.max(p.limit ?? DEFAULT_PAGE, 1), MAX_PAGE)): PlannedQuery {
    return p.target === 'documents' ? this.planDocuments(p, q, limit) : this.planOrders(p, q, limit);
  }

  private planDocuments(p: RecordsSearchParams, q: ClassifiedQuery, limit: number): PlannedQuery {
    const where: string[] = [];
    const params: unknown[] = [];
    const byChave = isChaveKind(q);
    switch (q.kind) {
      case 'chave':
        where.push('d.chave = ?');
        params.push(q.value);
        break;
      case 'chavePrefix':
        where.push('d.chave >= ? AND d.chave < ?');
        params.push(q.value, prefixEnd(q.value));
        break;
      case 'numero':
        where.push('d.numero = ?');
        params.push(Number(q.value));
        break;
      case 'documento':
        where.push('d.cliente_doc = ?');
        params.push(q.value);
        break;
      case 'documentoPrefix':
        where.push('d.cliente_doc >= ? AND d.cliente_doc < ?');
        params.push(q.value, prefixEnd(q.value));
        break;
      case 'pedido':
        where.push('d.order_id IN (SELECT id FROM rec_orders WHERE numero_pedido >= ? AND numero_pedido < ?)');
        params.push(q.value, prefixEnd(q.value));
        break;
      case 'nome':
        this.nameClause('d', q.value, 'docs', where, params);
        break;
      case 'all':
        break;
    }
    // The query's own index drives; the filters only filter (a unary + keeps SQLite from
    // trading an ordered walk of the right index for a sort of every row of a status).
    const dated = DATE_SECOND.has(q.kind) ? 'd.' : '+d.';
    const statusCol = q.kind === 'all' ? 'd.' : '+d.';
    const modelCol = q.kind === 'all' && !p.status ? 'd.' : '+d.';
    if (p.from) {
      where.push(`${dated}issued_day >= ?`);
      params.push(p.from);
    }
    if (p.to) {
      where.push(`${dated}issued_day <= ?`);
      params.push(p.to);
    }
    if (p.status) {
      where.push(`${statusCol}status = ?`);
      params.push(p.status);
    }
    if (p.model) {
      where.push(`${modelCol}model = ?`);
      params.push(p.model);
    }
    if (p.cursor) {
      const v = decodeCursor(p.cursor, 'documents', byChave ? 'chave' : 'date');
      if (byChave) where.push('d.chave < ?');
      else where.push('(d.issued_day, d.issued_ms, d.doc_key) < (?, ?, ?)');
      params.push(...v);
    }
    const order = byChave ? 'd.chave DESC' : 'd.issued_day DESC, d.issued_ms DESC, d.doc_key DESC';
    const sql = `SELECT ${DOC_COLUMNS} FROM rec_documents d${where.length ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY ${order} LIMIT ?`;
    params.push(limit + 1);
    return { sql, params };
  }

  private planOrders(p: RecordsSearchParams, q: ClassifiedQuery, limit: number): PlannedQuery {
    const where: string[] = [];
    const params: unknown[] = [];
    switch (q.kind) {
      case 'chave':
        where.push('o.document_id IN (SELECT id FROM rec_documents WHERE chave = ?)');
        params.push(q.value);
        break;
      case 'chavePrefix':
        where.push('o.document_id IN (SELECT id FROM rec_documents WHERE chave >= ? AND chave < ?)');
        params.push(q.value, prefixEnd(q.value));
        break;
      case 'numero':
        // The order's own number (the server's sequence) or the note that billed it.
        where.push('(o.numero_pedido = ? OR o.numero_nota = ?)');
        params.push(q.value, Number(q.value));
        break;
      case 'documento':
        where.push('o.cliente_doc = ?');
        params.push(q.value);
        break;
      case 'documentoPrefix':
        where.push('o.cliente_doc >= ? AND o.cliente_doc < ?');
        params.push(q.value, prefixEnd(q.value));
        break;
      case 'pedido':
        where.push('o.numero_pedido >= ? AND o.numero_pedido < ?');
        params.push(q.value, prefixEnd(q.value));
        break;
      case 'nome':
        this.nameClause('o', q.value, 'orders', where, params);
        break;
      case 'all':
        break;
    }
    const dated = DATE_SECOND.has(q.kind) ? 'o.' : '+o.';
    const statusCol = q.kind === 'all' ? 'o.' : '+o.';
    if (p.from) {
      where.push(`${dated}upd_day >= ?`);
      params.push(p.from);
    }
    if (p.to) {
      where.push(`${dated}upd_day <= ?`);
      params.push(p.to);
    }
    if (p.status === 'pendentes') {
      where.push(`${statusCol}open = 1`);
    } else if (p.status) {
      where.push(`${statusCol}status = ?`);
      params.push(p.status);
    }
    if (p.cursor) {
      where.push('(o.upd_day, o.upd_ms, o.order_key) < (?, ?, ?)');
      params.push(...decodeCursor(p.cursor, 'orders', 'date'));
    }
    const sql = `SELECT o.order_key, o.id, o.numero_pedido, o.customer_id, c.nome, o.cliente_doc, o.status, o.total_centavos, o.document_id,
        o.numero_nota, o.items, o.created_at, o.updated_at, o.upd_day, o.upd_ms
      FROM rec_orders o LEFT JOIN rec_customers c ON c.id = o.customer_id${where.length ? ` WHERE ${where.join(' AND ')}` : ''}
      ORDER BY o.upd_day DESC, o.upd_ms DESC, o.order_key DESC LIMIT ?`;
    params.push(limit + 1);
    return { sql, params };
  }

  /**
   * A name fragment: the trigram index finds the matching names (3+ characters; shorter,
   * names starting with it). Few rows behind them: read them through the name index and
   * sort. Many: walk the date index newest first and keep the rows of those names (the
   * unary + keeps SQLite off the name index), which stops as soon as the page is full.
   */
  private nameClause(alias: 'd' | 'o', norm: string, count: 'docs' | 'orders', where: string[], params: unknown[]): void {
    const names = norm.length >= 3 ? this.st.namesFts.all(`"${norm}"`, 100_001) : this.st.namesPrefix.all(norm, prefixEnd(norm), 100_001);
    const rows = names.reduce((n, r) => n + r[count], 0);
    const ids = names.filter((r) => r[count] > 0).map((r) => r.name_id);
    if (ids.length === 0) {
      where.push('0 = 1');
      return;
    }
    if (rows <= NARROW_NAME_ROWS) {
      where.push(`${alias}.name_id IN (SELECT value FROM json_each(?))`);
      params.push(JSON.stringify(ids));
    } else if (norm.length >= 3) {
      where.push(`+${alias}.name_id IN (SELECT rowid FROM rec_names_fts WHERE rec_names_fts MATCH ?)`);
      params.push(`"${norm}"`);
    } else {
      where.push(`+${alias}.name_id IN (SELECT name_id FROM rec_names WHERE norm >= ? AND norm < ?)`);
      params.push(norm, prefixEnd(norm));
    }
  }

  document(id: string): DocumentRow | null {
    const r = this.st.doc.get(id);
    return r ? this.docRow(r) : null;
  }

  fileKinds(documentId: string): string[] {
    return this.st.fileKinds.all(documentId) as string[];
  }

  file(documentId: string, kind: string): FileResult | null {
    const r = this.st.file.get(documentId, kind);
    return r ? { documentId, kind, sha256: r.sha256, bytes: r.bytes, content: r.content } : null;
  }

  private docRow(r: DocSqlRow): DocumentRow {
    return {
      id: r.id,
      model: r.model === 57 ? 57 : 55,
      cnpj: r.cnpj,
      serie: r.serie,
      number: r.numero,
      chave: r.chave,
      tpEmis: r.tp_emis,
      status: r.status,
      cStat: r.c_stat,
      issuedAt: r.issued_at,
      cliente: r.cliente,
      clienteDocumento: r.cliente_doc,
      totalCentavos: r.total_centavos,
      nProt: r.n_prot,
      authorizedAt: r.authorized_at,
      orderId: r.order_id,
      user: r.issued_by,
      workstation: r.workstation,
      imported: r.imported === 1,
      cteId: r.cte_id,
      nfeChaves: r.model === 57 ? (this.st.nfes.all(r.doc_key) as string[]) : [],
      tomadorNome: r.tomador_nome,
      tomadorDocumento: r.tomador_doc,
    };
  }
}

function isChaveKind(q: ClassifiedQuery): boolean {
  return q.kind === 'chave' || q.kind === 'chavePrefix';
}

function orderRow(r: OrderSqlRow): OrderRow {
  return {
    id: r.id,
    numeroPedido: r.numero_pedido,
    customerId: r.customer_id,
    cliente: r.nome ?? '(cliente não selecionado)',
    clienteDocumento: r.cliente_doc,
    status: r.status,
    totalCentavos: r.total_centavos,
    documentId: r.document_id,
    numeroNota: r.numero_nota,
    items: r.items,
    createdAt: r.created_at,
    updatedAt: r.updated_at,
  };
}

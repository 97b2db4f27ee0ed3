import type Database from 'better-sqlite3';
import type { DocumentStatus, DocumentSummary, ListPage, OrderDto, OrderSummary } from '../../shared/api/billing';
import { AppError } from '../errors';
import { classifyQuery, compactDocumento, normalizeName, RecordsErrors, RecordsMessageTypes, type ClassifiedQuery, type DocumentRow, type OrderRow, type RecordsSearchParams, type SearchPage } from '../records/protocol';
import type { WorkstationContext } from './context';
import { type DocumentRecord, summaryOf } from './documents';
import type { WorkstationRuntime } from './runtime';

/** Days of documents and orders a station answers for by itself when the server is out of reach. */
export const WINDOW_SETTING = 'records.windowDays';
export const DEFAULT_WINDOW_DAYS = 30;
const MAX_PAGE = 200;

/**
 * The Documentos and Pedidos lists, one page at a time. Online they are the LAN server's
 * indexed searches (`records.search`, every document ever issued); offline, or when the
 * server does not answer, an indexed query over this station's replica limited to the
 * recent window, with a notice that older documents need the server. Edits of this station
 * not yet confirmed by the server are merged in either way (a note finalized a second ago
 * shows at once).
 */
export class RecordLists {
  private indexed = false;

  constructor(
    private readonly w: WorkstationContext,
    private readonly rt: Pick<WorkstationRuntime, 'lan'>,
  ) {}

  windowDays(): number {
    const n = this.w.settings.get<number>(WINDOW_SETTING, DEFAULT_WINDOW_DAYS);
    return Number.isInteger(n) && n >= 1 && n <= 3650 ? n : DEFAULT_WINDOW_DAYS;
  }

  async documents(p: RecordsSearchParams): Promise<ListPage<DocumentSummary>> {
    const q = classifyQuery(p.q);
    const remote = await this.remote<DocumentRow>(p);
    if (remote) {
      const rows = this.mergePending(remote.rows.map((r) => summaryOf({ ...r, status: r.status as DocumentStatus })), p, q, !unwrap(p.cursor));
      return { rows, next: remote.next, source: 'servidor', notice: null };
    }
    return this.localDocuments(p, q);
  }

  async orders(p: RecordsSearchParams, summary: (o: OrderDto) => OrderSummary): Promise<ListPage<OrderSummary>> {
    const remote = await this.remote<OrderRow>(p);
    if (remote) {
      const rows: OrderSummary[] = remote.rows.map((r) => ({
        id: r.id,
        numeroPedido: r.numeroPedido,
        cliente: r.cliente,
        totalCentavos: r.totalCentavos,
        status: r.status as OrderSummary['status'],
        numeroNota: r.numeroNota,
        updatedAt: r.updatedAt,
      }));
      // This station's unconfirmed edits replace the server's version, and new ones join the first page.
      const pending = new Map(this.pendingIds('orders').map((id) => [id, this.w.records.get<OrderDto>('orders', id)] as const));
      // (A draft deleted here and not yet at the server is left out.)
      const out = rows.filter((r) => !pending.has(r.id) || pending.get(r.id)).map((r) => (pending.get(r.id) ? summary(pending.get(r.id)!) : r));
      if (!unwrap(p.cursor)) {
        const q = classifyQuery(p.q);
        for (const [id, o] of pending) if (o && !rows.some((r) => r.id === id) && this.orderMatches(o, p, q, summary)) out.push(summary(o));
        out.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || (a.id < b.id ? 1 : -1));
      }
      return { rows: out, next: remote.next, source: 'servidor', notice: null };
    }
    return this.localOrders(p, summary);
  }

  /** The server's page, or null when it cannot answer now (offline, timeout). */
  private async remote<T>(p: RecordsSearchParams): Promise<SearchPage<T> | null> {
    const lan = this.rt.lan;
    const cursor = p.cursor ? unwrap(p.cursor) : null;
    if (p.cursor && cursor === null) throw staleCursor();
    if (!lan || lan.state !== 'online' || cursor?.source === 'L') {
      if (cursor?.source === 'S') throw staleCursor();
      return null;
    }
    try {
      const page = await lan.request<SearchPage<T>>(RecordsMessageTypes.search, { ...p, cursor: cursor?.value ?? null }, { retry: false });
      return { ...page, next: page.next ? `S:${page.next}` : null };
    } catch (err) {
      if (err instanceof AppError && (err.code === 'UNAVAILABLE' || err.code === 'REQUEST_TIMEOUT' || err.code === 'LAN_OFFLINE')) {
        if (cursor) throw staleCursor();
        return null;
      }
      throw err;
    }
  }

  private sqlite(): Database.Database {
    const db = this.w.store.sqlite;
    if (!this.indexed) {
      ensureLocalIndexes(db);
      this.indexed = true;
    }
    return db;
  }

  private pendingIds(collection: 'documents' | 'orders'): string[] {
    return this.w.store.sqlite.prepare<[string], string>("SELECT DISTINCT record_id FROM sync_outbox WHERE collection = ? AND state != 'rejected'").pluck().all(collection);
  }

  private windowStart(): string {
    const d = this.w.clock.now();
    d.setDate(d.getDate() - this.windowDays());
    return localDay(d);
  }

  private offlineNotice(p: RecordsSearchParams, start: string): string {
    const days = this.windowDays();
    const before = p.to !== undefined && p.to < start;
    return before
      ? `Sem conexão com o servidor LAN: esta estação guarda só os últimos ${days} dias (desde ${brDay(start)}). Documentos mais antigos precisam do servidor.`
      : `Sem conexão com o servidor LAN: mostrando só os últimos ${days} dias guardados nesta estação. Documentos mais antigos precisam do servidor.`;
  }

  private localDocuments(p: RecordsSearchParams, q: ClassifiedQuery): ListPage<DocumentSummary> {
    const db = this.sqlite();
    const start = this.windowStart();
    const limit = Math.min(Math.max(p.limit ?? 50, 1), MAX_PAGE);
    const where = ["collection = 'documents'", "json_extract(data, '$.issuedAt') >= ?", "id NOT IN (SELECT record_id FROM sync_outbox WHERE collection = 'documents' AND state != 'rejected')"];
    const params: unknown[] = [p.from && p.from > start ? p.from : start];
    if (p.to) {
      where.push("json_extract(data, '$.issuedAt') < ?");
      params.push(nextDay(p.to));
    }
    if (p.status) {
      where.push("json_extract(data, '$.status') = ?");
      params.push(p.status);
    }
    if (p.model) {
      where.push("json_extract(data, '$.model') = ?");
      params.push(p.model);
    }
    localQueryClause(q, where, params);
    const cursor = p.cursor ? localCursor(p.cursor) : null;
    if (cursor) {
      where.push("(json_extract(data, '$.issuedAt'), id) < (?, ?)");
      params.push(cursor[0], cursor[1]);
    }
    const rows = db
      .prepare<unknown[], { id: string; data: string }>(
        `SELECT id, data FROM sync_records WHERE ${where.join(' AND ')} ORDER BY json_extract(data, '$.issuedAt') DESC, id DESC LIMIT ?`,
      )
      .all(...params, limit + 1);
    let list = rows.map((r) => JSON.parse(r.data) as DocumentRecord);
    const full = list.length > limit;
    // Unconfirmed local versions, within the window and this page's range of keys.
    for (const id of this.pendingIds('documents')) {
      const d = this.w.records.get<DocumentRecord>('documents', id);
      if (!d || d.issuedAt < start || !documentMatches(d, p, q)) continue;
      if (cursor && !(keyOf(d) < cursor[0] + '\u0000' + cursor[1])) continue;
      list.push(d);
    }
    list.sort((a, b) => (keyOf(a) < keyOf(b) ? 1 : keyOf(a) > keyOf(b) ? -1 : 0));
    if (full) {
      const lastSql = rows[limit - 1]!;
      const bound = keyOf(JSON.parse(lastSql.data) as DocumentRecord);
      list = list.filter((d) => keyOf(d) >= bound);
    }
    const page = list;
    const last = page[page.length - 1];
    return {
      rows: page.map(summaryOf),
      next: full && last ? `L:${JSON.stringify([last.issuedAt, last.id])}` : null,
      source: 'estacao',
      notice: this.offlineNotice(p, start),
    };
  }

  private localOrders(p: RecordsSearchParams, summary: (o: OrderDto) => OrderSummary): ListPage<OrderSummary> {
    const db = this.sqlite();
    const q = classifyQuery(p.q);
    const start = this.windowStart();
    const limit = Math.min(Math.max(p.limit ?? 50, 1), MAX_PAGE);
    const where = ["collection = 'orders'", "id NOT IN (SELECT record_id FROM sync_outbox WHERE collection = 'orders' AND state != 'rejected')"];
    const params: unknown[] = [];
    // Open orders are kept whatever their age; the rest within the window.
    if (p.status === 'pendentes') {
      where.push("json_extract(data, '$.status') IN ('rascunho', 'em_faturamento', 'aguardando_servidor')");
    } else {
      where.push("json_extract(data, '$.updatedAt') >= ?");
      params.push(p.from && p.from > start ? p.from : start);
      if (p.status) {
        where.push("json_extract(data, '$.status') = ?");
        params.push(p.status);
      }
    }
    if (p.to) {
      where.push("json_extract(data, '$.updatedAt') < ?");
      params.push(nextDay(p.to));
    }
    if (q.kind === 'pedido') {
      where.push("upper(json_extract(data, '$.numeroPedido')) >= ? AND upper(json_extract(data, '$.numeroPedido')) < ?");
      params.push(q.value, `${q.value}~`);
    }
    const cursor = p.cursor ? localCursor(p.cursor) : null;
    if (cursor) {
      where.push("(json_extract(data, '$.updatedAt'), id) < (?, ?)");
      params.push(cursor[0], cursor[1]);
    }
    // Name, CPF/CNPJ and note number live in other records: filtered on the page's rows
    // (the window bounds what is read).
    const filtered = q.kind !== 'all' && q.kind !== 'pedido';
    const stmt = db.prepare<unknown[], { id: string; data: string }>(
      `SELECT id, data FROM sync_records WHERE ${where.join(' AND ')} ORDER BY json_extract(data, '$.updatedAt') DESC, id DESC LIMIT ?`,
    );
    const out: OrderSummary[] = [];
    let lastSeen: OrderDto | null = null;
    let full = false;
    for (const r of stmt.iterate(...params, filtered ? 100_000 : limit + 1)) {
      const o = JSON.parse(r.data) as OrderDto;
      if (out.length === limit) {
        full = true;
        break;
      }
      lastSeen = o;
      if (!filtered || this.orderMatches(o, p, q, summary)) out.push(summary(o));
    }
    if (!cursor) {
      for (const id of this.pendingIds('orders')) {
        const o = this.w.records.get<OrderDto>('orders', id);
        if (o && (p.status === 'pendentes' || o.updatedAt >= start) && this.orderMatches(o, p, q, summary)) out.push(summary(o));
      }
      out.sort((a, b) => b.updatedAt.localeCompare(a.updatedAt) || (a.id < b.id ? 1 : -1));
    }
    return {
      rows: out,
      next: full && lastSeen ? `L:${JSON.stringify([lastSeen.updatedAt, lastSeen.id])}` : null,
      source: 'estacao',
      notice: `Sem conexão com o servidor LAN: mostrando os pedidos em aberto e os dos últimos ${this.windowDays()} dias guardados nesta estação; os mais antigos precisam do servidor.`,
    };
  }

  private orderMatches(o: OrderDto, p: RecordsSearchParams, q: ClassifiedQuery, summary: (o: OrderDto) => OrderSummary): boolean {
    if (p.status === 'pendentes' ? o.status === 'faturado' || o.status === 'cancelado' : p.status && o.status !== p.status) return false;
    if (p.from && o.updatedAt.slice(0, 10) < p.from) return false;
    if (p.to && o.updatedAt.slice(0, 10) > p.to) return false;
    switch (q.kind) {
      case 'all':
        return true;
      case 'pedido':
        return o.numeroPedido.toUpperCase().startsWith(q.value);
      case 'nome':
        return normalizeName(summary(o).cliente).includes(q.value);
      case 'numero':
        return o.numeroPedido === q.value || String(summary(o).numeroNota ?? '') === q.value;
      case 'documento':
      case 'documentoPrefix': {
        const c = this.w.records.get<{ documento?: string }>('customers', o.customerId);
        return compactDocumento(c?.documento ?? '').startsWith(q.value);
      }
      case 'chave':
      case 'chavePrefix':
        return !!o.documentId && (this.w.records.get<DocumentRecord>('documents', o.documentId)?.chave ?? '').startsWith(q.value);
    }
  }

  /** The server's page with this station's unconfirmed versions over it (and, first page, its new ones). */
  private mergePending(rows: DocumentSummary[], p: RecordsSearchParams, q: ClassifiedQuery, firstPage: boolean): DocumentSummary[] {
    const ids = this.pendingIds('documents');
    if (ids.length === 0) return rows;
    const local = new Map<string, DocumentRecord>();
    for (const id of ids) {
      const d = this.w.records.get<DocumentRecord>('documents', id);
      if (d) local.set(id, d);
    }
    const out = rows.map((r) => (local.has(r.id) ? summaryOf(local.get(r.id)!) : r));
    if (firstPage) {
      for (const [id, d] of local) if (!rows.some((r) => r.id === id) && documentMatches(d, p, q)) out.push(summaryOf(d));
      const byChave = q.kind === 'chave' || q.kind === 'chavePrefix';
      out.sort((a, b) => (byChave ? (a.chave < b.chave ? 1 : -1) : b.issuedAt.localeCompare(a.issuedAt) || (a.id < b.id ? 1 : -1)));
    }
    return out;
  }
}

const keyOf = (d: { issuedAt: string; id: string }) => `${d.issuedAt}\u0000${d.id}`;

function unwrap(cursor: string | null | undefined): { source: 'S' | 'L'; value: string } | null {
  if (!cursor) return null;
  const m = /^(S|L):(.+)$/s.exec(cursor);
  return m ? { source: m[1] as 'S' | 'L', value: m[2]! } : null;
}

function staleCursor(): AppError {
  return new AppError(RecordsErrors.BAD_CURSOR, 'A conexão com o servidor mudou enquanto a lista era lida: pesquise de novo.');
}

function localCursor(cursor: string): [string, string] {
  const u = unwrap(cursor);
  try {
    const v = u?.source === 'L' ? (JSON.parse(u.value) as unknown) : null;
    if (Array.isArray(v) && v.length === 2 && typeof v[0] === 'string' && typeof v[1] === 'string') return [v[0], v[1]];
  } catch {
    // falls through
  }
  throw staleCursor();
}

/** The same meaning of a query as the server's, over a document record (local versions). */
export function documentMatches(d: DocumentRecord, p: RecordsSearchParams, q: ClassifiedQuery): boolean {
  if (p.status && d.status !== p.status) return false;
  if (p.model && d.model !== p.model) return false;
  const day = d.issuedAt.slice(0, 10);
  if (p.from && day < p.from) return false;
  if (p.to && day > p.to) return false;
  switch (q.kind) {
    case 'all':
      return true;
    case 'chave':
      return d.chave === q.value;
    case 'chavePrefix':
      return d.chave.startsWith(q.value);
    case 'numero':
      return String(d.number) === q.value;
    case 'documento':
      return compactDocumento(d.clienteDocumento) === q.value;
    case 'documentoPrefix':
      return compactDocumento(d.clienteDocumento).startsWith(q.value);
    case 'nome':
      return normalizeName(d.cliente).includes(q.value);
    case 'pedido':
      return false;
  }
}

function localQueryClause(q: ClassifiedQuery, where: string[], params: unknown[]): void {
  switch (q.kind) {
    case 'chave':
      where.push("json_extract(data, '$.chave') = ?");
      params.push(q.value);
      return;
    case 'chavePrefix':
      where.push("json_extract(data, '$.chave') >= ? AND json_extract(data, '$.chave') < ?");
      params.push(q.value, `${q.value}~`);
      return;
    case 'numero':
      where.push("json_extract(data, '$.number') = ?");
      params.push(Number(q.value));
      return;
    case 'documento':
      where.push("comboio_compact(json_extract(data, '$.clienteDocumento')) = ?");
      params.push(q.value);
      return;
    case 'documentoPrefix':
      where.push("substr(comboio_compact(json_extract(data, '$.clienteDocumento')), 1, ?) = ?");
      params.push(q.value.length, q.value);
      return;
    case 'nome':
      where.push("instr(comboio_norm(json_extract(data, '$.cliente')), ?) > 0");
      params.push(q.value);
      return;
    case 'pedido':
      where.push(
        "json_extract(data, '$.orderId') IN (SELECT id FROM sync_records WHERE collection = 'orders' AND upper(json_extract(data, '$.numeroPedido')) >= ? AND upper(json_extract(data, '$.numeroPedido')) < ?)",
      );
      params.push(q.value, `${q.value}~`);
      return;
    case 'all':
      return;
  }
}

const prepared = new WeakSet<Database.Database>();

/**
 * The replica's list indexes (expression indexes over the records' JSON, one per list
 * order) and the name/CPF normalizers the local search uses. Created at first use: they are
 * derived, so an older store simply gets them (one pass over the records, once).
 */
export function ensureLocalIndexes(db: Database.Database): void {
  if (prepared.has(db)) return;
  db.function('comboio_norm', { deterministic: true }, (s: unknown) => normalizeName(typeof s === 'string' ? s : ''));
  db.function('comboio_compact', { deterministic: true }, (s: unknown) => compactDocumento(typeof s === 'string' ? s : ''));
  db.exec(`
    CREATE INDEX IF NOT EXISTS sync_records_documents_issued ON sync_records (json_extract(data, '$.issuedAt'), id) WHERE collection = 'documents';
    CREATE INDEX IF NOT EXISTS sync_records_orders_updated ON sync_records (json_extract(data, '$.updatedAt'), id) WHERE collection = 'orders';
    CREATE INDEX IF NOT EXISTS sync_records_orders_status ON sync_records (json_extract(data, '$.status'), json_extract(data, '$.updatedAt'), id) WHERE collection = 'orders';
  `);
  prepared.add(db);
}

function localDay(d: Date): string {
  return `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
}

function nextDay(day: string): string {
  const d = new Date(`${day}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() + 1);
  return d.toISOString().slice(0, 10);
}

function brDay(day: string): string {
  return `${day.slice(8, 10)}/${day.slice(5, 7)}/${day.slice(0, 4)}`;
}

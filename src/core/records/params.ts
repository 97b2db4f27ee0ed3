import { invalidInput } from '../errors';
import { int, obj, oneOf, str } from '../input';
import { MAX_PAGE, type RecordsSearchParams, type SearchTarget } from './protocol';

export const DOCUMENT_STATUSES = ['aguardando_servidor', 'processando', 'aguardando_sefaz', 'autorizada', 'rejeitada', 'denegada', 'cancelada'] as const;
export const ORDER_STATUSES = ['rascunho', 'em_faturamento', 'aguardando_servidor', 'faturado', 'cancelado', 'pendentes'] as const;

/** Checks a day given by a screen (YYYY-MM-DD). */
export function checkDay(v: string | undefined, field: string): string | undefined {
  if (v === undefined) return undefined;
  if (!/^\d{4}-\d{2}-\d{2}$/.test(v) || Number.isNaN(Date.parse(`${v}T00:00:00Z`))) throw invalidInput(`Data inválida em "${field}": use AAAA-MM-DD.`, field);
  return v;
}

/** Input schema of records.search (the server's) and of documents.page / orders.page (the station's). */
export function parseSearch(data: unknown, fixedTarget?: SearchTarget): RecordsSearchParams {
  const o = { ...obj(data) };
  // A screen's empty field means "no filter".
  for (const k of ['from', 'to', 'cursor', 'status']) if (o[k] === '') delete o[k];
  const target = fixedTarget ?? oneOf<SearchTarget>(o, 'target', ['documents', 'orders']);
  const p: RecordsSearchParams = { target };
  const q = typeof o.q === 'string' ? o.q.trim() : o.q;
  if (q !== undefined && q !== null && q !== '') p.q = str({ q }, 'q', { max: 100 });
  const from = checkDay(str(o, 'from', { max: 10, optional: true }), 'from');
  const to = checkDay(str(o, 'to', { max: 10, optional: true }), 'to');
  if (from) p.from = from;
  if (to) p.to = to;
  if (from && to && from > to) throw invalidInput('A data inicial é depois da final.', 'from');
  if (o.status !== undefined && o.status !== null && o.status !== '') {
    p.status = target === 'documents' ? oneOf(o, 'status', DOCUMENT_STATUSES) : oneOf(o, 'status', ORDER_STATUSES);
  }
  if (o.model !== undefined && o.model !== null) {
    if (o.model !== 55 && o.model !== 57) throw invalidInput('Modelo inválido: use 55 (NF-e) ou 57 (CT-e).', 'model');
    p.model = o.model;
  }
  const limit = int(o, 'limit', { min: 1, max: MAX_PAGE, optional: true });
  if (limit !== undefined) p.limit = limit;
  const cursor = str(o, 'cursor', { max: 500, optional: true });
  if (cursor) p.cursor = cursor;
  return p;
}


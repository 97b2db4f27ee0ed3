import type Database from 'better-sqlite3';
import { AppError } from '../../core/errors';
import { MAX_PAGE, RecordsMessageTypes, type RecordsSearchParams, type SearchTarget } from '../../core/records/protocol';
import { MAX_ID_LENGTH, type JsonObject } from '../../core/sync/protocol';
import { orderTotals } from '../../core/workstation/order-totals';
import type { CustomerDto, NaturezaDto, OrderDto, ProductDto } from '../../shared/api/billing';
import type { EstablishmentDto } from '../../shared/api/admin';
import { ErrorCodes } from '../../shared/errors';
import type { HandlerMap } from '../context';
import type { SyncEngine } from '../sync/engine';
import { int, obj, oneOf, str, type Obj } from '../validate';
import { invalidInput } from '../../core/errors';
import { RecordsProjection } from './projection';
import { checkDay, RecordsSearch } from './search';

export { RecordsProjection } from './projection';
export { RecordsSearch } from './search';

export interface RecordsService {
  projection: RecordsProjection;
  search: RecordsSearch;
  handlers: HandlerMap;
}

const DOCUMENT_STATUSES = ['aguardando_servidor', 'processando', 'aguardando_sefaz', 'autorizada', 'rejeitada', 'denegada', 'cancelada'] as const;
const ORDER_STATUSES = ['rascunho', 'em_faturamento', 'aguardando_servidor', 'faturado', 'cancelado', 'pendentes'] as const;
const GET_COLLECTIONS = ['documents', 'orders', 'customers', 'products'] as const;

/**
 * Builds (first start) and maintains the relational projection of the shared records in
 * the sync store, and answers the paged searches over it.
 */
export function registerRecords(engine: SyncEngine, db: Database.Database, log?: (line: string) => void): RecordsService {
  const orderTotal = (o: JsonObject): number => {
    const get = <T>(collection: string, id: string) => (engine.get(collection, id)?.data ?? null) as T | null;
    const catalog = {
      customer: (id: string) => get<CustomerDto>('customers', id),
      product: (id: string) => get<ProductDto>('products', id),
      natureza: (id: string) => get<NaturezaDto>('naturezas', id),
    };
    return orderTotals(o as unknown as OrderDto, catalog, get<EstablishmentDto>('establishment', 'main'), 'PL_010_V1.30').totalCentavos;
  };
  const projection = RecordsProjection.open(db, orderTotal, log);
  engine.addApplyHook((collection, id, next) => projection.apply(collection, id, next));
  const search = new RecordsSearch(db);
  return { projection, search, handlers: recordsHandlers(engine, search) };
}

/** Input schema of records.search. */
export function parseSearch(data: unknown): RecordsSearchParams {
  const o = obj(data);
  const target = oneOf<SearchTarget>(o, 'target', ['documents', 'orders']);
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

function recordId(o: Obj, field: string): string {
  const id = o[field];
  if (typeof id !== 'string' || id.length === 0 || id.length > MAX_ID_LENGTH) {
    throw invalidInput(`O campo "${field}" deve ser texto de 1 a ${MAX_ID_LENGTH} caracteres.`, field);
  }
  return id;
}

/** Input schema of records.get. */
export function parseGet(data: unknown): { collection: (typeof GET_COLLECTIONS)[number]; id: string } {
  const o = obj(data);
  return { collection: oneOf(o, 'collection', GET_COLLECTIONS), id: recordId(o, 'id') };
}

/** Input schema of files.get. */
export function parseFile(data: unknown): { documentId: string; kind: string } {
  const o = obj(data);
  const kind = str(o, 'kind', { max: 40 });
  if (!/^(signed|proc|event-\d{6}-\d{1,2})$/.test(kind)) throw invalidInput('Tipo de arquivo inválido: signed, proc ou event-<tpEvento>-<nSeq>.', 'kind');
  return { documentId: recordId(o, 'documentId'), kind };
}

export function recordsHandlers(engine: SyncEngine, search: RecordsSearch): HandlerMap {
  return {
    [RecordsMessageTypes.search]: (data) => search.search(parseSearch(data)),
    [RecordsMessageTypes.get]: (data) => {
      const p = parseGet(data);
      const record = engine.get(p.collection, p.id);
      return { record, files: p.collection === 'documents' && record ? search.fileKinds(p.id) : [] };
    },
    [RecordsMessageTypes.file]: (data) => {
      const p = parseFile(data);
      const f = search.file(p.documentId, p.kind);
      if (!f) throw new AppError(ErrorCodes.NOT_FOUND, 'Arquivo do documento não encontrado no servidor.');
      return f;
    },
  };
}

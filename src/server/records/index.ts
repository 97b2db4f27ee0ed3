import type Database from 'better-sqlite3';
import { AppError } from '../../core/errors';
import { RecordsMessageTypes } from '../../core/records/protocol';
import { MAX_ID_LENGTH, type JsonObject } from '../../core/sync/protocol';
import { orderTotals } from '../../core/workstation/order-totals';
import type { CustomerDto, NaturezaDto, OrderDto, ProductDto } from '../../shared/api/billing';
import type { EstablishmentDto } from '../../shared/api/admin';
import { ErrorCodes } from '../../shared/errors';
import type { HandlerMap } from '../context';
import type { SyncEngine } from '../sync/engine';
import { obj, oneOf, str, type Obj } from '../validate';
import { invalidInput } from '../../core/errors';
import { RecordsProjection } from './projection';
import { RecordsSearch } from './search';
import { parseSearch } from '../../core/records/params';

export { RecordsProjection } from './projection';
export { RecordsSearch } from './search';

export interface RecordsService {
  projection: RecordsProjection;
  search: RecordsSearch;
  handlers: HandlerMap;
}

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

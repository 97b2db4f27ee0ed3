/**
 * Searching the system of record (issue #15): the LAN server keeps documents, orders and
 * the catalog in relational, indexed tables next to the change feed, and answers paged
 * searches (`records.search`), single records (`records.get`) and document files
 * (`files.get`). Shared by the server (src/server/records) and the workstation, which runs
 * the same query classification over its local replica when the server is out of reach.
 */

export const RecordsMessageTypes = {
  search: 'records.search',
  get: 'records.get',
  file: 'files.get',
} as const;

export const RecordsErrors = {
  /** Offline, the station only holds its recent window. */
  NEEDS_SERVER: 'RECORDS_NEEDS_SERVER',
  BAD_CURSOR: 'RECORDS_BAD_CURSOR',
} as const;

export type SearchTarget = 'documents' | 'orders';

/**
 * What a free-text query means: 44 digits a chave; 15–43 digits a chave's first digits (a
 * partial scan); 11 or 14 characters (punctuation ignored) a CPF/CNPJ, 10–13 a prefix of one;
 * 1–9 digits a document number (for orders, the order's own number or the number of the
 * note that billed it); an order number made offline ("E3-17", or its start) or by older
 * versions ("261207-AB12C") that order; anything else part of the customer's name.
 */
export type QueryKind = 'all' | 'chave' | 'chavePrefix' | 'numero' | 'documento' | 'documentoPrefix' | 'pedido' | 'nome';

export interface ClassifiedQuery {
  kind: QueryKind;
  /** Digits (chave, número, CPF/CNPJ, uppercase for alphanumeric CNPJ) or the normalized name. */
  value: string;
}

const ALNUM_CNPJ = /^[0-9A-Z]{12}[0-9]{2}$/;

export function classifyQuery(raw: string | undefined | null): ClassifiedQuery {
  const q = String(raw ?? '').trim();
  if (!q) return { kind: 'all', value: '' };
  if (/^\d{6}-[0-9A-Za-z]{0,5}$/.test(q) || /^E\d+(-\d*)?$/i.test(q)) return { kind: 'pedido', value: q.toUpperCase() };
  const compact = q.replace(/[\s.\-/]/g, '').toUpperCase();
  if (/^\d+$/.test(compact)) {
    if (compact.length === 44) return { kind: 'chave', value: compact };
    if (compact.length >= 15) return { kind: 'chavePrefix', value: compact.slice(0, 44) };
    if (compact.length === 11 || compact.length === 14) return { kind: 'documento', value: compact };
    if (compact.length >= 10) return { kind: 'documentoPrefix', value: compact };
    return { kind: 'numero', value: String(Number(compact)) };
  }
  if (ALNUM_CNPJ.test(compact)) return { kind: 'documento', value: compact };
  const name = normalizeName(q);
  if (!name) return { kind: 'all', value: '' };
  return { kind: 'nome', value: name };
}

/**
 * The searchable form of a name: no accents, lower case, letters and digits separated by
 * single spaces ("SÃO JOÃO Comércio Ltda." → "sao joao comercio ltda").
 */
export function normalizeName(s: string): string {
  return String(s ?? '')
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, ' ')
    .trim();
}

/** Digits and letters of a CPF/CNPJ as records keep them ("11.222.333/0001-81" → "11222333000181"). */
export function compactDocumento(s: string): string {
  return String(s ?? '').replace(/[^0-9A-Za-z]/g, '').toUpperCase();
}

export interface RecordsSearchParams {
  target: SearchTarget;
  q?: string;
  /** Local days, inclusive (YYYY-MM-DD): documents by emission, orders by last change. */
  from?: string;
  to?: string;
  /** One status (documents: DocumentStatus; orders: OrderStatus, or 'pendentes' = not billed nor cancelled). */
  status?: string;
  /** Documents only: 55 NF-e, 57 CT-e. */
  model?: 55 | 57;
  limit?: number;
  /** Opaque: the `next` of the previous page. */
  cursor?: string | null;
}

/** A document's metadata as the server's `documents` table holds it. */
export interface DocumentRow {
  id: string;
  model: 55 | 57;
  cnpj: string;
  serie: number;
  number: number;
  chave: string;
  /** From the chave: 1 normal, 6/7 SVC, 9 offline (NFC-e)… */
  tpEmis: number;
  status: string;
  cStat: string | null;
  issuedAt: string;
  cliente: string;
  clienteDocumento: string;
  totalCentavos: number;
  nProt: string | null;
  authorizedAt: string | null;
  orderId: string | null;
  user: string;
  workstation: string;
  imported: boolean;
  /** NF-e: the CT-e that carries it. */
  cteId: string | null;
  /** CT-e: the NF-e it transports, and who pays for the freight. */
  nfeChaves: string[];
  tomadorNome: string | null;
  tomadorDocumento: string | null;
}

export interface OrderRow {
  id: string;
  numeroPedido: string;
  customerId: string;
  cliente: string;
  clienteDocumento: string;
  status: string;
  totalCentavos: number;
  documentId: string | null;
  numeroNota: number | null;
  items: number;
  createdAt: string;
  updatedAt: string;
}

export interface SearchPage<T> {
  rows: T[];
  /** Cursor of the next page; null on the last one. */
  next: string | null;
  /** How the query was understood (the screen says "chave", "CNPJ"…). */
  kind: QueryKind;
}

export type RecordsSearchResult = SearchPage<DocumentRow> | SearchPage<OrderRow>;

/** 'signed' the NF-e/CT-e as signed, 'proc' with SEFAZ's protocol, `event-<tpEvento>-<nSeq>` an event's XML. */
export type FileKind = 'signed' | 'proc' | `event-${string}`;

export interface FileResult {
  documentId: string;
  kind: string;
  sha256: string;
  bytes: number;
  /** The file byte for byte as signed/received (XML text). */
  content: string;
}

export const MAX_PAGE = 200;
export const DEFAULT_PAGE = 50;

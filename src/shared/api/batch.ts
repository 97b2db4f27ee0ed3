/**
 * "Faturar selecionados" (issue #21): a batch of open orders billed through the normal
 * finalize, with its progress kept in the station's store.
 */
import type { DocumentStatus, LockHolderDto, StatusColor } from './billing';

/** pendente → executando → emitida | ocupado (locked by someone else, or billed meanwhile: skipped) | erro; aguardando = LAN server away, retried. */
export type BatchItemState = 'pendente' | 'executando' | 'aguardando' | 'emitida' | 'ocupado' | 'erro';

export interface BatchItemDto {
  position: number;
  orderId: string;
  numeroPedido: string | null;
  cliente: string | null;
  state: BatchItemState;
  /** The document's colour once there is one (green autorizada, yellow processando/aguardando SEFAZ, red rejeitada). */
  color: StatusColor;
  documentId: string | null;
  documentStatus: DocumentStatus | null;
  number: number | null;
  /** pt-BR: the outcome, the lock holder, the error. */
  message: string | null;
  code: string | null;
  holder: LockHolderDto | null;
  /** All SEFAZ messages of the document (rejeições included). */
  sefaz: { at: string; cStat: string; xMotivo: string }[];
  canResend: boolean;
}

export interface BatchSummaryDto {
  id: string;
  state: 'executando' | 'concluido';
  user: string;
  total: number;
  /** Items that left pendente/executando. */
  done: number;
  authorized: number;
  waiting: number;
  rejected: number;
  skipped: number;
  failed: number;
  /** Customer of the order being billed now. */
  currentCliente: string | null;
  /** Estimated time left (ms) from the items finished so far; null before the first. */
  remainingMs: number | null;
  createdAt: string;
  updatedAt: string;
}

export interface BatchDto extends BatchSummaryDto {
  items: BatchItemDto[];
}

export interface BatchMethods {
  /** Starts billing the given orders (1–500) with one série; returns at once, the batch runs on. */
  'batch.start': { params: { orderIds: string[]; seriesId: string; printTo: 'form' | 'pdf' | 'none' }; result: BatchDto };
  'batch.get': { params: { id: string }; result: BatchDto };
  /** This station's recent batches, newest first (running ones included). */
  'batch.list': { params: { limit?: number }; result: BatchSummaryDto[] };
}

export const batchMethodNames = {
  'batch.start': true,
  'batch.get': true,
  'batch.list': true,
} as const satisfies Record<keyof BatchMethods, true>;

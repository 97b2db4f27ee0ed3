import type { DocumentStatus, DocumentSummary, SefazMessageDto, StatusColor } from '../../shared/api/billing';
import type { OutboxDocument } from '../sefaz/outbox';

/** What the 'documents' collection holds: metadata, the signed XML and SEFAZ's answers. */
export interface DocumentRecord {
  id: string;
  chave: string;
  model: 55 | 57;
  cnpj: string;
  serie: number;
  number: number;
  orderId: string | null;
  cliente: string;
  clienteDocumento: string;
  totalCentavos: number;
  issuedAt: string;
  status: DocumentStatus;
  cStat: string | null;
  xMotivo: string | null;
  nProt: string | null;
  authorizedAt: string | null;
  messages: SefazMessageDto[];
  events: { tpEvento: string; nSeq: number; at: string; cStat: string; xMotivo: string; texto: string; nProt: string | null }[];
  /** The signed NFe, byte for byte as signed. */
  signedXml: string;
  /** nfeProc once authorized (NFe + protNFe, concatenated, never re-serialised). */
  procXml: string | null;
  imported: boolean;
  user: string;
  workstation: string;
}

export const STATUS_LABELS: Record<DocumentStatus, string> = {
  aguardando_servidor: 'Aguardando servidor',
  processando: 'Processando',
  aguardando_sefaz: 'Aguardando SEFAZ',
  epec_registrado: 'EPEC registrado — enviar à SEFAZ',
  fsda_emitida: 'FS-DA — transmitir à SEFAZ',
  autorizada: 'Autorizada',
  rejeitada: 'Rejeitada',
  denegada: 'Denegada',
  cancelada: 'Cancelada',
};

export function colorOf(status: DocumentStatus): StatusColor {
  switch (status) {
    case 'autorizada':
      return 'green';
    case 'rejeitada':
    case 'denegada':
      return 'red';
    case 'cancelada':
      return 'grey';
    default:
      return 'yellow';
  }
}

/** The outbox's state machine → what faturistas see. */
export function statusFromOutbox(doc: Pick<OutboxDocument, 'state' | 'attempts'>): DocumentStatus {
  switch (doc.state) {
    case 'authorized':
      return 'autorizada';
    case 'denied':
      return 'denegada';
    case 'cancelled':
      return 'cancelada';
    case 'rejected':
    case 'conflict':
    case 'superseded':
      return 'rejeitada';
    default:
      return doc.attempts > 0 ? 'aguardando_sefaz' : 'processando';
  }
}

/** What a list row shows: from a full record, or from the server's document row (same fields). */
export function summaryOf(
  d: Pick<DocumentRecord, 'id' | 'model' | 'serie' | 'number' | 'chave' | 'cliente' | 'clienteDocumento' | 'totalCentavos' | 'status' | 'cStat' | 'issuedAt' | 'orderId'>,
): DocumentSummary {
  return {
    id: d.id,
    model: d.model,
    serie: d.serie,
    number: d.number,
    chave: d.chave,
    cliente: d.cliente,
    clienteDocumento: d.clienteDocumento,
    totalCentavos: d.totalCentavos,
    status: d.status,
    color: colorOf(d.status),
    statusLabel: d.status === 'rejeitada' && d.cStat ? `Rejeitada (${d.cStat})` : STATUS_LABELS[d.status],
    issuedAt: d.issuedAt,
    orderId: d.orderId,
  };
}

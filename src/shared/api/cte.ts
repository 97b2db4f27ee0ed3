/**
 * CT-e 4.00 (model 57): the freight of billed fuel orders. Parties, cargo and NF-e keys come
 * from the billed NF-e the faturista picks (never retyped); the screen adds the carrier's
 * data (price, ICMS of the service, RNTRC, vehicle, driver). Money in integer centavos,
 * percentages and quantities as decimal strings.
 */
import type { DocumentDetail, FinalizeResult, SeriesOption } from './billing';

/** toma3 (remetente, expedidor, recebedor, destinatário) or toma4 ("outro", with its own data). */
export type CteTomadorTipo = 'remetente' | 'expedidor' | 'recebedor' | 'destinatario' | 'outro';

/** Who may emit the CT-e: the establishment or another emitente (transportadora) with its A1 here. */
export interface CteEmitenteOption {
  cnpj: string;
  nome: string;
  /** The NF-e establishment itself. */
  principal: boolean;
  /** Default RNTRC of this transportadora ("" when not registered). */
  rntrc: string;
  /** Its A1 is installed and open on this station. */
  certificado: boolean;
  /** Why it cannot sign here (no certificate, expired…), or null. */
  aviso: string | null;
  /** Its active model-57 series of emissão própria. */
  series: SeriesOption[];
}

export interface CtePartyDto {
  documento: string;
  nome: string;
  municipio: string;
  uf: string;
}

/** Defaults for the "Emitir CT-e" dialog, read from the chosen NF-e. */
export interface CteDraftDto {
  nfes: { id: string; chave: string; serie: number; number: number; totalCentavos: number }[];
  remetente: CtePartyDto;
  destinatario: CtePartyDto;
  cargaCentavos: number;
  produtoPredominante: string;
  /** Litres of the NF-e items sold in L (decimal string), "" when none. */
  litros: string;
  placa: string;
  ufPlaca: string;
  cfop: string;
  /** The transportadora emitente to pick, the default first (another emitente with its A1, else the establishment). */
  emitentes: CteEmitenteOption[];
  /** Every model-57 series of every emitente (the série id carries the emitente CNPJ). */
  series: SeriesOption[];
  /** pt-BR notes that stop the emission (an NF-e not authorized, one with a live CT-e…). */
  impedimentos: string[];
}

/** ICMS of the transport service: CST 00, 20, 40, 41, 51 (ICMS45), 60, 90 or SN. */
export type CteCst = '00' | '20' | '40' | '41' | '51' | '60' | '90' | 'SN';

export interface CteEmitParams {
  nfeIds: string[];
  seriesId: string;
  suggested: number | null;
  requestId: string;
  printTo: 'form' | 'pdf' | 'none';
  tomador: CteTomadorTipo;
  /**
   * Customers (cadastro) who act as expedidor / recebedor, and the tomador when it is "outro"
   * (toma4). Required when the tomador is that party; their data is copied from the cadastro.
   */
  expedidorId?: string;
  recebedorId?: string;
  tomadorId?: string;
  componentes: { nome: string; valorCentavos: number }[];
  icms: { cst: CteCst; aliquota?: string; reducaoBase?: string };
  rntrc: string;
  placa?: string;
  ufPlaca?: string;
  motorista?: { nome: string; cpf: string };
  observacoes?: string;
}

/** One group of a CC-e of CT-e (infCorrecao). */
export interface CteCorrecaoDto {
  grupo: string;
  campo: string;
  valor: string;
  item?: number;
}

export interface CteEntregaParams {
  id: string;
  /** ISO with offset, when the goods were received. */
  dataHora: string;
  /** CPF, RG… of who received (2–20 characters). */
  documento: string;
  nome: string;
  /** Degrees with 6 decimals, both or neither. */
  latitude?: string;
  longitude?: string;
  /** The photo or scan of the signed canhoto (PNG/JPEG), base64. */
  imagemBase64: string;
}

/** CT-e facts the document detail shows beside the common ones. */
export interface CteDetailDto {
  /** Who emitted it: the establishment or the group's transport company (name from the signed XML). */
  emitente: string;
  emitenteDocumento: string;
  nfeChaves: string[];
  tomador: string;
  tomadorDocumento: string;
  canEntrega: boolean;
  /** Protocol of the live comprovante de entrega (cancel it with cte.entregaCancel). */
  entregaProt: string | null;
  canDesacordo: boolean;
  desacordoBlockedReason: string | null;
}

export interface CteMethods {
  'cte.draft': { params: { nfeIds: string[] }; result: CteDraftDto };
  'cte.emit': { params: CteEmitParams; result: FinalizeResult };
  'cte.get': { params: { id: string }; result: DocumentDetail & { cte: CteDetailDto } };
  'cte.cancel': { params: { id: string; justificativa: string }; result: DocumentDetail };
  'cte.cce': { params: { id: string; correcoes: CteCorrecaoDto[] }; result: DocumentDetail };
  'cte.entrega': { params: CteEntregaParams; result: DocumentDetail };
  'cte.entregaCancel': { params: { id: string }; result: DocumentDetail };
  'cte.desacordo': { params: { id: string; observacao: string }; result: DocumentDetail };
}

export const cteMethodNames = {
  'cte.draft': true,
  'cte.emit': true,
  'cte.get': true,
  'cte.cancel': true,
  'cte.cce': true,
  'cte.entrega': true,
  'cte.entregaCancel': true,
  'cte.desacordo': true,
} as const satisfies Record<keyof CteMethods, true>;

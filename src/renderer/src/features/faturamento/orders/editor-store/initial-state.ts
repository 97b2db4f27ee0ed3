import type { CustomerDto, DiscountDto, LockHolderDto, NoteFinalidade, NoteTipo, OrderDto, OrderTotals, ReferenciaDto, TransportDto } from '../../../../../../shared/api/index';
import { EMPTY_FISCAL, type ItemFiscalText } from './item-fiscal';

/** A discount as typed: its form and the pt-BR amount text. */
export interface DiscountInput {
  tipo: DiscountDto['tipo'];
  valor: string;
}

export const NO_DISCOUNT: DiscountInput = { tipo: 'nenhum', valor: '' };

/** How an item's tax fields were filled: from an earlier note, by hand, or not at all yet. */
export type TaxSource = 'saved' | 'history' | 'manual' | 'new';

/** One item as typed: text fields stay as the user wrote them until they parse. */
export interface ItemRow {
  key: number;
  productId: string;
  quantidade: string;
  precoUnitario: string;
  desconto: DiscountInput;
  cstICMS: string;
  adRemICMS: string | null;
  taxSource: TaxSource;
  /** ST, rates, CFOP, charges and fuel data as typed. */
  fiscal: ItemFiscalText;
  /** The item's "Impostos e encargos" panel as the faturista left it; null: open while the CST/product calls for ST or GLP data. */
  fiscalOpen: boolean | null;
}

export { EMPTY_FISCAL };

/** Order charges as typed (R$, pt-BR), apportioned by the core over the items. */
export interface ChargesText {
  frete: string;
  seguro: string;
  outrasDespesas: string;
}

export const NO_CHARGES: ChargesText = { frete: '', seguro: '', outrasDespesas: '' };

export interface EditorState {
  /** The order as last loaded or saved (ids, status, timestamps). */
  order: OrderDto | null;
  customer: CustomerDto | null;
  /** Natureza da operação of the whole note (CFOP per item follows the customer's UF). */
  naturezaId: string;
  rows: ItemRow[];
  descontoEspecial: DiscountInput;
  descontoPagador: DiscountInput;
  transporte: TransportDto;
  tPag: string;
  observacoes: string;
  tipo: NoteTipo;
  finalidade: NoteFinalidade;
  referencias: ReferenciaDto[];
  charges: ChargesText;
  pedidoCliente: string;
  /** pt-BR message per field path ("customerId", "items[0].quantidade"…). */
  errors: Record<string, string>;
  /** Whole-form message (save refused, load failed). */
  formError: string | null;
  savedMessage: string | null;
  totals: OrderTotals | null;
  totalsError: string | null;
  loading: boolean;
  saving: boolean;
  dirty: boolean;
  /** The typed text came back from this station's draft store (after a reload or crash). */
  restored: boolean;
  /** The faturista chose the transport: the customer's or natureza's default no longer applies. */
  transportTouched: boolean;
  /** Another faturista holds the order's lock (finalizing it): the order is read-only. */
  heldBy: LockHolderDto | null;
}

export const emptyTransport: TransportDto = {
  modFrete: 9,
  transportadorDocumento: null,
  transportadorNome: null,
  placa: null,
  ufPlaca: null,
};

export const initialEditorState: EditorState = {
  order: null,
  customer: null,
  naturezaId: '',
  rows: [],
  descontoEspecial: NO_DISCOUNT,
  descontoPagador: NO_DISCOUNT,
  transporte: emptyTransport,
  tPag: '',
  observacoes: '',
  tipo: 'saida',
  finalidade: 1,
  referencias: [],
  charges: NO_CHARGES,
  pedidoCliente: '',
  errors: {},
  formError: null,
  savedMessage: null,
  totals: null,
  totalsError: null,
  loading: false,
  saving: false,
  dirty: false,
  restored: false,
  transportTouched: false,
  heldBy: null,
};

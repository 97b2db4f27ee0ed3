/**
 * Faturamento: catalog, orders, finalize, documents. Money in integer centavos; quantities
 * and unit prices as decimal strings ("1500.0000", "5.8790000000") — never JS floats.
 */

export interface AddressDto {
  logradouro: string;
  numero: string;
  complemento?: string;
  bairro: string;
  /** IBGE municipality code (7 digits). */
  cMun: string;
  municipio: string;
  uf: string;
  cep: string;
}

export interface CustomerDto {
  id: string;
  /** CNPJ (numeric or alphanumeric) or CPF, digits/letters only. */
  documento: string;
  nome: string;
  ie: string | null;
  /** 1 contribuinte, 2 isento, 9 não contribuinte. */
  indIEDest: 1 | 2 | 9;
  email: string | null;
  endereco: AddressDto;
  /**
   * How this customer's loads usually travel (FOB in the customer's own tanker, CIF with our
   * carrier…): a new order starts with it, so fuel sales do not stop at rejeição 362.
   */
  freteHabitual?: TransportDto | null;
}

export interface ProductDto {
  /** Biodiesel % in diesel B (decimal string), fuels only. */
  pBio: string | null;
  id: string;
  codigo: string;
  descricao: string;
  ncm: string;
  unidade: string;
  cest: string | null;
  /** ANP product code; null for non-fuel (lubricants…). */
  cProdANP: string | null;
  descANP: string | null;
  /** Default unit price as decimal string. */
  precoUnitario: string;
  /** ICMS monofásico ad rem rate per liter, decimal string (fuels). */
  adRemICMS: string | null;
}

export interface NaturezaDto {
  id: string;
  descricao: string;
  cfopInterna: string;
  cfopInterestadual: string;
  /** ICMS CST (02, 15, 53, 61…) or CSOSN. */
  cstICMS: string;
  cstPIS: string;
  cstCOFINS: string;
  infCpl: string | null;
  infAdFisco: string | null;
  /** Modalidade do frete a new order under this natureza starts with, when the customer has none. */
  modFrete?: TransportDto['modFrete'] | null;
}

/** One of the fiscal core's three discount forms; `valor` is a decimal string. */
export interface DiscountDto {
  tipo: 'nenhum' | 'valor' | 'percentual' | 'porLitro';
  /** R$ (valor), % (percentual) or R$ per liter (porLitro, item discount only). */
  valor: string;
}

export interface OrderItemDto {
  productId: string;
  /** Liters, up to 4 decimals: "15000.0000". */
  quantidade: string;
  /** Unit price, decimal string with up to 10 decimals. */
  precoUnitario: string;
  /** Item (linear) discount, applied first. */
  desconto: DiscountDto;
  /** Tax fields, defaulted from the product's last use for the same customer or UF. */
  cstICMS: string | null;
  adRemICMS: string | null;
}

export interface TransportDto {
  /** 0 emitente (CIF), 1 destinatário (FOB), 2 terceiros, 3/4 próprio, 9 sem transporte. */
  modFrete: 0 | 1 | 2 | 3 | 4 | 9;
  transportadorDocumento: string | null;
  transportadorNome: string | null;
  placa: string | null;
  ufPlaca: string | null;
}

export type OrderStatus = 'rascunho' | 'em_faturamento' | 'aguardando_servidor' | 'faturado' | 'cancelado';

export interface OrderDto {
  id: string;
  numeroPedido: string;
  customerId: string;
  naturezaId: string;
  items: OrderItemDto[];
  /** Order (especial) discount, applied after item discounts. */
  descontoEspecial: DiscountDto;
  /** Customer (pagador) discount, applied last. */
  descontoPagador: DiscountDto;
  transporte: TransportDto;
  /** tPag code: 01 dinheiro, 03 cartão crédito, 15 boleto, 17 PIX, 90 sem pagamento… */
  tPag: string;
  observacoes: string;
  status: OrderStatus;
  documentId: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface OrderSummary {
  id: string;
  numeroPedido: string;
  cliente: string;
  totalCentavos: number;
  status: OrderStatus;
  numeroNota: number | null;
  updatedAt: string;
}

export interface OrderTotals {
  produtosCentavos: number;
  descontoItensCentavos: number;
  descontoEspecialCentavos: number;
  descontoPagadorCentavos: number;
  /** ICMS monofásico retido anteriormente / próprio, informative. */
  icmsMonoCentavos: number;
  totalCentavos: number;
  /** Per item, in order: qCom × vUnCom less that item's own discount. */
  itemLiquidoCentavos: number[];
  /** pt-BR problems that would stop finalize (missing customer, zero quantity…). */
  pendencias: { field: string; message: string }[];
}

export interface SeriesOption {
  id: string;
  model: 55 | 57;
  serie: number;
  emissaoPropria: boolean;
  /** Non-binding próximo número at the moment it was asked. */
  suggested: number;
  description: string | null;
}

export interface LockHolderDto {
  /** Login of the holder. */
  user: string;
  /** The person's name, as Usuários has it (what screens show). */
  name: string;
  workstation: string;
  ip: string;
  since: string;
  orderId?: string;
  numeroPedido?: string | null;
}

export interface FinalizeResult {
  documentId: string;
  number: number;
  serie: number;
  chave: string;
  /** Set when the suggested number was taken by someone else meanwhile. */
  suggested: number | null;
  numberChanged: boolean;
  status: DocumentStatus;
  message: string;
}

export type DocumentStatus =
  | 'aguardando_servidor'
  | 'processando'
  | 'aguardando_sefaz'
  /** Issued in contingency (issue #20): EPEC registered / FS-DA printed, to be transmitted when the UF returns. */
  | 'epec_registrado'
  | 'fsda_emitida'
  | 'autorizada'
  | 'rejeitada'
  | 'denegada'
  | 'cancelada';

export type StatusColor = 'green' | 'yellow' | 'red' | 'grey';

export interface SefazMessageDto {
  at: string;
  cStat: string;
  xMotivo: string;
  nProt: string | null;
  kind: string;
}

export interface DocumentSummary {
  id: string;
  model: 55 | 57;
  serie: number;
  number: number;
  chave: string;
  cliente: string;
  clienteDocumento: string;
  totalCentavos: number;
  status: DocumentStatus;
  color: StatusColor;
  statusLabel: string;
  issuedAt: string;
  orderId: string | null;
}

export interface DocumentDetail extends DocumentSummary {
  /** The order it was billed from ("Pedido 1234"), when there is one. */
  numeroPedido?: string | null;
  messages: SefazMessageDto[];
  nProt: string | null;
  events: { tpEvento: string; nSeq: number; at: string; cStat: string; xMotivo: string; texto: string }[];
  canCancel: boolean;
  cancelBlockedReason: string | null;
  canCce: boolean;
  canResend: boolean;
}

export interface GapDto {
  serie: number;
  model: 55 | 57;
  numbers: number[];
  deadline: string;
}

export interface ImportResult {
  file: string;
  ok: boolean;
  message: string;
  chave?: string;
  number?: number;
}

export interface BillingMethods {
  'customers.search': { params: { q?: string }; result: CustomerDto[] };
  /** The order editor shows the saved order's customer (name, UF for tax defaults). */
  'customers.get': { params: { id: string }; result: CustomerDto };
  'customers.save': { params: CustomerDto; result: CustomerDto };
  'products.list': { params: void; result: ProductDto[] };
  'naturezas.list': { params: void; result: NaturezaDto[] };
  'orders.list': { params: { filter: 'hoje' | 'pendentes' | 'faturados' | 'todos'; q?: string }; result: OrderSummary[] };
  'orders.get': { params: { id: string }; result: OrderDto };
  'orders.new': { params: void; result: OrderDto };
  'orders.save': { params: OrderDto; result: { order: OrderDto; totals: OrderTotals } };
  'orders.totals': { params: OrderDto; result: OrderTotals };
  /** Deletes a draft (never an order in billing or billed). */
  'orders.delete': { params: { id: string }; result: null };
  /** A new draft (not yet saved) with an earlier order's customer, items, transport and payment. */
  'orders.copy': { params: { id: string }; result: OrderDto };
  /** Tax fields from the product's last use for the same customer, else the same UF. */
  'orders.taxDefaults': { params: { productId: string; customerId: string }; result: { cstICMS: string | null; adRemICMS: string | null; source: 'cliente' | 'uf' } | null };
  'billing.series': { params: { model: 55 | 57 }; result: SeriesOption[] };
  'billing.lock': { params: { orderId: string }; result: { lockToken: string } };
  'billing.unlock': { params: { orderId: string }; result: null };
  /** Who holds the order's lock now; `mine` when this station's user does. */
  'orders.holder': { params: { id: string }; result: { online: boolean; mine: boolean; holder: LockHolderDto | null } };
  /** Administrador: the order locks held now, and releasing a stuck one (audited, with reason). */
  'locks.list': { params: void; result: (LockHolderDto & { disconnected: boolean })[] };
  'locks.release': { params: { orderId: string; reason: string }; result: { released: boolean } };
  'billing.finalize': {
    params: { orderId: string; seriesId: string; suggested: number | null; requestId: string; printTo: 'form' | 'pdf' | 'none' };
    result: FinalizeResult;
  };
  'documents.list': { params: { q?: string; number?: number; chave?: string; date?: string; model?: 55 | 57 }; result: DocumentSummary[] };
  'documents.get': { params: { id: string }; result: DocumentDetail };
  'documents.refresh': { params: { id?: string }; result: null };
  'documents.resend': { params: { id: string }; result: DocumentDetail };
  'documents.cancel': { params: { id: string; justificativa: string }; result: DocumentDetail };
  'documents.cce': { params: { id: string; correcao: string }; result: DocumentDetail };
  'documents.gaps': { params: void; result: { firstOfDay: boolean; gaps: GapDto[] } };
  'documents.import': { params: { files: { name: string; xml: string }[] }; result: ImportResult[] };
  'documents.xml': { params: { id: string }; result: { fileName: string; xml: string } };
  'documents.pdf': { params: { id: string }; result: { fileName: string; base64: string } };
}

export const billingMethodNames = {
  'customers.search': true,
  'customers.get': true,
  'customers.save': true,
  'products.list': true,
  'naturezas.list': true,
  'orders.list': true,
  'orders.get': true,
  'orders.new': true,
  'orders.save': true,
  'orders.totals': true,
  'orders.delete': true,
  'orders.copy': true,
  'orders.taxDefaults': true,
  'billing.series': true,
  'billing.lock': true,
  'billing.unlock': true,
  'orders.holder': true,
  'locks.list': true,
  'locks.release': true,
  'billing.finalize': true,
  'documents.list': true,
  'documents.get': true,
  'documents.refresh': true,
  'documents.resend': true,
  'documents.cancel': true,
  'documents.cce': true,
  'documents.gaps': true,
  'documents.import': true,
  'documents.xml': true,
  'documents.pdf': true,
} as const satisfies Record<keyof BillingMethods, true>;

export interface BillingEvents {
  'documents.changed': { ids: string[] };
  'orders.changed': { ids: string[] };
}

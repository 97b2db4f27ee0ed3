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
  /** tpNF an order under this natureza starts with (default saída): devoluções from customers who issue no note are entradas. */
  tipo?: NoteTipo | null;
  /** finNFe an order under this natureza starts with (default 1 normal). */
  finalidade?: NoteFinalidade | null;
}

/** tpNF: saída (1) or entrada (0) of own emission. */
export type NoteTipo = 'saida' | 'entrada';
/** finNFe: 1 normal, 2 complementar, 3 ajuste, 4 devolução. */
export type NoteFinalidade = 1 | 2 | 3 | 4;

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
  /**
   * The rest of the item's fiscal data (ICMS-ST, retained ST, own ICMS rate, CFOP of the item,
   * fuel group, charges): absent on orders saved before it existed.
   */
  fiscal?: ItemFiscalDto | null;
}

/** ICMS-ST charged by this note (CST 10, 30, 70, 90; CSOSN 201, 202, 900); decimal strings. */
export interface IcmsStDto {
  /** modBCST: 0 preço tabelado, 1–3 listas, 4 MVA, 5 pauta (PMPF), 6 valor da operação. */
  modalidade: 0 | 1 | 2 | 3 | 4 | 5 | 6;
  /** pMVAST, % (modalidade 4). */
  mva: string | null;
  /** R$ per unit (pauta / PMPF, modalidades 0, 1, 2, 3 and 5). */
  valorPorUnidade: string | null;
  /** pRedBCST, %. */
  reducaoBase: string | null;
  /** pICMSST, %. */
  aliquota: string;
  /** pFCPST, %. */
  fcp: string | null;
}

/** ICMS retained earlier by ST, informed on resale (CST 60, CSOSN 500). */
export interface IcmsRetidoDto {
  /** vBCSTRet per unit (R$). */
  basePorUnidade: string;
  /** pST, % borne by the final consumer. */
  aliquota: string;
  /** vICMSSubstituto per unit (R$). */
  icmsSubstitutoPorUnidade: string | null;
  /** pFCPSTRet, %. */
  fcp: string | null;
}

/** GLP/GN shares and valor de partida (rejections 855/856). */
export interface GlpDto {
  pGLP: string;
  pGNn: string;
  pGNi: string;
  /** R$ per kg. */
  vPart: string;
}

export interface OrigemCombDto {
  importado: boolean;
  uf: string;
  /** pOrig, %. */
  percentual: string;
}

export interface ItemFiscalDto {
  /** pICMS, % of the item's own ICMS (CST 00, 10, 20, 51, 70, 90; CSOSN 900). */
  aliquotaICMS: string | null;
  /** pRedBC, % (CST 20, 70; 51, 90 when reduced). */
  reducaoBaseICMS?: string | null;
  /** pCredSN, % (CSOSN 101, 201, 900). */
  creditoSimples?: string | null;
  icmsSt: IcmsStDto | null;
  icmsRetido: IcmsRetidoDto | null;
  /** CFOP of this item when it is not the natureza's (e.g. 5405 for a product under ST). */
  cfop: string | null;
  /** Charges of this item, R$ (the order's are apportioned on top). */
  frete: string | null;
  seguro: string | null;
  outrasDespesas: string | null;
  /** qTemp: liters at ambient temperature when invoiced at 20 °C. */
  qTemp: string | null;
  /** CIDE-Combustíveis, R$ per unit. */
  cide: string | null;
  glp: GlpDto | null;
  origem: OrigemCombDto[];
}

/** What an item's last use remembers besides the CST: the tax data, never the charges or the load's qTemp. */
export type TaxDefaultsFiscal = Pick<ItemFiscalDto, 'aliquotaICMS' | 'reducaoBaseICMS' | 'creditoSimples' | 'icmsSt' | 'icmsRetido' | 'cfop' | 'cide' | 'glp' | 'origem'>;

export interface TransportDto {
  /** 0 emitente (CIF), 1 destinatário (FOB), 2 terceiros, 3/4 próprio, 9 sem transporte. */
  modFrete: 0 | 1 | 2 | 3 | 4 | 9;
  transportadorDocumento: string | null;
  transportadorNome: string | null;
  placa: string | null;
  ufPlaca: string | null;
  /** RNTC (ANTT) of the vehicle. */
  rntc?: string | null;
  /** Semirreboques of a bitrem/rodotrem, up to 5 (left out of interstate notes, rejeição 868). */
  reboques?: VeiculoDto[];
  /** The load as one volume: a tanker leaves with its compartments sealed (lacres). */
  volume?: VolumeDto | null;
}

export interface VeiculoDto {
  placa: string;
  uf: string | null;
  rntc: string | null;
}

export interface VolumeDto {
  quantidade: string | null;
  especie: string | null;
  pesoLiquido: string | null;
  pesoBruto: string | null;
  lacres: string[];
}

/** A document the note refers to (NFref): NF-e 55, NFC-e 65 or CT-e 57, by its key. */
export interface ReferenciaDto {
  modelo: '55' | '65' | '57';
  chave: string;
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
  /** tpNF (default saída). */
  tipo?: NoteTipo;
  /** finNFe (default 1 normal). */
  finalidade?: NoteFinalidade;
  /** NFref: the original note of a devolução (321), the complemented note (254). */
  referencias?: ReferenciaDto[];
  /** Charges for the whole note (R$), apportioned over the items by value. */
  frete?: string | null;
  seguro?: string | null;
  outrasDespesas?: string | null;
  /** The customer's purchase order number (compra/xPed). */
  pedidoCliente?: string | null;
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
  /** ICMS-ST and FCP-ST charged by this note (vST + vFCPST): part of the total. */
  icmsStCentavos: number;
  /** Frete + seguro + outras despesas (items' own and the order's apportioned). */
  encargosCentavos: number;
  totalCentavos: number;
  /** Per item, in order: qCom × vUnCom less that item's own discount. */
  itemLiquidoCentavos: number[];
  /** pt-BR problems that would stop finalize (missing customer, zero quantity…). */
  pendencias: { field: string; message: string }[];
  /** pt-BR notices that do not stop the note (plates moved to infCpl on an interstate sale, 868…). */
  avisos?: string[];
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

/** One page of a list (keyset: pass `next` back as `cursor` for the following page). */
export interface ListPage<T> {
  rows: T[];
  next: string | null;
  /** 'servidor': the LAN server's full record; 'estacao': this station's recent window (offline). */
  source: 'servidor' | 'estacao';
  /** pt-BR, shown above the list (offline: older documents need the server). */
  notice: string | null;
}

export interface DocumentsPageParams {
  /** Chave (or its first digits), número, CNPJ/CPF with or without punctuation, or part of the customer's name. */
  q?: string;
  /** Emission days, inclusive (YYYY-MM-DD). */
  from?: string;
  to?: string;
  status?: DocumentStatus;
  model?: 55 | 57;
  cursor?: string | null;
  limit?: number;
}

export interface OrdersPageParams {
  filter: 'hoje' | 'pendentes' | 'faturados' | 'todos';
  q?: string;
  cursor?: string | null;
  limit?: number;
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
  /** One page of orders, newest change first (the server's tables online, the recent window offline). */
  'orders.page': { params: OrdersPageParams; result: ListPage<OrderSummary> };
  'orders.get': { params: { id: string }; result: OrderDto };
  'orders.new': { params: void; result: OrderDto };
  'orders.save': { params: OrderDto; result: { order: OrderDto; totals: OrderTotals } };
  'orders.totals': { params: OrderDto; result: OrderTotals };
  /** Deletes a draft (never an order in billing or billed). */
  'orders.delete': { params: { id: string }; result: null };
  /** A new draft (not yet saved) with an earlier order's customer, items, transport and payment. */
  'orders.copy': { params: { id: string }; result: OrderDto };
  /**
   * A new draft (not yet saved) returning an authorized NF-e: its customer and items, the
   * office's devolução natureza (entrada, finNFe 4), the note referenced, tPag 90.
   */
  'orders.returnOf': { params: { documentId: string }; result: OrderDto };
  /** Tax fields from the product's last use for the same customer, else the same UF. */
  'orders.taxDefaults': {
    params: { productId: string; customerId: string };
    result: { cstICMS: string | null; adRemICMS: string | null; fiscal: TaxDefaultsFiscal | null; source: 'cliente' | 'uf' | 'produto' } | null;
  };
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
  /** One page of documents, newest first (by chave when searching a chave). */
  'documents.page': { params: DocumentsPageParams; result: ListPage<DocumentSummary> };
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
  'orders.page': true,
  'orders.get': true,
  'orders.new': true,
  'orders.save': true,
  'orders.totals': true,
  'orders.delete': true,
  'orders.copy': true,
  'orders.returnOf': true,
  'orders.taxDefaults': true,
  'billing.series': true,
  'billing.lock': true,
  'billing.unlock': true,
  'orders.holder': true,
  'locks.list': true,
  'locks.release': true,
  'billing.finalize': true,
  'documents.list': true,
  'documents.page': true,
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

/**
 * The order (pedido) as the CLI and the UI hand it to the fiscal core: JSON with Portuguese
 * field names, decimals as strings ("1000.0000"; plain JSON numbers are accepted too).
 * Documented in README ("Formato do pedido").
 */

export type DecimalInput = string | number;

export interface OrderEndereco {
  logradouro: string;
  numero: string;
  complemento?: string;
  bairro: string;
  /** IBGE code, 7 digits. */
  codigoMunicipio: string;
  municipio: string;
  uf: string;
  cep?: string;
  telefone?: string;
}

export interface OrderEmitente {
  cnpj?: string;
  cpf?: string;
  razaoSocial: string;
  nomeFantasia?: string;
  ie: string;
  iest?: string;
  /** 1 Simples Nacional, 2 Simples excesso, 3 Regime normal, 4 MEI. */
  crt: 1 | 2 | 3 | 4;
  endereco: OrderEndereco;
}

export interface OrderDestinatario {
  cnpj?: string;
  cpf?: string;
  razaoSocial: string;
  /** Digits, or "ISENTO" (indIEDest 2); absent → não contribuinte (9). */
  ie?: string;
  indIEDest?: 1 | 2 | 9;
  endereco: OrderEndereco;
  email?: string;
}

export interface IcmsRule {
  /** 02, 15, 53, 61 (monofásico), 00, 60; or CSOSN 102, 500 for Simples Nacional. */
  cst: string;
  /** Origem da mercadoria (0 nacional…). */
  orig?: string;
  /** CST 00: alíquota %. */
  aliquota?: DecimalInput;
}

export interface CfopRule {
  interna: string;
  interestadual: string;
  exterior?: string;
}

export interface OrderProduto {
  codigo: string;
  descricao: string;
  ncm: string;
  cest?: string;
  /** "L" for fuels. */
  unidade: string;
  gtin?: string;
  /** Fuels: ANP product code (9 digits) and its exact ANP description. */
  anp?: { codigo: string; descricao: string };
  /** % of biodiesel in diesel B. */
  pBio?: DecimalInput;
  codif?: string;
  /** Overrides the natureza's ICMS rule (e.g. a lubricant with CST 60 in a fuel order). */
  icms?: IcmsRule;
  cfop?: CfopRule;
  /** ICMS monofásico ad rem rates, R$ per liter (Convênio ICMS 199/2022 and 15/2023). */
  adRemIcms?: DecimalInput;
  adRemIcmsReten?: DecimalInput;
  /** CST 53: % deferred. */
  pDif?: DecimalInput;
  /** IBS/CBS monofásico ad rem rates (PL_010). */
  adRemIbs?: DecimalInput;
  adRemCbs?: DecimalInput;
}

/** Exactly one of the three forms. */
export interface Discount {
  valor?: DecimalInput;
  percentual?: DecimalInput;
  /** Item discount only: R$ per unit (liter). */
  porLitro?: DecimalInput;
}

export interface OrderItem {
  produto: OrderProduto;
  /** Up to 4 decimals (liters). */
  quantidade: DecimalInput;
  /** Up to 10 decimals. */
  valorUnitario: DecimalInput;
  /** Item discount ("linear"), applied first. */
  desconto?: Discount;
  pedidoCliente?: { numero: string; item?: number };
  informacoes?: string;
}

export interface TaxRule {
  cst: string;
  /** % over the item's net value (CST 01, 02, 49, 99). */
  aliquota?: DecimalInput;
  /** R$ per unit (CST 03). */
  valorPorUnidade?: DecimalInput;
}

export interface IbsCbsRule {
  cst: string;
  cClassTrib: string;
  pIBSUF?: DecimalInput;
  pIBSMun?: DecimalInput;
  pCBS?: DecimalInput;
}

export interface OrderNatureza {
  descricao: string;
  cfop: CfopRule;
  icms: IcmsRule;
  pis: TaxRule;
  cofins: TaxRule;
  /** PL_010 only; ignored on PL_009. CST 620 selects the monofásico group. */
  ibsCbs?: IbsCbsRule;
  /** Templates; {{vICMSMonoRet}}, {{qBCMonoRet}}, {{vNF}}… are replaced by totals. */
  infAdFisco?: string;
  infCpl?: string;
}

export interface OrderTransporte {
  /** 0 emitente (CIF), 1 destinatário (FOB), 2 terceiros, 3 próprio remetente, 4 próprio destinatário, 9 sem transporte. */
  modFrete: 0 | 1 | 2 | 3 | 4 | 9;
  transportador?: {
    cnpj?: string;
    cpf?: string;
    nome: string;
    ie?: string;
    endereco?: string;
    municipio?: string;
    uf?: string;
  };
  veiculo?: { placa: string; uf?: string; rntc?: string };
  volumes?: Array<{ quantidade?: number; especie?: string; marca?: string; numeracao?: string; pesoLiquido?: DecimalInput; pesoBruto?: DecimalInput }>;
}

export interface OrderPagamento {
  /** 01 dinheiro, 03 cartão de crédito, 15 boleto, 17 PIX, 90 sem pagamento, 99 outros… */
  tPag: string;
  /** Defaults to the note's total (single payment). */
  valor?: DecimalInput;
  descricao?: string;
  /** 0 à vista, 1 a prazo. */
  indPag?: 0 | 1;
}

export interface Order {
  /** Layout when the CLI gets no --layout (default PL_009_V4). */
  layout?: 'PL_009_V4' | 'PL_010_V1.30';
  serie: number;
  numero: number;
  /** ISO with offset; default: now. */
  emissao?: string;
  saida?: string;
  /** 1 produção, 2 homologação (default 2). */
  ambiente?: 1 | 2;
  /** 1 normal (default), 2 complementar, 3 ajuste, 4 devolução. */
  finalidade?: 1 | 2 | 3 | 4;
  consumidorFinal?: boolean;
  /** indPres; default 9 (não presencial, outros). */
  presenca?: 0 | 1 | 2 | 3 | 4 | 5 | 9;
  emitente: OrderEmitente;
  destinatario: OrderDestinatario;
  natureza: OrderNatureza;
  itens: OrderItem[];
  /** Order discount ("especial"), applied second, apportioned over the items. */
  descontoEspecial?: Discount;
  /** Customer discount ("pagador"), applied last, apportioned over the items. */
  descontoPagador?: Discount;
  transporte: OrderTransporte;
  pagamentos?: OrderPagamento[];
  observacoes?: string;
}

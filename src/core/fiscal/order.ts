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

/** ICMS-ST charged by this note (CST 10, 30, 70, 90; CSOSN 201, 202, 900). */
export interface IcmsStRule {
  /**
   * modBCST: 0 preço tabelado ou máximo sugerido, 1 lista negativa, 2 lista positiva,
   * 3 lista neutra, 4 margem de valor agregado (MVA), 5 pauta (PMPF), 6 valor da operação.
   */
  modalidade: 0 | 1 | 2 | 3 | 4 | 5 | 6;
  /** pMVAST, % (modalidade 4). */
  mva?: DecimalInput;
  /** R$ per unit for modalidades 0, 1, 2, 3 and 5 (pauta / PMPF). */
  valorPorUnidade?: DecimalInput;
  /** pRedBCST, %. */
  reducaoBase?: DecimalInput;
  /** pICMSST, %. */
  aliquota: DecimalInput;
  /** pFCPST, % (Fundo de Combate à Pobreza retido por ST). */
  fcp?: DecimalInput;
  /** CST 30 / CSOSN 201, 202: % of the own ICMS deducted from the ST value (the operation itself is exempt). */
  aliquotaPropria?: DecimalInput;
}

/** ICMS retained earlier by ST, informed on resale (CST 60, CSOSN 500). */
export interface IcmsRetidoRule {
  /** vBCSTRet per unit (R$ per liter or per unit sold). */
  basePorUnidade: DecimalInput;
  /** pST: rate borne by the final consumer, % (own ICMS + ST). */
  aliquota: DecimalInput;
  /** vICMSSubstituto per unit: the substitute's own ICMS. */
  icmsSubstitutoPorUnidade?: DecimalInput;
  /** pFCPSTRet, %. */
  fcp?: DecimalInput;
}

export interface IcmsRule {
  /**
   * CST: 00, 10, 20, 30, 40, 41, 50, 51, 60, 70, 90; monofásico 02, 15, 53, 61.
   * CSOSN (emitente do Simples): 101, 102, 103, 201, 202, 203, 300, 400, 500, 900.
   */
  cst: string;
  /** Origem da mercadoria (0 nacional…). */
  orig?: string;
  /** pICMS, % (00, 10, 20, 51, 70, 90, 900). */
  aliquota?: DecimalInput;
  /** modBC: 0 MVA, 1 pauta, 2 preço tabelado, 3 valor da operação (default). */
  modBC?: 0 | 1 | 2 | 3;
  /** pRedBC, % (20, 70, 51, 90). */
  reducaoBase?: DecimalInput;
  /** pFCP, % over the ICMS base (00, 10, 20, 51, 70, 90). */
  fcp?: DecimalInput;
  /** pDif, % deferred (51). */
  diferimento?: DecimalInput;
  st?: IcmsStRule;
  retido?: IcmsRetidoRule;
  /** pCredSN, % (CSOSN 101, 201, 900). */
  creditoSimples?: DecimalInput;
  /** CST 15: reduction of the ad rem rate (pRedAdRem, %; motRedAdRem 1 transporte coletivo, 9 outros). */
  reducaoAdRem?: { percentual: DecimalInput; motivo: 1 | 9 };
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
  anp?: { codigo: string; descricao?: string };
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
  /** PIS/COFINS per product (monofásico CSTs 02, 03, 04…); override the natureza's. */
  pis?: TaxRule;
  cofins?: TaxRule;
  /** PIS-ST / COFINS-ST. */
  pisSt?: TaxStRule;
  cofinsSt?: TaxStRule;
  /** Lei 12.741/2012 (IBPT): approximate tax burden, % of the item's value → vTotTrib. */
  cargaTributaria?: DecimalInput;
  /** CIDE-Combustíveis, R$ per unit (comb/CIDE). */
  cide?: DecimalInput;
  /** origComb: where the fuel came from (indImport 0 nacional / 1 importado, UF, %). */
  origem?: Array<{ importado: boolean; uf: string; percentual: DecimalInput }>;
  /** GLP/GN (ANP 210203001…): % GLP, % GN nacional, % GN importado, valor de partida (R$/kg). Rejections 855/856. */
  glp?: { pGLP: DecimalInput; pGNn: DecimalInput; pGNi: DecimalInput; vPart: DecimalInput };
}

export interface TaxStRule {
  /** % over the item's net value, or… */
  aliquota?: DecimalInput;
  /** …R$ per unit. */
  valorPorUnidade?: DecimalInput;
  /** indSomaPISST / indSomaCOFINSST: the ST value adds to the note's total. */
  somaNoTotal?: boolean;
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
  /** Charges of this item (R$); the order's charges are apportioned on top of these. */
  frete?: DecimalInput;
  seguro?: DecimalInput;
  outrasDespesas?: DecimalInput;
  /** qTemp: quantity at ambient temperature when the note is invoiced at 20 °C. */
  quantidadeTemperaturaAmbiente?: DecimalInput;
  /** obsItem (PL_010). */
  observacaoContribuinte?: { campo: string; texto: string };
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
  veiculo?: OrderVeiculo;
  /** Semirreboques of a bitrem/rodotrem: up to 5. Left out on interstate operations (rejeição 868). */
  reboques?: OrderVeiculo[];
  volumes?: Array<{
    quantidade?: number;
    especie?: string;
    marca?: string;
    numeracao?: string;
    pesoLiquido?: DecimalInput;
    pesoBruto?: DecimalInput;
    /** Seal numbers (lacres) of the tanker's compartments. */
    lacres?: string[];
  }>;
  /** retTransp: ICMS withheld on the freight service. */
  retencaoIcms?: { valorServico: DecimalInput; baseCalculo?: DecimalInput; aliquota: DecimalInput; cfop: string; codigoMunicipio: string };
}

export interface OrderVeiculo {
  placa: string;
  uf?: string;
  rntc?: string;
}

/** Delivery or pick-up place other than the parties' addresses (entrega / retirada). */
export interface OrderLocal {
  cnpj?: string;
  cpf?: string;
  nome?: string;
  ie?: string;
  endereco: OrderEndereco;
}

/** A referenced document (NFref): exactly one form. */
export interface OrderReferencia {
  /** NF-e (model 55) key. */
  nfe?: string;
  /** NFC-e (model 65) key. */
  nfce?: string;
  /** CT-e (model 57) key. */
  cte?: string;
  /** Paper note model 1/1A (refNF). */
  notaPapel?: { uf: string; aamm: string; cnpj: string; serie: number; numero: number; modelo?: '01' | '02' };
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
  /** tpNF: "saida" (default) or "entrada" (own-issued entry, e.g. a return from a customer who issues no note). */
  tipo?: 'saida' | 'entrada';
  /** NFref: required for devolução (321) and complementar (254). */
  referencias?: OrderReferencia[];
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
  /** Charges for the whole note, apportioned over the items in exact centavos (by item value). */
  frete?: DecimalInput;
  seguro?: DecimalInput;
  outrasDespesas?: DecimalInput;
  entrega?: OrderLocal;
  retirada?: OrderLocal;
  /** autXML: CNPJ/CPF allowed to download the XML (the accountant), up to 10. */
  autorizadosXml?: string[];
  /** obsCont / obsFisco (xCampo, xTexto), up to 10 each. */
  observacoesContribuinte?: Array<{ campo: string; texto: string }>;
  observacoesFisco?: Array<{ campo: string; texto: string }>;
  /** compra: nota de empenho, pedido, contrato. */
  compra?: { empenho?: string; pedido?: string; contrato?: string };
}

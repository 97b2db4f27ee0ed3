import type { DecimalInput, OrderEmitente, OrderEndereco } from '../order';

/**
 * The freight order (the CT-e "pedido") as the CLI and the UI hand it to the fiscal core:
 * JSON with Portuguese names, decimals as strings. Parties and cargo usually come from the
 * billed NF-e (see `cteOrderFromNfes`); the rest is the carrier's data and the price.
 * Documented in README ("CT-e").
 */

export interface CteParty {
  cnpj?: string;
  cpf?: string;
  razaoSocial: string;
  nomeFantasia?: string;
  /** Digits, or "ISENTO"; absent → não contribuinte. */
  ie?: string;
  telefone?: string;
  email?: string;
  endereco: OrderEndereco;
}

/** toma3 (one of the parties) or toma4 (someone else, with its own data). */
export type CteTomador =
  | { tipo: 'remetente' | 'expedidor' | 'recebedor' | 'destinatario' }
  | ({ tipo: 'outro' } & CteParty);

export interface CteMunicipio {
  codigoMunicipio: string;
  municipio: string;
  uf: string;
}

/**
 * ICMS of the transport service. `cst` 00, 20, 40, 41, 51 (group ICMS45), 60, 90, or "SN"
 * (Simples Nacional, ICMSSN). Percentages with up to 2 decimals.
 */
export interface CteIcms {
  cst: '00' | '20' | '40' | '41' | '51' | '60' | '90' | 'SN';
  aliquota?: DecimalInput;
  /** CST 20/90: % de redução da base de cálculo. */
  reducaoBase?: DecimalInput;
  /** CST 90 / 60: crédito outorgado or presumido. */
  credito?: DecimalInput;
  /** Desoneração with the benefit code (cBenef), CST 20/40/41/51/60/90. */
  desoneracao?: { valor: DecimalInput; cBenef: string };
}

export interface CteQuantity {
  /** Official cUnid: M3, KG, TON, UNIDADE, LITROS, MMBTU. */
  unidade: 'M3' | 'KG' | 'TON' | 'UNIDADE' | 'LITROS' | 'MMBTU';
  /** Free description of the measure (tpMed), e.g. "VOLUME", "PESO BRUTO". */
  tipoMedida: string;
  quantidade: DecimalInput;
}

export interface CteNfeRef {
  chave: string;
  /** PIN SUFRAMA, when there is one. */
  pin?: string;
  /** Expected delivery date (AAAA-MM-DD). */
  previsaoEntrega?: string;
}

export interface CteOrder {
  /** 1 produção, 2 homologação (default). */
  ambiente?: 1 | 2;
  serie?: number;
  numero?: number;
  /** ISO with offset; the clock when absent. */
  emissao?: string;
  /** CFOP of the transport service (5352/6352, 5353/6353, 5932/6932…). */
  cfop: string;
  natureza: string;
  emitente: OrderEmitente & { telefone?: string };
  remetente: CteParty;
  destinatario: CteParty;
  expedidor?: CteParty;
  recebedor?: CteParty;
  tomador: CteTomador;
  /** Start/end of the service; by default the expedidor/remetente and recebedor/destinatário towns. */
  inicio?: CteMunicipio;
  fim?: CteMunicipio;
  prestacao: {
    /** Components of the price (FRETE PESO, PEDAGIO…); vTPrest is their sum. */
    componentes: Array<{ nome: string; valor: DecimalInput }>;
    /** Amount to receive when different from the total (vRec ≤ vTPrest). */
    valorReceber?: DecimalInput;
  };
  icms: CteIcms;
  carga: {
    /** Value of the goods; by default the sum of the referenced NF-e. */
    valor?: DecimalInput;
    produtoPredominante: string;
    outrasCaracteristicas?: string;
    quantidades: CteQuantity[];
  };
  documentos: { nfe: CteNfeRef[] };
  rodoviario: { rntrc: string };
  /**
   * The rodoviário modal of CT-e 4.00 has no vehicle or driver group (only RNTRC and occ):
   * they go to the observations (ObsCont) and are printed on the DACTE.
   */
  veiculo?: { placa: string; uf?: string; renavam?: string };
  motorista?: { nome: string; cpf: string };
  /** Fuels: UN number and shipping name, printed and kept in ObsCont (no rodoviário group exists). */
  produtosPerigosos?: Array<{ onu: string; nomeEmbarque: string; classe: string; grupoEmbalagem?: string; quantidade?: string }>;
  observacoes?: string;
}

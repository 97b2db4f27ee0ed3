/**
 * What a DANFE shows, independent of where it came from (the fiscal parser, a fixture)
 * and of where it goes (ESC/P form, PDF). Fiscal values stay as the XML's decimal
 * strings ("1234.50", "10.0000"): formatting is string/decimal.js work, never floats.
 */

export interface DanfeAddress {
  logradouro: string;
  numero: string;
  complemento?: string;
  bairro: string;
  municipio: string;
  uf: string;
  cep?: string;
  fone?: string;
}

export interface DanfeParty {
  nome: string;
  /** CNPJ (14, may be alphanumeric) or CPF (11), digits only as in the XML. */
  documento: string;
  ie?: string;
  endereco?: DanfeAddress;
}

export interface DanfeEmitente extends DanfeParty {
  ieSt?: string;
  im?: string;
}

export interface DanfeItem {
  codigo: string;
  descricao: string;
  ncm: string;
  /** orig + CST (3 digits) or orig + CSOSN (4 digits). */
  cst: string;
  cfop: string;
  unidade: string;
  quantidade: string;
  valorUnitario: string;
  valorTotal: string;
  valorDesconto?: string;
  baseIcms?: string;
  valorIcms?: string;
  aliquotaIcms?: string;
  valorIpi?: string;
  aliquotaIpi?: string;
  /** infAdProd plus the fuel group (cProdANP/descANP) as the DANFE prints them under the item. */
  informacoes?: string;
  /** ICMS-ST charged on the item (base, value, FCP-ST) and ST retained earlier (CST 60). */
  icmsSt?: { base?: string; valor?: string; fcp?: string; baseRetido?: string; valorRetido?: string };
  /** Frete, seguro and outras despesas of the item. */
  encargos?: { frete?: string; seguro?: string; outras?: string };
}

export interface DanfeTotais {
  baseIcms: string;
  valorIcms: string;
  baseIcmsSt: string;
  valorIcmsSt: string;
  valorProdutos: string;
  valorFrete: string;
  valorSeguro: string;
  valorDesconto: string;
  outrasDespesas: string;
  valorIpi: string;
  valorNota: string;
  valorTributos?: string;
  /** ICMS monofásico retido anteriormente (CST 61), typical of fuel resale. */
  valorIcmsMonoRetido?: string;
  /** FCP retido por ST (vFCPST). */
  valorFcpSt?: string;
}

export interface DanfeVolume {
  quantidade?: string;
  especie?: string;
  marca?: string;
  numeracao?: string;
  pesoLiquido?: string;
  pesoBruto?: string;
  /** Seal numbers (lacres). */
  lacres?: string[];
}

export interface DanfeTransporte {
  /** modFrete 0..4, 9. */
  modalidade: string;
  transportador?: DanfeParty;
  placa?: string;
  ufVeiculo?: string;
  rntc?: string;
  /** Semirreboques (bitrem/rodotrem). */
  reboques?: Array<{ placa: string; uf?: string; rntc?: string }>;
  volumes: DanfeVolume[];
}

export interface DanfeDuplicata {
  numero: string;
  vencimento: string;
  valor: string;
}

export interface DanfePagamento {
  /** tPag code (01 dinheiro, 15 boleto…). */
  forma: string;
  valor: string;
}

export interface DanfeProtocolo {
  nProt: string;
  /** ISO instant with offset, as dhRecbto. */
  dhRecbto: string;
  cStat: string;
}

export interface DanfeContingencia {
  dhCont: string;
  xJust: string;
}

export interface DanfeData {
  /** 44-character chave de acesso. */
  chave: string;
  numero: string;
  serie: string;
  /** 0 entrada, 1 saída. */
  tpNF: '0' | '1';
  /** 1 normal, 4 EPEC, 5 FS-DA, 6 SVC-AN, 7 SVC-RS. */
  tpEmis: string;
  /** 1 produção, 2 homologação. */
  tpAmb: '1' | '2';
  naturezaOperacao: string;
  dhEmi: string;
  dhSaiEnt?: string;
  emitente: DanfeEmitente;
  destinatario: DanfeParty;
  itens: DanfeItem[];
  totais: DanfeTotais;
  transporte: DanfeTransporte;
  fatura?: { numero?: string; valorOriginal?: string; valorDesconto?: string; valorLiquido?: string };
  duplicatas: DanfeDuplicata[];
  pagamentos: DanfePagamento[];
  informacoesComplementares?: string;
  informacoesFisco?: string;
  protocolo?: DanfeProtocolo;
  contingencia?: DanfeContingencia;
}

import type { NfeLayout } from './schema-validate';

/**
 * The NF-e as data: built from an order, or parsed from NFe/nfeProc XML (import, reprint,
 * DANFE). Field names are the official tags; every value is the exact XML text (decimals
 * already at the schema's scale), so printing never re-rounds and the model is JSON-safe.
 * Keys are kept in schema order: the XML writer emits them as they come. Attributes are
 * keys starting with "@".
 */
export interface NfeModel {
  /** Layout the document was built for (parsed documents: guessed from their content). */
  layout: NfeLayout;
  chave: string;
  infNFe: InfNFe;
  /** Present when parsed from nfeProc (authorized document). */
  protNFe?: ProtNFe;
}

export interface InfNFe {
  '@versao': '4.00';
  '@Id': string;
  ide: Ide;
  emit: Emit;
  dest?: Dest;
  retirada?: Local;
  entrega?: Local;
  autXML?: Array<{ CNPJ?: string; CPF?: string }>;
  det: Det[];
  total: Total;
  transp: Transp;
  pag: Pag;
  infAdic?: InfAdic;
  compra?: { xNEmp?: string; xPed?: string; xCont?: string };
  infRespTec?: InfRespTec;
}

/** NFref: exactly one key. */
export interface NFref {
  refNFe?: string;
  refNF?: { cUF: string; AAMM: string; CNPJ: string; mod: string; serie: string; nNF: string };
  refCTe?: string;
}

/** retirada / entrega (TLocal). */
export interface Local extends Endereco {
  CNPJ?: string;
  CPF?: string;
  xNome?: string;
  email?: string;
  IE?: string;
}

export interface Ide {
  cUF: string;
  cNF: string;
  natOp: string;
  mod: string;
  serie: string;
  nNF: string;
  dhEmi: string;
  dhSaiEnt?: string;
  tpNF: string;
  idDest: string;
  cMunFG: string;
  tpImp: string;
  tpEmis: string;
  cDV: string;
  tpAmb: string;
  finNFe: string;
  indFinal: string;
  indPres: string;
  indIntermed?: string;
  procEmi: string;
  verProc: string;
  dhCont?: string;
  xJust?: string;
  NFref?: NFref[];
}

export interface Endereco {
  xLgr: string;
  nro: string;
  xCpl?: string;
  xBairro: string;
  cMun: string;
  xMun: string;
  UF: string;
  CEP?: string;
  cPais?: string;
  xPais?: string;
  fone?: string;
}

export interface Emit {
  CNPJ?: string;
  CPF?: string;
  xNome: string;
  xFant?: string;
  enderEmit: Endereco;
  IE: string;
  IEST?: string;
  CRT: string;
}

export interface Dest {
  CNPJ?: string;
  CPF?: string;
  idEstrangeiro?: string;
  xNome?: string;
  enderDest?: Endereco;
  indIEDest: string;
  IE?: string;
  ISUF?: string;
  IM?: string;
  email?: string;
}

export interface Comb {
  cProdANP: string;
  descANP: string;
  pGLP?: string;
  pGNn?: string;
  pGNi?: string;
  vPart?: string;
  CODIF?: string;
  qTemp?: string;
  UFCons: string;
  CIDE?: { qBCProd: string; vAliqProd: string; vCIDE: string };
  pBio?: string;
  origComb?: Array<{ indImport: string; cUFOrig: string; pOrig: string }>;
}

export interface Prod {
  cProd: string;
  cEAN: string;
  xProd: string;
  NCM: string;
  CEST?: string;
  CFOP: string;
  uCom: string;
  qCom: string;
  vUnCom: string;
  vProd: string;
  cEANTrib: string;
  uTrib: string;
  qTrib: string;
  vUnTrib: string;
  vFrete?: string;
  vSeg?: string;
  vDesc?: string;
  vOutro?: string;
  indTot: string;
  xPed?: string;
  nItemPed?: string;
  comb?: Comb;
}

/** One tax group: its tag (ICMS61, PISNT…) and its fields in order. */
export type TaxGroup = Record<string, string>;

export interface Imposto {
  vTotTrib?: string;
  /** `{ ICMS61: {orig, CST, …} }` — exactly one key. */
  ICMS: Record<string, TaxGroup>;
  PIS?: Record<string, TaxGroup>;
  PISST?: TaxGroup;
  COFINS?: Record<string, TaxGroup>;
  COFINSST?: TaxGroup;
  /** PL_010 only: tax-reform group, nested as in the schema. */
  IBSCBS?: XmlObject;
}

export interface Det {
  '@nItem': string;
  prod: Prod;
  imposto: Imposto;
  infAdProd?: string;
  /** PL_010: the item's share of vNFTot. */
  vItem?: string;
}

export interface IcmsTot {
  vBC: string;
  vICMS: string;
  vICMSDeson: string;
  vFCP: string;
  vBCST: string;
  vST: string;
  vFCPST: string;
  vFCPSTRet: string;
  qBCMono?: string;
  vICMSMono?: string;
  qBCMonoReten?: string;
  vICMSMonoReten?: string;
  qBCMonoRet?: string;
  vICMSMonoRet?: string;
  vProd: string;
  vFrete: string;
  vSeg: string;
  vDesc: string;
  vII: string;
  vIPI: string;
  vIPIDevol: string;
  vPIS: string;
  vCOFINS: string;
  vOutro: string;
  vNF: string;
  vTotTrib?: string;
}

export interface Total {
  ICMSTot: IcmsTot;
  IBSCBSTot?: XmlObject;
  vNFTot?: string;
}

export interface Transporta {
  CNPJ?: string;
  CPF?: string;
  xNome?: string;
  IE?: string;
  xEnder?: string;
  xMun?: string;
  UF?: string;
}

export interface RetTransp {
  vServ: string;
  vBCRet: string;
  pICMSRet: string;
  vICMSRet: string;
  CFOP: string;
  cMunFG: string;
}

export interface Veiculo {
  placa: string;
  UF?: string;
  RNTC?: string;
}

export interface Vol {
  qVol?: string;
  esp?: string;
  marca?: string;
  nVol?: string;
  pesoL?: string;
  pesoB?: string;
  lacres?: Array<{ nLacre: string }>;
}

export interface Transp {
  modFrete: string;
  transporta?: Transporta;
  retTransp?: RetTransp;
  veicTransp?: Veiculo;
  reboque?: Veiculo[];
  vol?: Vol[];
}

export interface DetPag {
  indPag?: string;
  tPag: string;
  xPag?: string;
  vPag: string;
}

export interface Pag {
  detPag: DetPag[];
  vTroco?: string;
}

export interface ObsCampo {
  '@xCampo': string;
  xTexto: string;
}

export interface InfAdic {
  infAdFisco?: string;
  infCpl?: string;
  obsCont?: ObsCampo[];
  obsFisco?: ObsCampo[];
}

export interface InfRespTec {
  CNPJ: string;
  xContato: string;
  email: string;
  fone: string;
  idCSRT?: string;
  hashCSRT?: string;
}

export interface ProtNFe {
  '@versao': string;
  infProt: {
    '@Id'?: string;
    tpAmb: string;
    verAplic: string;
    chNFe: string;
    dhRecbto: string;
    nProt?: string;
    digVal?: string;
    cStat: string;
    xMotivo: string;
  };
}

/** A generic XML element as an ordered object ("@name" keys are attributes). */
export interface XmlObject {
  [tag: string]: string | XmlObject | XmlObject[] | string[] | undefined;
}

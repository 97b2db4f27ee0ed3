import type { XmlObject } from '../model';

/**
 * The CT-e 4.00 as data, built from a freight order or parsed from CTe/cteProc XML (DACTE,
 * reprint). Field names are the official tags, values the exact XML text, keys in schema
 * order (the writer emits them as they come); "@" keys are attributes.
 */
export interface CteModel {
  chave: string;
  infCte: InfCte;
  /** Present when parsed from cteProc (authorized document). */
  protCTe?: { '@versao': string; infProt: { tpAmb: string; verAplic: string; chCTe: string; dhRecbto: string; nProt?: string; digVal?: string; cStat: string; xMotivo: string } };
  qrCodCTe?: string;
}

export interface CteEndereco {
  xLgr: string;
  nro: string;
  xCpl?: string;
  xBairro: string;
  cMun: string;
  xMun: string;
  CEP?: string;
  UF: string;
  cPais?: string;
  xPais?: string;
  fone?: string;
}

/** rem, exped, receb, dest and toma4 share this shape; the address tag differs per role. */
export interface CteParte {
  CNPJ?: string;
  CPF?: string;
  IE?: string;
  xNome: string;
  xFant?: string;
  fone?: string;
  enderReme?: CteEndereco;
  enderExped?: CteEndereco;
  enderReceb?: CteEndereco;
  enderDest?: CteEndereco;
  enderToma?: CteEndereco;
  email?: string;
}

export interface CteIde {
  cUF: string;
  cCT: string;
  CFOP: string;
  natOp: string;
  mod: string;
  serie: string;
  nCT: string;
  dhEmi: string;
  tpImp: string;
  tpEmis: string;
  cDV: string;
  tpAmb: string;
  tpCTe: string;
  procEmi: string;
  verProc: string;
  cMunEnv: string;
  xMunEnv: string;
  UFEnv: string;
  modal: string;
  tpServ: string;
  cMunIni: string;
  xMunIni: string;
  UFIni: string;
  cMunFim: string;
  xMunFim: string;
  UFFim: string;
  retira: string;
  indIEToma: string;
  toma3?: { toma: string };
  toma4?: { toma: '4' } & CteParte;
  dhCont?: string;
  xJust?: string;
}

export interface CteObs {
  '@xCampo': string;
  xTexto: string;
}

export interface InfCte {
  '@versao': '4.00';
  '@Id': string;
  ide: CteIde;
  compl?: { xObs?: string; ObsCont?: CteObs[] };
  emit: {
    CNPJ?: string;
    CPF?: string;
    IE?: string;
    IEST?: string;
    xNome: string;
    xFant?: string;
    enderEmit: CteEndereco;
    CRT: string;
  };
  rem?: CteParte;
  exped?: CteParte;
  receb?: CteParte;
  dest?: CteParte;
  vPrest: { vTPrest: string; vRec: string; Comp?: Array<{ xNome: string; vComp: string }> };
  imp: { ICMS: Record<string, Record<string, string>>; vTotTrib?: string; infAdFisco?: string };
  infCTeNorm: {
    infCarga: { vCarga?: string; proPred: string; xOutCat?: string; infQ: Array<{ cUnid: string; tpMed: string; qCarga: string }> };
    infDoc?: { infNFe?: Array<{ chave: string; PIN?: string; dPrev?: string }> };
    infModal: { '@versaoModal': '4.00'; rodo: { RNTRC: string } };
  };
  infRespTec?: XmlObject;
}

/** Tags that repeat inside a CT-e: always read as arrays. */
export const CTE_REPEATED: ReadonlySet<string> = new Set(['Comp', 'infQ', 'infNFe', 'infNF', 'infOutros', 'ObsCont', 'ObsFisco', 'autXML', 'pass', 'infCorrecao', 'occ']);

export const CTE_NAMESPACE = 'http://www.portalfiscal.inf.br/cte';

/** cUnid of infQ (MOC CT-e 4.00). */
export const CUNID: Record<string, string> = { M3: '00', KG: '01', TON: '02', UNIDADE: '03', LITROS: '04', MMBTU: '05' };
export const CUNID_LABEL: Record<string, string> = { '00': 'M3', '01': 'KG', '02': 'TON', '03': 'UNIDADE', '04': 'LITROS', '05': 'MMBTU' };
export const TOMA_LABEL: Record<string, string> = { '0': 'Remetente', '1': 'Expedidor', '2': 'Recebedor', '3': 'Destinatário', '4': 'Outros' };

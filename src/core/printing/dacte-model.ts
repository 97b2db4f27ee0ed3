import { AppError } from '../errors';
import { formatChave } from '../fiscal/chave';
import { CUNID_LABEL, TOMA_LABEL, type CteEndereco, type CteModel, type CteParte } from '../fiscal/cte/model';
import { parseCte } from '../fiscal/cte/parse';
import { PrintingErrors } from './errors';
import { formatCep, formatDateTime, formatDecimal, formatDocumento, formatNumeroNota, money } from './format';

/** A party of the DACTE, ready to print. */
export interface DacteParty {
  nome: string;
  documento: string;
  ie: string;
  endereco: string;
  municipio: string;
  uf: string;
  cep: string;
  fone: string;
}

/**
 * What the DACTE prints, already formatted (pt-BR numbers and dates): the PDF and the
 * continuous-form layout read the same values, so both show the same document.
 */
export interface DacteData {
  chave: string;
  chaveFormatada: string;
  numero: string;
  serie: string;
  emissao: string;
  modelo: '57';
  modal: string;
  tipoCte: string;
  tipoServico: string;
  cfopNatureza: string;
  inicio: string;
  fim: string;
  protocolo: string;
  homologacao: boolean;
  contingencia?: string;
  qrCode?: string;
  emitente: DacteParty & { fantasia: string };
  remetente?: DacteParty;
  destinatario?: DacteParty;
  expedidor?: DacteParty;
  recebedor?: DacteParty;
  tomadorPapel: string;
  tomador?: DacteParty;
  produtoPredominante: string;
  outrasCaracteristicas: string;
  valorCarga: string;
  quantidades: string[];
  componentes: Array<{ nome: string; valor: string }>;
  valorTotal: string;
  valorReceber: string;
  icms: { situacao: string; base: string; aliquota: string; valor: string; reducao: string; st: string };
  documentos: string[];
  observacoes: string[];
  rntrc: string;
}

const CST_LABEL: Record<string, string> = {
  ICMS00: '00 - TRIBUTAÇÃO NORMAL',
  ICMS20: '20 - COM REDUÇÃO DE BC',
  ICMS45: 'ISENTA / NÃO TRIBUTADA / DIFERIDA',
  ICMS60: '60 - ICMS COBRADO POR SUBSTITUIÇÃO',
  ICMS90: '90 - OUTROS',
  ICMSOutraUF: '90 - ICMS DEVIDO À OUTRA UF',
  ICMSSN: 'SIMPLES NACIONAL',
};

function party(p: CteParte | undefined, ender: CteEndereco | undefined): DacteParty | undefined {
  if (!p) return undefined;
  const e = ender ?? ({} as Partial<CteEndereco>);
  return {
    nome: p.xNome,
    documento: formatDocumento(p.CNPJ ?? p.CPF),
    ie: p.IE ?? '',
    endereco: [e.xLgr, e.nro, e.xCpl, e.xBairro].filter(Boolean).join(', '),
    municipio: e.xMun ?? '',
    uf: e.UF ?? '',
    cep: formatCep(e.CEP),
    fone: p.fone ?? e.fone ?? '',
  };
}

/** CteModel (from cteProc or a signed CTe) → DACTE values. */
export function dacteFromCte(m: CteModel): DacteData {
  const inf = m.infCte;
  const ide = inf.ide;
  const prot = m.protCTe?.infProt;
  const icmsTag = Object.keys(inf.imp.ICMS)[0] ?? '';
  const icms = inf.imp.ICMS[icmsTag] ?? {};
  const toma = ide.toma4 ? '4' : (ide.toma3?.toma ?? '0');
  const parties = { '0': inf.rem && party(inf.rem, inf.rem.enderReme), '1': inf.exped && party(inf.exped, inf.exped.enderExped), '2': inf.receb && party(inf.receb, inf.receb.enderReceb), '3': inf.dest && party(inf.dest, inf.dest.enderDest) } as Record<string, DacteParty | undefined>;
  const emit = inf.emit;
  const obs = [inf.compl?.xObs, ...(inf.compl?.ObsCont ?? []).map((o) => `${o['@xCampo']}: ${o.xTexto}`)].filter((s): s is string => !!s);
  return {
    chave: m.chave,
    chaveFormatada: formatChave(m.chave),
    numero: formatNumeroNota(ide.nCT),
    serie: ide.serie.padStart(3, '0'),
    emissao: formatDateTime(ide.dhEmi),
    modelo: '57',
    modal: ide.modal === '01' ? 'RODOVIÁRIO' : ide.modal,
    tipoCte: { '0': 'NORMAL', '1': 'COMPLEMENTO DE VALORES', '3': 'SUBSTITUTO' }[ide.tpCTe] ?? ide.tpCTe,
    tipoServico: { '0': 'NORMAL', '1': 'SUBCONTRATAÇÃO', '2': 'REDESPACHO', '3': 'REDESPACHO INTERMEDIÁRIO', '4': 'SERVIÇO VINCULADO A MULTIMODAL' }[ide.tpServ] ?? ide.tpServ,
    cfopNatureza: `${ide.CFOP} - ${ide.natOp}`,
    inicio: `${ide.xMunIni} - ${ide.UFIni}`,
    fim: `${ide.xMunFim} - ${ide.UFFim}`,
    protocolo: prot?.nProt ? `${prot.nProt} - ${formatDateTime(prot.dhRecbto)}` : '',
    homologacao: ide.tpAmb === '2',
    ...(ide.tpEmis !== '1' ? { contingencia: `EMITIDO EM CONTINGÊNCIA (tpEmis ${ide.tpEmis})${ide.xJust ? ` - ${ide.xJust}` : ''}` } : {}),
    ...(m.qrCodCTe ? { qrCode: m.qrCodCTe } : {}),
    emitente: { ...party(emit as CteParte, emit.enderEmit)!, fantasia: emit.xFant ?? '' },
    remetente: parties['0'],
    destinatario: parties['3'],
    expedidor: parties['1'],
    recebedor: parties['2'],
    tomadorPapel: TOMA_LABEL[toma] ?? toma,
    tomador: toma === '4' ? party(ide.toma4, ide.toma4?.enderToma) : parties[toma],
    produtoPredominante: inf.infCTeNorm.infCarga.proPred,
    outrasCaracteristicas: inf.infCTeNorm.infCarga.xOutCat ?? '',
    valorCarga: money(inf.infCTeNorm.infCarga.vCarga),
    quantidades: inf.infCTeNorm.infCarga.infQ.map((q) => `${q.tpMed}: ${formatDecimal(q.qCarga, 4)} ${CUNID_LABEL[q.cUnid] ?? q.cUnid}`),
    componentes: (inf.vPrest.Comp ?? []).map((c) => ({ nome: c.xNome, valor: money(c.vComp) })),
    valorTotal: money(inf.vPrest.vTPrest),
    valorReceber: money(inf.vPrest.vRec),
    icms: {
      situacao: CST_LABEL[icmsTag] ? (icmsTag === 'ICMS45' ? `${icms.CST} - ${CST_LABEL[icmsTag]}` : CST_LABEL[icmsTag]!) : icmsTag,
      base: money(icms.vBC ?? icms.vBCSTRet),
      aliquota: formatDecimal(icms.pICMS ?? icms.pICMSSTRet),
      valor: money(icms.vICMS),
      reducao: formatDecimal(icms.pRedBC),
      st: money(icms.vICMSSTRet),
    },
    documentos: (inf.infCTeNorm.infDoc?.infNFe ?? []).map((n) => `NF-e ${formatChave(n.chave)}`),
    observacoes: obs,
    rntrc: inf.infCTeNorm.infModal.rodo.RNTRC,
  };
}

/** cteProc (or signed CTe) XML → DACTE values; anything else is refused with a pt-BR reason. */
export function dacteFromXml(xml: string): DacteData {
  if (!/<(\w+:)?(cteProc|CTe)[\s>]/.test(xml)) throw new AppError(PrintingErrors.INVALID_DOCUMENT, 'O arquivo não é um XML de CT-e (esperado cteProc ou CTe).');
  try {
    return dacteFromCte(parseCte(xml));
  } catch (err) {
    if (err instanceof AppError) throw err;
    throw new AppError(PrintingErrors.INVALID_DOCUMENT, `XML de CT-e inválido: ${(err as Error).message}`);
  }
}

/** True for CT-e XML (routes a print or reprint to the DACTE). */
export const isCteXml = (xml: string): boolean => /<(\w+:)?(cteProc|CTe)[\s>]/.test(xml.slice(0, 500));

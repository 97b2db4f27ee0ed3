import { escapeXml } from '../sefaz/xml';
import { isValidChave } from './chave';
import { FiscalErrors, fiscalError } from './errors';

/**
 * NF-e events (envEvento 1.00): 110111 cancelamento, 110110 carta de correção, 110140 EPEC.
 * These build the unsigned `<evento>`; sign it over infEvento (signature right after
 * infEvento) and wrap the signed bytes in envEvento.
 */

const NFE_NS = 'http://www.portalfiscal.inf.br/nfe';

export const TP_EVENTO = { cancelamento: '110111', cartaCorrecao: '110110', epec: '110140' } as const;
export type TpEvento = (typeof TP_EVENTO)[keyof typeof TP_EVENTO];

/** The fixed text the CC-e schema enumerates (leiauteCCe_v1.00.xsd, accented variant). */
export const CCE_COND_USO =
  'A Carta de Correção é disciplinada pelo § 1º-A do art. 7º do Convênio S/N, de 15 de dezembro de 1970 e pode ser utilizada para regularização de erro ocorrido na emissão de documento fiscal, desde que o erro não esteja relacionado com: I - as variáveis que determinam o valor do imposto tais como: base de cálculo, alíquota, diferença de preço, quantidade, valor da operação ou da prestação; II - a correção de dados cadastrais que implique mudança do remetente ou do destinatário; III - a data de emissão ou de saída.';

export const CCE_MAX_SEQ = 20;

/**
 * Free text as the schemas' TString accepts it: Latin-1 only, no leading/trailing or
 * repeated whitespace, within [min, max] characters. Returns the normalised text.
 */
export function normalizeFiscalText(text: string, field: string, label: string, min: number, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  const bad = [...t].find((ch) => ch.codePointAt(0)! > 0xff);
  if (bad) throw fiscalError(FiscalErrors.XML_INVALID, `${label}: o caractere "${bad}" não é aceito pela SEFAZ; use apenas letras, números e pontuação comuns.`, field);
  if (t.length < min) throw fiscalError(FiscalErrors.XML_INVALID, `${label} deve ter pelo menos ${min} caracteres (tem ${t.length}).`, field);
  if (t.length > max) throw fiscalError(FiscalErrors.XML_INVALID, `${label} deve ter no máximo ${max} caracteres (tem ${t.length}).`, field);
  return t;
}

export interface EventoBase {
  /** cOrgao: the UF code of the authorizer (91 = Ambiente Nacional, for EPEC). */
  cOrgao: string;
  tpAmb: '1' | '2';
  /** Author: CNPJ (14) or CPF (11). */
  autor: string;
  chNFe: string;
  /** ISO 8601 with offset (TDateTimeUTC). */
  dhEvento: string;
  nSeqEvento: number;
}

export function eventoId(tpEvento: string, chNFe: string, nSeqEvento: number): string {
  return `ID${tpEvento}${chNFe}${String(nSeqEvento).padStart(2, '0')}`;
}

/**
 * Why no event can be sent for this note today, or null. The event schemas of PL_010_V1.30
 * still declare Id as ID[0-9]{52} and chNFe as digits: an event for a note of an
 * alphanumeric CNPJ cannot be valid until a new package lifts it
 * (tests/unit/fiscal/events-alphanumeric.test.ts fails when that happens). Screens show it
 * before the user tries.
 */
export function eventsBlockedReason(chNFe: string): string | null {
  if (!/[A-Z]/.test(chNFe.slice(6, 20))) return null;
  return `Eventos (cancelamento, carta de correção, EPEC) da NF-e ${chNFe} não podem ser enviados: o emitente tem CNPJ alfanumérico e os schemas de evento do pacote PL_010_V1.30 ainda só aceitam chaves numéricas. Aguarde o novo pacote de schemas; o prazo de cancelamento continua correndo.`;
}

function checkBase(b: EventoBase): void {
  if (!isValidChave(b.chNFe)) throw fiscalError(FiscalErrors.CHAVE_INVALID, `Chave de acesso inválida: ${b.chNFe}.`, 'chNFe');
  const blocked = eventsBlockedReason(b.chNFe);
  if (blocked) throw fiscalError(FiscalErrors.XML_INVALID, blocked, 'chNFe');
  if (!Number.isInteger(b.nSeqEvento) || b.nSeqEvento < 1 || b.nSeqEvento > CCE_MAX_SEQ) {
    throw fiscalError(FiscalErrors.XML_INVALID, `Sequência do evento deve estar entre 1 e ${CCE_MAX_SEQ}.`, 'nSeqEvento');
  }
  if (!/^\d{2}$/.test(b.cOrgao)) throw fiscalError(FiscalErrors.XML_INVALID, `Órgão do evento inválido: ${b.cOrgao}.`, 'cOrgao');
  if (!/^([0-9A-Z]{12}\d{2}|\d{11})$/.test(b.autor)) throw fiscalError(FiscalErrors.XML_INVALID, `CNPJ/CPF do autor inválido: ${b.autor}.`, 'autor');
}

function evento(b: EventoBase, tpEvento: TpEvento, detEvento: string): string {
  checkBase(b);
  const autorTag = b.autor.length === 11 ? 'CPF' : 'CNPJ';
  return (
    `<evento xmlns="${NFE_NS}" versao="1.00"><infEvento Id="${eventoId(tpEvento, b.chNFe, b.nSeqEvento)}">` +
    `<cOrgao>${b.cOrgao}</cOrgao><tpAmb>${b.tpAmb}</tpAmb><${autorTag}>${b.autor}</${autorTag}><chNFe>${b.chNFe}</chNFe>` +
    `<dhEvento>${b.dhEvento}</dhEvento><tpEvento>${tpEvento}</tpEvento><nSeqEvento>${b.nSeqEvento}</nSeqEvento><verEvento>1.00</verEvento>` +
    `<detEvento versao="1.00">${detEvento}</detEvento></infEvento></evento>`
  );
}

/** 110111: nProt of the authorization, justificativa 15–255 characters. Always nSeqEvento 1. */
export function buildCancelamento(b: Omit<EventoBase, 'nSeqEvento'> & { nProt: string; xJust: string }): string {
  if (!/^\d{15}(\d{2})?$/.test(b.nProt)) throw fiscalError(FiscalErrors.XML_INVALID, `Protocolo de autorização inválido: ${b.nProt}.`, 'nProt');
  const xJust = normalizeFiscalText(b.xJust, 'xJust', 'A justificativa do cancelamento', 15, 255);
  return evento({ ...b, nSeqEvento: 1 }, TP_EVENTO.cancelamento, `<descEvento>Cancelamento</descEvento><nProt>${b.nProt}</nProt><xJust>${escapeXml(xJust)}</xJust>`);
}

/**
 * 110110: each CC-e replaces the previous ones, so `xCorrecao` must repeat every earlier
 * correction (see `cumulativeCorrection`). Cannot change values, parties or dates.
 */
export function buildCartaCorrecao(b: EventoBase & { xCorrecao: string }): string {
  const xCorrecao = normalizeFiscalText(b.xCorrecao, 'xCorrecao', 'O texto da carta de correção', 15, 1000);
  return evento(
    b,
    TP_EVENTO.cartaCorrecao,
    `<descEvento>Carta de Correção</descEvento><xCorrecao>${escapeXml(xCorrecao)}</xCorrecao><xCondUso>${escapeXml(CCE_COND_USO)}</xCondUso>`,
  );
}

/**
 * The text of the next CC-e: the last registered correction followed by the new one, since
 * the latest CC-e is the only one that counts. A new text that already contains the
 * previous one (the user edited the whole text) is taken as is.
 */
export function cumulativeCorrection(previous: string | undefined, next: string): string {
  const n = next.replace(/\s+/g, ' ').trim();
  const p = previous?.replace(/\s+/g, ' ').trim();
  if (!p || n.includes(p)) return n;
  return `${p}; ${n}`;
}

export interface EpecData {
  cOrgaoAutor: string;
  verAplic: string;
  dhEmi: string;
  tpNF: '0' | '1';
  ie: string;
  dest: { uf: string; cnpj?: string; cpf?: string; ie?: string; vNF: string; vICMS: string; vST: string };
}

/** 110140 EPEC, sent to the Ambiente Nacional (cOrgao 91) before the NF-e itself. */
export function buildEpec(b: Omit<EventoBase, 'nSeqEvento' | 'cOrgao'> & EpecData): string {
  const d = b.dest;
  const destId = d.cnpj ? `<CNPJ>${d.cnpj}</CNPJ>` : d.cpf ? `<CPF>${d.cpf}</CPF>` : '';
  if (!destId) throw fiscalError(FiscalErrors.XML_INVALID, 'EPEC: informe o CNPJ ou CPF do destinatário.', 'dest');
  return evento(
    { ...b, cOrgao: '91', nSeqEvento: 1 },
    TP_EVENTO.epec,
    `<descEvento>EPEC</descEvento><cOrgaoAutor>${b.cOrgaoAutor}</cOrgaoAutor><tpAutor>1</tpAutor><verAplic>${escapeXml(b.verAplic)}</verAplic>` +
      `<dhEmi>${b.dhEmi}</dhEmi><tpNF>${b.tpNF}</tpNF><IE>${b.ie}</IE>` +
      `<dest><UF>${d.uf}</UF>${destId}${d.ie ? `<IE>${d.ie}</IE>` : ''}<vNF>${d.vNF}</vNF><vICMS>${d.vICMS}</vICMS><vST>${d.vST}</vST></dest>`,
  );
}

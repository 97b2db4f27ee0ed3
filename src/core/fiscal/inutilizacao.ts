import { FiscalErrors, fiscalError } from './errors';
import { normalizeFiscalText } from './events';
import { escapeXml } from '../sefaz/xml';

/**
 * inutNFe 4.00: ranges of numbers that were never authorized. Sign over infInut (the
 * signature goes right after it) and send the signed bytes as they are.
 */

const NFE_NS = 'http://www.portalfiscal.inf.br/nfe';

/** At most 10,000 numbers per request, the limit the authorizers enforce. */
export const INUT_MAX_RANGE = 10_000;

export interface InutilizacaoInput {
  tpAmb: '1' | '2';
  cUF: string;
  /** Two digits of the year the numbers belong to. */
  ano: string;
  cnpj: string;
  mod: '55' | '65';
  serie: number;
  nNFIni: number;
  nNFFin: number;
  xJust: string;
}

/** Id: "ID" + cUF(2) + ano(2) + CNPJ(14) + mod(2) + série(3) + nNFIni(9) + nNFFin(9). */
export function inutId(i: Pick<InutilizacaoInput, 'cUF' | 'ano' | 'cnpj' | 'mod' | 'serie' | 'nNFIni' | 'nNFFin'>): string {
  return `ID${i.cUF}${i.ano}${i.cnpj}${i.mod}${String(i.serie).padStart(3, '0')}${String(i.nNFIni).padStart(9, '0')}${String(i.nNFFin).padStart(9, '0')}`;
}

export function checkInutRange(serie: number, nNFIni: number, nNFFin: number): void {
  if (!Number.isInteger(serie) || serie < 0 || serie > 999) throw fiscalError(FiscalErrors.XML_INVALID, `Série inválida: ${serie}.`, 'serie');
  for (const [v, f] of [[nNFIni, 'nNFIni'], [nNFFin, 'nNFFin']] as const) {
    if (!Number.isInteger(v) || v < 1 || v > 999_999_999) throw fiscalError(FiscalErrors.XML_INVALID, `Número inválido: ${v}.`, f);
  }
  if (nNFFin < nNFIni) throw fiscalError(FiscalErrors.XML_INVALID, `Faixa invertida: ${nNFIni} a ${nNFFin}.`, 'nNFFin');
  if (nNFFin - nNFIni + 1 > INUT_MAX_RANGE) {
    throw fiscalError(FiscalErrors.XML_INVALID, `Uma inutilização aceita no máximo ${INUT_MAX_RANGE.toLocaleString('pt-BR')} números; divida a faixa.`, 'nNFFin');
  }
}

export function buildInutilizacao(i: InutilizacaoInput): string {
  checkInutRange(i.serie, i.nNFIni, i.nNFFin);
  if (!/^\d{2}$/.test(i.ano)) throw fiscalError(FiscalErrors.XML_INVALID, `Ano inválido: ${i.ano} (use dois dígitos).`, 'ano');
  if (!/^[0-9A-Z]{12}\d{2}$/.test(i.cnpj)) throw fiscalError(FiscalErrors.XML_INVALID, `CNPJ inválido para inutilização: ${i.cnpj}.`, 'cnpj');
  const xJust = normalizeFiscalText(i.xJust, 'xJust', 'A justificativa da inutilização', 15, 255);
  // série and numbers carry no leading zeros in the tags (TSerie/TNF); only the Id pads them.
  return (
    `<inutNFe xmlns="${NFE_NS}" versao="4.00"><infInut Id="${inutId(i)}"><tpAmb>${i.tpAmb}</tpAmb><xServ>INUTILIZAR</xServ>` +
    `<cUF>${i.cUF}</cUF><ano>${i.ano}</ano><CNPJ>${i.cnpj}</CNPJ><mod>${i.mod}</mod><serie>${i.serie}</serie>` +
    `<nNFIni>${i.nNFIni}</nNFIni><nNFFin>${i.nNFFin}</nNFFin><xJust>${escapeXml(xJust)}</xJust></infInut></inutNFe>`
  );
}

import { AppError } from '../errors';
import type { DanfeData } from './danfe-model';
import { PrintingErrors } from './errors';

/** Weights 2..9 from the right, mod 11; 0 or 1 → 0 (the same rule as the chave's cDV). */
export function mod11(digits: string): string {
  let sum = 0;
  let weight = 2;
  for (let i = digits.length - 1; i >= 0; i--) {
    sum += (digits.charCodeAt(i) - 48) * weight;
    weight = weight === 9 ? 2 : weight + 1;
  }
  const r = sum % 11;
  return r < 2 ? '0' : String(11 - r);
}

export const isFsDa = (d: DanfeData): boolean => d.tpEmis === '5';
export const isEpec = (d: DanfeData): boolean => d.tpEmis === '4';

/**
 * The FS-DA "dados da NF-e" barcode (Manual do DANFE): cUF(2) tpEmis(1) CNPJ/CPF(14)
 * vNF(14, centavos) ICMS próprio?(1: 1 yes, 2 no) ICMS ST?(1) dia da emissão(2) DV(1).
 */
export function fsdaBarcodeData(d: DanfeData): string {
  const cUF = d.chave.slice(0, 2);
  const doc = d.emitente.documento.padStart(14, '0');
  const [int, frac = ''] = d.totais.valorNota.split('.');
  const centavos = `${int}${frac.padEnd(2, '0').slice(0, 2)}`.replace(/^0+(?=\d)/, '');
  if (!/^\d{1,14}$/.test(centavos)) {
    throw new AppError(PrintingErrors.INVALID_DOCUMENT, 'Valor total da nota inválido para o código de barras da contingência FS-DA.');
  }
  const positive = (v: string | undefined) => v !== undefined && /[1-9]/.test(v);
  const icmsProprio = positive(d.totais.valorIcms) ? '1' : '2';
  const icmsSt = positive(d.totais.valorIcmsSt) ? '1' : '2';
  const dia = d.dhEmi.slice(8, 10);
  const body = `${cUF}${d.tpEmis}${doc}${centavos.padStart(14, '0')}${icmsProprio}${icmsSt}${dia}`;
  return body + mod11(body);
}

/** The contingency line the DANFE must carry (pt-BR text printed on the form and the PDF). */
export function contingencyText(d: DanfeData): string | undefined {
  const when = d.contingencia ? ` em ${d.contingencia.dhCont.slice(8, 10)}/${d.contingencia.dhCont.slice(5, 7)}/${d.contingencia.dhCont.slice(0, 4)} ${d.contingencia.dhCont.slice(11, 19)}` : '';
  if (isFsDa(d)) return `DANFE EM CONTINGÊNCIA (FS-DA) - IMPRESSO EM FORMULÁRIO DE SEGURANÇA${when}`;
  if (isEpec(d)) return `DANFE EM CONTINGÊNCIA (EPEC) - PENDENTE DE AUTORIZAÇÃO${when}`;
  if (d.tpEmis === '6' || d.tpEmis === '7') return `EMITIDA EM CONTINGÊNCIA SVC-${d.tpEmis === '6' ? 'AN' : 'RS'}${when}`;
  return undefined;
}

/**
 * Vias a DANFE needs: FS-DA is printed on the security form in at least two (one travels
 * with the goods, one stays with the emitente for the tax authority: Manual do DANFE, FS-DA).
 */
export function requiredCopies(d: DanfeData, requested = 1): number {
  return isFsDa(d) ? Math.max(2, requested) : Math.max(1, requested);
}

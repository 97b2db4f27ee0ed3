import { orderError } from './errors';
import { orderFieldLabel } from './order-labels';

/** IBGE codes of the UFs (cUF) — the first two digits of every municipality code too. */
export const UF_CODES: Record<string, string> = {
  RO: '11', AC: '12', AM: '13', RR: '14', PA: '15', AP: '16', TO: '17',
  MA: '21', PI: '22', CE: '23', RN: '24', PB: '25', PE: '26', AL: '27', SE: '28', BA: '29',
  MG: '31', ES: '32', RJ: '33', SP: '35', PR: '41', SC: '42', RS: '43',
  MS: '50', MT: '51', GO: '52', DF: '53',
};

const TYPOGRAPHIC: Record<string, string> = {
  '\u2013': '-', '\u2014': '-', '\u2018': "'", '\u2019': "'", '\u201c': '"', '\u201d': '"', '\u2026': '...', '\u00a0': ' ',
};

/**
 * Normalises free text to what the schema's TString accepts: Latin-1 printable characters,
 * no leading/trailing or repeated blanks, no line breaks (SEFAZ rejects control chars).
 */
export function cleanText(value: string): string {
  return value
    .normalize('NFC')
    .replace(/[\u2013\u2014\u2018\u2019\u201c\u201d\u2026\u00a0]/g, (c) => TYPOGRAPHIC[c] ?? ' ')
    .replace(/[^\x20-\x7e\u00a1-\u00ff]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

export interface TextRule {
  min?: number;
  max: number;
}

export function requiredText(value: unknown, field: string, rule: TextRule): string {
  const label = orderFieldLabel(field);
  if (typeof value !== 'string' && typeof value !== 'number') throw orderError(field, `Preencha ${label}.`);
  const t = cleanText(String(value));
  const min = rule.min ?? 1;
  if (t.length < min) throw orderError(field, t.length === 0 ? `Preencha ${label}.` : `${label}: use ao menos ${min} caracteres.`);
  if (t.length > rule.max) throw orderError(field, `${label}: ${t.length} caracteres, o máximo é ${rule.max}. Encurte o texto.`);
  return t;
}

export function optionalText(value: unknown, field: string, rule: TextRule): string | undefined {
  if (value === undefined || value === null || (typeof value === 'string' && cleanText(value) === '')) return undefined;
  return requiredText(value, field, rule);
}

export function digitsField(value: unknown, field: string, pattern: RegExp, what: string): string {
  const t = typeof value === 'number' ? String(value) : typeof value === 'string' ? value.replace(/[.\-/\s()]/g, '') : '';
  if (!pattern.test(t)) throw orderError(field, `${orderFieldLabel(field)}: ${what.toLowerCase()} inválido ("${String(value ?? '')}").`);
  return t;
}

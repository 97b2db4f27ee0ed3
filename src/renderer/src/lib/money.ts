/**
 * Fiscal values stay integers (centavos) or decimal strings end to end; these helpers only
 * move digits around, so no binary float ever touches a value that ends up on a note.
 */

export { formatDecimal, formatLitros, formatPercentual, formatPrecoUnitario } from '../../../shared/format';

function groupThousands(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, '.');
}

/** 123456 → "R$ 1.234,56"; negative with a true minus sign and a space: "− R$ 1.234,56". */
export function formatCentavos(centavos: number): string {
  if (!Number.isSafeInteger(centavos)) return '—';
  const negative = centavos < 0;
  const abs = Math.abs(centavos);
  const reais = Math.trunc(abs / 100);
  const cents = abs % 100;
  const text = `R$ ${groupThousands(String(reais))},${String(cents).padStart(2, '0')}`;
  return negative ? `\u2212 ${text}` : text;
}

/** Centavos as an editable pt-BR amount without the currency sign: 1250 → "12,50". */
export function centavosToInput(centavos: number): string {
  if (!centavos) return '';
  const abs = Math.abs(centavos);
  return `${centavos < 0 ? '-' : ''}${Math.trunc(abs / 100)},${String(abs % 100).padStart(2, '0')}`;
}

/**
 * A typed pt-BR amount ("1.234,5", "12", "0,07") → centavos; null when it is not a
 * non-negative amount with at most two decimals. Empty means zero.
 */
export function parseCentavos(text: string): number | null {
  const t = text.trim().replace(/^R\$\s*/, '');
  if (t === '') return 0;
  const m = /^(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d{1,2}))?$/.exec(t);
  if (!m) return null;
  const reais = m[1]!.replace(/\./g, '');
  const cents = (m[2] ?? '').padEnd(2, '0');
  const value = Number(reais) * 100 + Number(cents);
  return Number.isSafeInteger(value) ? value : null;
}

/**
 * A typed pt-BR decimal ("15.000,5") → the contract's decimal string with a fixed scale
 * ("15000.5000"); null when not a non-negative number or with more decimals than `scale`.
 */
export function parseDecimal(text: string, scale: number): string | null {
  const t = text.trim();
  const m = /^(\d{1,3}(?:\.\d{3})+|\d+)(?:,(\d*))?$/.exec(t);
  if (!m) return null;
  const int = m[1]!.replace(/\./g, '').replace(/^0+(?=\d)/, '');
  const frac = m[2] ?? '';
  if (frac.length > scale) return null;
  return scale === 0 ? int : `${int}.${frac.padEnd(scale, '0')}`;
}

/**
 * Why a typed pt-BR decimal was refused by parseDecimal, in words a faturista acts on;
 * null when it parses. `example` is a valid value shown beside the rule.
 */
export function decimalProblem(text: string, scale: number, example: string): string | null {
  const t = text.trim();
  if (parseDecimal(t, scale) !== null) return null;
  if (/^[-−]/.test(t)) return 'Não pode ser negativo.';
  if (/\s/.test(t)) return `Não use espaços: separe os milhares com ponto (ex.: ${example}).`;
  if (/[^\d.,]/.test(t)) return `Use só números, com vírgula antes dos decimais (ex.: ${example}).`;
  if ((t.match(/,/g) ?? []).length > 1) return `Use uma vírgula só, antes dos decimais (ex.: ${example}).`;
  const frac = /,(\d*)$/.exec(t)?.[1] ?? '';
  if (frac.length > scale) return `Use até ${scale} casas decimais (ex.: ${example}).`;
  return `Separe os milhares com ponto a cada 3 dígitos e os decimais com vírgula (ex.: ${example}).`;
}

/** True when a contract decimal string is greater than zero (string inspection, no float). */
export function isPositiveDecimal(value: string): boolean {
  return /^\d+(\.\d+)?$/.test(value) && /[1-9]/.test(value);
}

function toScaledBigInt(value: string): { units: bigint; scale: number } | null {
  const m = /^(\d+)(?:\.(\d+))?$/.exec(value);
  if (!m) return null;
  const frac = m[2] ?? '';
  return { units: BigInt(m[1]! + frac), scale: frac.length };
}

/**
 * qCom × vUnCom rounded half up to centavos (how NF-e vProd is computed), in BigInt so a
 * 4-decimal quantity times a 10-decimal price stays exact. Null for invalid input.
 */
export function grossCentavos(quantidade: string, precoUnitario: string): number | null {
  const q = toScaledBigInt(quantidade);
  const p = toScaledBigInt(precoUnitario);
  if (!q || !p) return null;
  const scale = q.scale + p.scale;
  const product = q.units * p.units;
  if (scale <= 2) return Number(product * 10n ** BigInt(2 - scale));
  const divisor = 10n ** BigInt(scale - 2);
  const cents = (product * 2n + divisor) / (divisor * 2n);
  return Number(cents);
}

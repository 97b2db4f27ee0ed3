import Decimal from 'decimal.js';
import { orderError } from './errors';
import { orderFieldLabel } from './order-labels';
import type { DecimalInput, Discount } from './order';

/** Decimal with the rounding SEFAZ's validators use (half up), never JS floats for values. */
export const D = Decimal.clone({ precision: 40, rounding: Decimal.ROUND_HALF_UP });
export type Dec = InstanceType<typeof D>;

export interface DecimalRule {
  maxDecimals: number;
  /** 'positive' (> 0), 'nonNegative' (≥ 0). */
  sign?: 'positive' | 'nonNegative';
  max?: string;
}

/** Parses a decimal from the order, with a pt-BR error naming the field. */
export function parseDecimal(value: DecimalInput | undefined, field: string, rule: DecimalRule): Dec {
  const label = orderFieldLabel(field);
  if (value === undefined || value === null || value === '') throw orderError(field, `Preencha ${label}.`);
  const text = typeof value === 'number' ? String(value) : String(value).trim().replace(',', '.');
  if (!/^-?\d+(\.\d+)?$/.test(text)) throw orderError(field, `${label}: "${String(value)}" não é um número (use ponto antes dos decimais no arquivo do pedido).`);
  const d = new D(text);
  if (d.decimalPlaces() > rule.maxDecimals) throw orderError(field, `${label}: use no máximo ${rule.maxDecimals} casas decimais.`);
  if ((rule.sign ?? 'positive') === 'positive' && d.lte(0)) throw orderError(field, `${label} deve ser maior que zero.`);
  if (rule.sign === 'nonNegative' && d.lt(0)) throw orderError(field, `${label} não pode ser negativo.`);
  if (rule.max !== undefined && d.gt(rule.max)) throw orderError(field, `${label} acima do máximo permitido (${rule.max}).`);
  return d;
}

/** Rounds to centavos (half up) as an integer. */
export function toCents(d: Dec): number {
  return d.mul(100).toDecimalPlaces(0, Decimal.ROUND_HALF_UP).toNumber();
}

export function centsToText(cents: number): string {
  const neg = cents < 0;
  const abs = Math.abs(cents);
  return `${neg ? '-' : ''}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')}`;
}

export function textToCents(text: string | undefined): number {
  return text ? toCents(new D(text)) : 0;
}

export function fixed(d: Dec, places: number): string {
  return d.toFixed(places, Decimal.ROUND_HALF_UP);
}

/** Decimal text with between `min` and `max` places (keeps what the user typed, pads to min). */
export function scaled(d: Dec, min: number, max: number): string {
  const places = Math.min(max, Math.max(min, d.decimalPlaces()));
  return d.toFixed(places, Decimal.ROUND_HALF_UP);
}

/**
 * Splits `total` centavos proportionally to `weights` (largest remainder, ties to the first
 * item), so the parts always add up to the total exactly — SEFAZ checks Σ vDesc = vDesc total.
 */
export function apportion(total: number, weights: number[]): number[] {
  const sum = weights.reduce((a, b) => a + b, 0);
  if (total === 0 || sum === 0) return weights.map(() => 0);
  const raw = weights.map((w) => new D(total).mul(w).div(sum));
  const parts = raw.map((r) => r.floor().toNumber());
  let left = total - parts.reduce((a, b) => a + b, 0);
  const order = raw.map((r, i) => ({ i, frac: r.minus(r.floor()) })).sort((a, b) => b.frac.cmp(a.frac) || a.i - b.i);
  for (let k = 0; left > 0; k = (k + 1) % order.length, left--) parts[order[k]!.i]! += 1;
  return parts;
}

/** Discount in centavos over `baseCents` (and `quantity` for per-liter discounts). */
export function discountCents(discount: Discount | undefined, baseCents: number, field: string, quantity?: Dec): number {
  if (!discount) return 0;
  const forms = (['valor', 'percentual', 'porLitro'] as const).filter((k) => discount[k] !== undefined);
  if (forms.length !== 1) throw orderError(field, `Informe uma única forma de desconto em ${field} (valor, percentual ou porLitro).`);
  const form = forms[0]!;
  if (form === 'valor') return toCents(parseDecimal(discount.valor, `${field}.valor`, { maxDecimals: 2, sign: 'nonNegative' }));
  if (form === 'percentual') {
    const pct = parseDecimal(discount.percentual, `${field}.percentual`, { maxDecimals: 4, sign: 'nonNegative', max: '100' });
    return toCents(new D(baseCents).div(100).mul(pct).div(100));
  }
  if (!quantity) throw orderError(field, `Desconto por litro só vale para itens (${field}).`);
  const perLiter = parseDecimal(discount.porLitro, `${field}.porLitro`, { maxDecimals: 4, sign: 'nonNegative' });
  return toCents(quantity.mul(perLiter));
}

import { invalidInput } from '../core/errors';
import { MAX_NUMBER, type DocModel, type LockPurpose, type NumberState, type SeriesKey } from '../core/numbering/protocol';

/**
 * Readers for message fields. Everything that arrives over the socket is `unknown` until
 * one of these has looked at it; each failure names the field in pt-BR.
 */
export type Obj = Record<string, unknown>;

export function obj(value: unknown, field = 'data'): Obj {
  if (value === undefined || value === null) return {};
  if (typeof value !== 'object' || Array.isArray(value)) throw invalidInput(`O campo "${field}" deve ser um objeto.`, field);
  return value as Obj;
}

export function str(o: Obj, field: string, opts: { max?: number; optional?: false; min?: number }): string;
export function str(o: Obj, field: string, opts: { max?: number; optional: true; min?: number }): string | undefined;
export function str(o: Obj, field: string, opts: { max?: number; optional?: boolean; min?: number } = {}): string | undefined {
  const v = o[field];
  if (v === undefined || v === null) {
    if (opts.optional) return undefined;
    throw invalidInput(`Falta o campo "${field}".`, field);
  }
  if (typeof v !== 'string') throw invalidInput(`O campo "${field}" deve ser texto.`, field);
  const t = v.trim();
  if (t.length < (opts.min ?? 1)) throw invalidInput(`O campo "${field}" está vazio ou curto demais.`, field);
  if (t.length > (opts.max ?? 200)) throw invalidInput(`O campo "${field}" é longo demais (máximo ${opts.max ?? 200} caracteres).`, field);
  return t;
}

export function int(o: Obj, field: string, opts: { min?: number; max?: number; optional?: false }): number;
export function int(o: Obj, field: string, opts: { min?: number; max?: number; optional: true }): number | undefined;
export function int(o: Obj, field: string, opts: { min?: number; max?: number; optional?: boolean } = {}): number | undefined {
  const v = o[field];
  if (v === undefined || v === null) {
    if (opts.optional) return undefined;
    throw invalidInput(`Falta o campo "${field}".`, field);
  }
  const min = opts.min ?? 0;
  const max = opts.max ?? Number.MAX_SAFE_INTEGER;
  if (typeof v !== 'number' || !Number.isSafeInteger(v) || v < min || v > max) {
    throw invalidInput(`O campo "${field}" deve ser um número inteiro entre ${min} e ${max}.`, field);
  }
  return v;
}

export function bool(o: Obj, field: string, optional: true): boolean | undefined;
export function bool(o: Obj, field: string, optional?: false): boolean;
export function bool(o: Obj, field: string, optional = false): boolean | undefined {
  const v = o[field];
  if (v === undefined || v === null) {
    if (optional) return undefined;
    throw invalidInput(`Falta o campo "${field}".`, field);
  }
  if (typeof v !== 'boolean') throw invalidInput(`O campo "${field}" deve ser verdadeiro ou falso.`, field);
  return v;
}

export function oneOf<T extends string>(o: Obj, field: string, values: readonly T[]): T {
  const v = o[field];
  if (typeof v !== 'string' || !values.includes(v as T)) {
    throw invalidInput(`O campo "${field}" deve ser um destes: ${values.join(', ')}.`, field);
  }
  return v as T;
}

const CNPJ_RE = /^[0-9A-Z]{12}[0-9]{2}$/;

export function seriesKey(value: unknown, field = 'series'): SeriesKey {
  const o = obj(value, field);
  if (value === undefined || value === null) throw invalidInput(`Falta o campo "${field}".`, field);
  const cnpj = typeof o.cnpj === 'string' ? o.cnpj.trim().toUpperCase() : '';
  if (!CNPJ_RE.test(cnpj)) throw invalidInput('CNPJ inválido: 14 caracteres (12 letras ou dígitos e 2 dígitos verificadores).', `${field}.cnpj`);
  const model = o.model;
  if (model !== 55 && model !== 57) throw invalidInput('Modelo inválido: use 55 (NF-e) ou 57 (CT-e).', `${field}.model`);
  const serie = o.serie;
  if (typeof serie !== 'number' || !Number.isInteger(serie) || serie < 0 || serie > 999) throw invalidInput('Série inválida: use um número de 0 a 999.', `${field}.serie`);
  return { cnpj, model: model as DocModel, serie };
}

export function docNumber(o: Obj, field: string): number {
  return int(o, field, { min: 1, max: MAX_NUMBER });
}

export const NUMBER_STATES: readonly NumberState[] = ['allocated', 'transmitted', 'authorized', 'denied', 'cancelled', 'abandoned', 'inutilizada', 'imported'];
export const LOCK_PURPOSES: readonly LockPurpose[] = ['NF', 'OC'];

/** A lock fencing token as the server issues it (opaque text). */
export function lockToken(o: Obj, field: string): string {
  return str(o, field, { max: 100 });
}

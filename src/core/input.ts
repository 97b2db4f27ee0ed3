import { invalidInput } from './errors';

/**
 * Readers for untrusted input (LAN messages, Api params). Everything that arrives is
 * `unknown` until one of these has looked at it; each failure names the field in pt-BR.
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

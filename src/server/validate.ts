import { invalidInput } from '../core/errors';
import { int, obj, str, type Obj } from '../core/input';
import { MAX_NUMBER, type DocModel, type LockPurpose, type NumberState, type SeriesKey } from '../core/numbering/protocol';

export { bool, int, obj, oneOf, str, type Obj } from '../core/input';

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

import { invalidInput } from '../../errors';
import { obj, oneOf, str, type Obj } from '../../input';
import { CONTINGENCY_OPTIONS, DEFAULT_PRIORITY, type ContingencyOption } from './engine';

/**
 * The per-UF contingency state every station of an office shares through the LAN server
 * (issue #20, the seed's "a contingência é definida por UF e não por empresa"), and the
 * priority order of each establishment. Types and the one input schema per message, used by
 * the server's handlers and by the workstation's Api alike.
 */

export type DocKind = 'nfe' | 'cte';
export const DOC_KINDS: readonly DocKind[] = ['nfe', 'cte'];
export const UFS: readonly string[] = 'AC AL AM AP BA CE DF ES GO MA MG MS MT PA PB PE PI PR RJ RN RO RR RS SC SE SP TO'.split(' ');

export type { PriorityDto, UfContingencyDto } from '../../../shared/api/contingency';
import type { PriorityDto, UfContingencyDto } from '../../../shared/api/contingency';

/** Pushed to every connected station whenever a UF enters or leaves contingency. */
export interface ContingencyChangedEvent {
  states: UfContingencyDto[];
}

export interface ContingencyMessages {
  'contingency.list': { params: Record<string, never>; result: UfContingencyDto[] };
  'contingency.report': { params: { uf: string; model: DocKind; reason: string; at?: string }; result: { entered: boolean; state: UfContingencyDto } };
  'contingency.normal': { params: { uf: string; model: DocKind; cStat: string; xMotivo: string }; result: { left: boolean; state: UfContingencyDto | null } };
  'contingency.enter': { params: { uf: string; model: DocKind; xJust: string }; result: UfContingencyDto };
  'contingency.leave': { params: { uf: string; model: DocKind; xJust: string }; result: { left: boolean; state: UfContingencyDto | null } };
  'contingency.priority.get': { params: { cnpj: string }; result: PriorityDto };
  'contingency.priority.set': { params: { cnpj: string; model: DocKind; options: ContingencyOption[] }; result: PriorityDto };
}

function uf(o: Obj): string {
  const v = str(o, 'uf', { max: 2, min: 2 }).toUpperCase();
  if (!UFS.includes(v)) throw invalidInput(`UF desconhecida: ${v}.`, 'uf');
  return v;
}

function model(o: Obj): DocKind {
  return oneOf(o, 'model', DOC_KINDS);
}

/** xJust of a manual entry or exit: 15–256 characters (the contingency xJust of the layout). */
export function xJust(o: Obj, field = 'xJust'): string {
  const v = o[field];
  const t = typeof v === 'string' ? v.trim().replace(/\s+/g, ' ') : '';
  if (t.length < 15) throw invalidInput(`Informe a justificativa (de 15 a 256 caracteres; tem ${t.length}).`, field);
  if (t.length > 256) throw invalidInput(`A justificativa tem ${t.length} caracteres; o máximo é 256.`, field);
  return t;
}

export function cnpj(o: Obj): string {
  const v = str(o, 'cnpj', { max: 14, min: 14 }).toUpperCase();
  if (!/^[0-9A-Z]{12}[0-9]{2}$/.test(v)) throw invalidInput('CNPJ inválido: 14 caracteres.', 'cnpj');
  return v;
}

/**
 * A priority order: known options, no repeats, at least one; FS-DA only for NF-e (CT-e 4.00
 * has none); "nenhuma", when present, is the last (nothing after it would ever be tried).
 */
export function priorityList(value: unknown, kind: DocKind, field = 'options'): ContingencyOption[] {
  if (!Array.isArray(value) || value.length === 0 || value.length > CONTINGENCY_OPTIONS.length) {
    throw invalidInput('Informe a ordem de prioridade: de 1 a 4 opções (svc, epec, fsda, nenhuma).', field);
  }
  const list = value.map((v) => (typeof v === 'string' ? v.trim().toLowerCase() : ''));
  for (const v of list) {
    if (!(CONTINGENCY_OPTIONS as readonly string[]).includes(v)) throw invalidInput(`Opção de contingência desconhecida: ${String(v).slice(0, 20)}.`, field);
    if (kind === 'cte' && v === 'fsda') throw invalidInput('FS-DA não existe para CT-e: use SVC, EPEC ou Nenhuma.', field);
  }
  if (new Set(list).size !== list.length) throw invalidInput('Cada opção aparece uma vez só na ordem de prioridade.', field);
  const none = list.indexOf('nenhuma');
  if (none !== -1 && none !== list.length - 1) throw invalidInput('"Nenhuma" encerra a ordem: deve ser a última opção.', field);
  return list as ContingencyOption[];
}

/** One schema per message (the server's boundary; the workstation's Api reuses them). */
export const contingencySchemas = {
  'contingency.list': (_data: unknown) => ({}),
  'contingency.report': (data: unknown) => {
    const o = obj(data);
    return { uf: uf(o), model: model(o), reason: str(o, 'reason', { max: 500 }) };
  },
  'contingency.normal': (data: unknown) => {
    const o = obj(data);
    const cStat = str(o, 'cStat', { max: 3, min: 3 });
    if (cStat !== '107') throw invalidInput('Só a resposta 107 (serviço em operação) encerra a contingência.', 'cStat');
    return { uf: uf(o), model: model(o), cStat, xMotivo: str(o, 'xMotivo', { max: 255 }) };
  },
  'contingency.enter': (data: unknown) => {
    const o = obj(data);
    return { uf: uf(o), model: model(o), xJust: xJust(o) };
  },
  'contingency.leave': (data: unknown) => {
    const o = obj(data);
    return { uf: uf(o), model: model(o), xJust: xJust(o) };
  },
  'contingency.priority.get': (data: unknown) => ({ cnpj: cnpj(obj(data)) }),
  'contingency.priority.set': (data: unknown) => {
    const o = obj(data);
    const m = model(o);
    return { cnpj: cnpj(o), model: m, options: priorityList(o.options, m) };
  },
} as const satisfies Record<keyof ContingencyMessages, (data: unknown) => unknown>;

export function defaultPriority(c: string): PriorityDto {
  return { cnpj: c, nfe: [...DEFAULT_PRIORITY.nfe], cte: [...DEFAULT_PRIORITY.cte], configured: false, updatedAt: null, updatedBy: null };
}

export { CONTINGENCY_OPTION_LABELS as OPTION_LABELS } from '../../../shared/api/contingency';

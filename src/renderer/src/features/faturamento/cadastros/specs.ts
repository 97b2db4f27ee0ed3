import type { RegistryKind } from '../../../../../shared/api/index';
import { formatDocumento } from '../../../../../shared/format';
import { UFS } from '../../../lib/fiscal-options';

/** One input of a registry form; `path` may be nested ("endereco.uf"). */
export interface FieldSpec {
  path: string;
  label: string;
  required?: boolean;
  options?: { value: string; label: string }[];
  /** Options loaded from another registry (the vehicle's or driver's carrier). */
  carrier?: boolean;
  hint?: string;
  maxLength?: number;
  number?: boolean;
}

export interface RegistrySpec {
  kind: RegistryKind;
  /** Tab label and the "Novo …" button. */
  label: string;
  one: string;
  /** Feminine noun ("Nova transportadora", "salva"). */
  fem?: boolean;
  columns: { label: string; value(r: Record<string, unknown>): string }[];
  fields: FieldSpec[];
  /** A new record starts with these. */
  blank: Record<string, unknown>;
}

const ufOptions = [{ value: '', label: '—' }, ...UFS.map((u) => ({ value: u, label: u }))];
const get = (r: Record<string, unknown>, path: string): unknown => path.split('.').reduce<unknown>((o, k) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[k] : undefined), r);
const str = (v: unknown) => (v === null || v === undefined ? '' : String(v));

export function valueAt(r: Record<string, unknown>, path: string): string {
  return str(get(r, path));
}

export const SPECS: RegistrySpec[] = [
  {
    kind: 'clientes',
    label: 'Clientes',
    one: 'cliente',
    columns: [
      { label: 'Nome', value: (r) => str(r.nome) },
      { label: 'CNPJ/CPF', value: (r) => formatDocumento(str(r.documento)) },
      { label: 'IE', value: (r) => str(r.ie) || '—' },
      { label: 'Município', value: (r) => `${valueAt(r, 'endereco.municipio')}/${valueAt(r, 'endereco.uf')}` },
    ],
    fields: [
      { path: 'documento', label: 'CNPJ/CPF do cliente', required: true },
      { path: 'nome', label: 'Nome ou razão social', required: true, maxLength: 60 },
      {
        path: 'indIEDest',
        label: 'Contribuinte do ICMS',
        number: true,
        options: [
          { value: '1', label: '1 – Contribuinte (tem IE)' },
          { value: '2', label: '2 – Isento de IE' },
          { value: '9', label: '9 – Não contribuinte' },
        ],
      },
      { path: 'ie', label: 'Inscrição estadual do cliente' },
      { path: 'email', label: 'E-mail' },
      { path: 'endereco.logradouro', label: 'Logradouro', required: true },
      { path: 'endereco.numero', label: 'Número', required: true },
      { path: 'endereco.bairro', label: 'Bairro', required: true },
      { path: 'endereco.cMun', label: 'Código IBGE do município', required: true, hint: '7 dígitos' },
      { path: 'endereco.municipio', label: 'Município', required: true },
      { path: 'endereco.uf', label: 'UF', required: true, options: ufOptions },
      { path: 'endereco.cep', label: 'CEP', required: true },
    ],
    blank: { indIEDest: 1, endereco: {} },
  },
  {
    kind: 'produtos',
    label: 'Produtos',
    one: 'produto',
    columns: [
      { label: 'Código', value: (r) => str(r.codigo) },
      { label: 'Descrição', value: (r) => str(r.descricao) },
      { label: 'NCM', value: (r) => str(r.ncm) },
      { label: 'ANP', value: (r) => str(r.cProdANP) || '—' },
      { label: 'Tributação por UF', value: (r) => Object.keys((r.tributacaoUf as Record<string, unknown>) ?? {}).join(', ') || '—' },
    ],
    fields: [
      { path: 'codigo', label: 'Código do produto', required: true },
      { path: 'descricao', label: 'Descrição', required: true, maxLength: 120 },
      { path: 'ncm', label: 'NCM', required: true, hint: '8 dígitos' },
      { path: 'cest', label: 'CEST', hint: '7 dígitos, se houver' },
      { path: 'unidade', label: 'Unidade', required: true },
      { path: 'cProdANP', label: 'Código ANP', hint: '9 dígitos (combustíveis)' },
      { path: 'descANP', label: 'Descrição ANP', hint: 'como na tabela da ANP' },
      { path: 'precoUnitario', label: 'Preço unitário (R$)', required: true },
      { path: 'adRemICMS', label: 'Alíquota ad rem do ICMS (R$/L)' },
      { path: 'pBio', label: 'Biodiesel (%)' },
    ],
    blank: { unidade: 'L', tributacaoUf: {} },
  },
  {
    kind: 'transportadoras',
    label: 'Transportadoras',
    one: 'transportadora',
    fem: true,
    columns: [
      { label: 'Nome', value: (r) => str(r.nome) },
      { label: 'CNPJ/CPF', value: (r) => formatDocumento(str(r.documento)) },
      { label: 'IE', value: (r) => str(r.ie) || '—' },
      { label: 'UF', value: (r) => str(r.uf) || '—' },
      { label: 'RNTC', value: (r) => str(r.rntc) || '—' },
    ],
    fields: [
      { path: 'documento', label: 'CNPJ/CPF da transportadora', required: true },
      { path: 'nome', label: 'Nome da transportadora', required: true, maxLength: 60 },
      { path: 'ie', label: 'Inscrição estadual da transportadora', hint: 'exige a UF' },
      { path: 'uf', label: 'UF da transportadora', options: ufOptions },
      { path: 'municipio', label: 'Município da transportadora' },
      { path: 'rntc', label: 'RNTC' },
    ],
    blank: {},
  },
  {
    kind: 'veiculos',
    label: 'Veículos',
    one: 'veículo',
    columns: [
      { label: 'Placa', value: (r) => str(r.placa) },
      { label: 'UF', value: (r) => str(r.uf) },
      { label: 'Descrição', value: (r) => str(r.descricao) || '—' },
      { label: 'RNTC', value: (r) => str(r.rntc) || '—' },
    ],
    fields: [
      { path: 'placa', label: 'Placa do veículo', required: true, hint: 'ABC1234 ou ABC1D23' },
      { path: 'uf', label: 'UF da placa', required: true, options: ufOptions },
      { path: 'descricao', label: 'Descrição do veículo' },
      { path: 'rntc', label: 'RNTC do veículo' },
      { path: 'carrierId', label: 'Transportadora do veículo', carrier: true },
    ],
    blank: {},
  },
  {
    kind: 'motoristas',
    label: 'Motoristas',
    one: 'motorista',
    columns: [
      { label: 'Nome', value: (r) => str(r.nome) },
      { label: 'CPF', value: (r) => formatDocumento(str(r.cpf)) },
      { label: 'CNH', value: (r) => str(r.cnh) || '—' },
    ],
    fields: [
      { path: 'nome', label: 'Nome do motorista', required: true, maxLength: 60 },
      { path: 'cpf', label: 'CPF do motorista', required: true },
      { path: 'cnh', label: 'CNH' },
      { path: 'carrierId', label: 'Transportadora do motorista', carrier: true },
    ],
    blank: {},
  },
];

/** The record with `path` set to `value` (a copy; nested objects copied along the way). */
export function setAt(r: Record<string, unknown>, path: string, value: unknown): Record<string, unknown> {
  const [head, ...rest] = path.split('.');
  if (rest.length === 0) return { ...r, [head!]: value };
  const inner = (r[head!] && typeof r[head!] === 'object' ? r[head!] : {}) as Record<string, unknown>;
  return { ...r, [head!]: setAt(inner, rest.join('.'), value) };
}

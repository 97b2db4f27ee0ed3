import type { CustomerDto, ProductDto } from '../../../shared/api/billing';
import { REGISTRY_PAGE_MAX, type CarrierDto, type DriverDto, type ProductUfTaxDto, type RegistryKind, type RegistryMethods, type RegistryRows, type VehicleDto } from '../../../shared/api/registry';
import { newId } from '../../../shared/ids';
import { invalidInput } from '../../errors';
import { isValidCnpj, isValidCpf, isValidIe } from '../../fiscal/documents';
import type { DomainHandlers, WorkstationContext } from '../context';
import type { Collection } from '../records';
import { saveCustomer } from './catalog';

/** Where each registry lives in the shared records, and the field it is listed by. */
const REGISTRIES: Record<RegistryKind, { collection: Collection; orderBy: string }> = {
  clientes: { collection: 'customers', orderBy: 'nome' },
  produtos: { collection: 'products', orderBy: 'descricao' },
  transportadoras: { collection: 'carriers', orderBy: 'nome' },
  veiculos: { collection: 'vehicles', orderBy: 'placa' },
  motoristas: { collection: 'drivers', orderBy: 'nome' },
};

const UFS = new Set('AC AL AP AM BA CE DF ES GO MA MT MS MG PA PB PR PE PI RJ RN RS SC SE SP TO'.split(' '));
const PLACA = /^([A-Z]{3}\d{4}|[A-Z]{3}\d[A-Z]\d{2})$/;
const DEC = (scale: number) => new RegExp(`^\\d{1,11}([.,]\\d{1,${scale}})?$`);

/** Input schema of registry.list. */
function listParams(p: unknown): { kind: RegistryKind; q: string; offset: number; limit: number; carrierId: string | null } {
  const o = (p ?? {}) as Record<string, unknown>;
  if (typeof o.kind !== 'string' || !Object.prototype.hasOwnProperty.call(REGISTRIES, o.kind)) throw invalidInput('Cadastro inválido.', 'kind');
  const q = typeof o.q === 'string' ? o.q.trim().slice(0, 100) : '';
  const offset = o.offset === undefined ? 0 : Number(o.offset);
  const limit = o.limit === undefined ? 50 : Number(o.limit);
  if (!Number.isInteger(offset) || offset < 0 || offset > 1_000_000) throw invalidInput('Página inválida.', 'offset');
  if (!Number.isInteger(limit) || limit < 1 || limit > REGISTRY_PAGE_MAX) throw invalidInput(`Peça de 1 a ${REGISTRY_PAGE_MAX} registros por página.`, 'limit');
  const carrierId = typeof o.carrierId === 'string' && o.carrierId ? o.carrierId.slice(0, 100) : null;
  return { kind: o.kind as RegistryKind, q, offset, limit, carrierId };
}

const text = (v: unknown, max: number, field: string, label: string, required = true): string | null => {
  const s = typeof v === 'string' ? v.trim() : '';
  if (!s) {
    if (required) throw invalidInput(`Informe ${label}.`, field);
    return null;
  }
  if (s.length > max) throw invalidInput(`${label[0]!.toUpperCase()}${label.slice(1)} tem ${s.length} caracteres; o máximo é ${max}.`, field);
  return s;
};
const digitsOf = (v: unknown) => String(v ?? '').replace(/[.\-/\s]/g, '').toUpperCase();
const uf = (v: unknown, field: string, label: string, required: boolean): string | null => {
  const s = typeof v === 'string' ? v.trim().toUpperCase() : '';
  if (!s) {
    if (required) throw invalidInput(`Informe a UF ${label}.`, field);
    return null;
  }
  if (!UFS.has(s)) throw invalidInput(`UF ${label} inválida: "${s}".`, field);
  return s;
};

function carrier(r: Partial<CarrierDto>): CarrierDto {
  const documento = digitsOf(r.documento);
  if (documento.length === 11 ? !isValidCpf(documento) : !isValidCnpj(documento)) throw invalidInput('CNPJ ou CPF da transportadora inválido (confira os dígitos verificadores).', 'documento');
  const ufT = uf(r.uf, 'uf', 'da transportadora', false);
  const ie = text(r.ie, 14, 'ie', 'a inscrição estadual da transportadora', false);
  // #22 item 27: an IE without its UF would be dropped from the XML (rejeição 559).
  if (ie && !ufT) throw invalidInput('Inscrição estadual da transportadora sem a UF: informe a UF (rejeição 559).', 'uf');
  if (ie && ie.toUpperCase() !== 'ISENTO' && !isValidIe(ie, ufT!)) throw invalidInput(`Inscrição estadual da transportadora inválida para ${ufT}.`, 'ie');
  const rntc = text(r.rntc, 20, 'rntc', 'o RNTC', false);
  return { id: r.id || newId(), documento, nome: text(r.nome, 60, 'nome', 'o nome da transportadora')!, ie, uf: ufT, municipio: text(r.municipio, 60, 'municipio', 'o município da transportadora', false), rntc };
}

function vehicle(w: WorkstationContext, r: Partial<VehicleDto>): VehicleDto {
  const placa = String(r.placa ?? '').replace(/[^0-9A-Za-z]/g, '').toUpperCase();
  if (!PLACA.test(placa)) throw invalidInput(`Placa do veículo inválida: "${String(r.placa ?? '')}" (ABC1234 ou ABC1D23).`, 'placa');
  const carrierId = typeof r.carrierId === 'string' && r.carrierId ? r.carrierId : null;
  if (carrierId && !w.records.get('carriers', carrierId)) throw invalidInput('Transportadora do veículo não encontrada no cadastro.', 'carrierId');
  return { id: r.id || newId(), placa, uf: uf(r.uf, 'uf', 'da placa', true)!, rntc: text(r.rntc, 20, 'rntc', 'o RNTC', false), carrierId, descricao: text(r.descricao, 60, 'descricao', 'a descrição do veículo', false) };
}

function driver(w: WorkstationContext, r: Partial<DriverDto>): DriverDto {
  const cpf = digitsOf(r.cpf);
  if (!isValidCpf(cpf)) throw invalidInput('CPF do motorista inválido (confira os dígitos verificadores).', 'cpf');
  const carrierId = typeof r.carrierId === 'string' && r.carrierId ? r.carrierId : null;
  if (carrierId && !w.records.get('carriers', carrierId)) throw invalidInput('Transportadora do motorista não encontrada no cadastro.', 'carrierId');
  const cnh = text(r.cnh, 11, 'cnh', 'a CNH', false);
  if (cnh && !/^\d{9,11}$/.test(cnh)) throw invalidInput('CNH do motorista: de 9 a 11 dígitos.', 'cnh');
  return { id: r.id || newId(), nome: text(r.nome, 60, 'nome', 'o nome do motorista')!, cpf, cnh, carrierId };
}

function product(r: Partial<RegistryRows['produtos']>): RegistryRows['produtos'] {
  const ncm = String(r.ncm ?? '').replace(/\D/g, '');
  if (!/^\d{8}$/.test(ncm)) throw invalidInput('NCM do produto: 8 dígitos.', 'ncm');
  const cProdANP = String(r.cProdANP ?? '').replace(/\D/g, '') || null;
  if (cProdANP && !/^\d{9}$/.test(cProdANP)) throw invalidInput('Código ANP do produto: 9 dígitos (tabela da ANP).', 'cProdANP');
  const cest = String(r.cest ?? '').replace(/\D/g, '') || null;
  if (cest && !/^\d{7}$/.test(cest)) throw invalidInput('CEST do produto: 7 dígitos.', 'cest');
  const preco = String(r.precoUnitario ?? '').trim();
  if (!DEC(10).test(preco)) throw invalidInput('Preço unitário do produto inválido (até 10 casas decimais).', 'precoUnitario');
  const adRem = String(r.adRemICMS ?? '').trim() || null;
  if (adRem && !DEC(4).test(adRem)) throw invalidInput('Alíquota ad rem do ICMS (R$/L) inválida (até 4 casas decimais).', 'adRemICMS');
  const pBio = String(r.pBio ?? '').trim() || null;
  if (pBio && !DEC(4).test(pBio)) throw invalidInput('Percentual de biodiesel inválido.', 'pBio');
  const tributacaoUf: Record<string, ProductUfTaxDto> = {};
  for (const [k, t] of Object.entries(r.tributacaoUf ?? {})) {
    const u = uf(k, `tributacaoUf.${k}`, 'da tributação', true)!;
    const cst = String(t?.cstICMS ?? '').trim() || null;
    if (cst && !/^\d{2,3}$/.test(cst)) throw invalidInput(`CST do ICMS para ${u}: 2 dígitos (ou CSOSN, 3).`, `tributacaoUf.${u}.cstICMS`);
    const ar = String(t?.adRemICMS ?? '').trim() || null;
    if (ar && !DEC(4).test(ar)) throw invalidInput(`Alíquota ad rem do ICMS para ${u} inválida (até 4 casas decimais).`, `tributacaoUf.${u}.adRemICMS`);
    tributacaoUf[u] = { cstICMS: cst, adRemICMS: ar };
  }
  return {
    id: r.id || newId(),
    codigo: text(r.codigo, 60, 'codigo', 'o código do produto')!,
    descricao: text(r.descricao, 120, 'descricao', 'a descrição do produto')!,
    ncm,
    unidade: text(r.unidade, 6, 'unidade', 'a unidade do produto')!,
    cest,
    cProdANP,
    descANP: cProdANP ? text(r.descANP, 95, 'descANP', 'a descrição ANP do produto') : null,
    precoUnitario: preco.replace(',', '.'),
    adRemICMS: adRem?.replace(',', '.') ?? null,
    pBio: pBio?.replace(',', '.') ?? null,
    tributacaoUf,
  };
}

/**
 * Cadastros: paged reads through the station's replica (SQL LIMIT/OFFSET, #22 item 17; the
 * LAN server's records.search has no registry targets yet), one checked record per save.
 */
export function registryHandlers(w: WorkstationContext): DomainHandlers<RegistryMethods> {
  return {
    'registry.list': (params, ctx) => {
      w.sessions.require(ctx, 'faturista', 'expedicao');
      const p = listParams(params);
      const reg = REGISTRIES[p.kind];
      // Vehicles/drivers of one carrier: the carrier id is in the record's JSON.
      const textQ = p.carrierId ? `"carrierid":"${p.carrierId.toLowerCase()}"` : p.q;
      let rows = w.records.page<RegistryRows[RegistryKind]>(reg.collection, { text: textQ, orderBy: reg.orderBy, limit: p.limit + 1, offset: p.offset });
      if (p.carrierId && p.q) rows = rows.filter((r) => JSON.stringify(r).toLowerCase().includes(p.q.toLowerCase()));
      const more = rows.length > p.limit;
      return { rows: rows.slice(0, p.limit), next: more ? p.offset + p.limit : null };
    },
    'registry.save': (params, ctx) => {
      const me = w.sessions.require(ctx, 'faturista');
      const o = (params ?? {}) as { kind?: unknown; record?: unknown };
      if (typeof o.kind !== 'string' || !Object.prototype.hasOwnProperty.call(REGISTRIES, o.kind)) throw invalidInput('Cadastro inválido.', 'kind');
      if (!o.record || typeof o.record !== 'object') throw invalidInput('Registro inválido.', 'record');
      const kind = o.kind as RegistryKind;
      if (kind === 'clientes') return saveCustomer(w, o.record as CustomerDto, me.user.login);
      const rec =
        kind === 'produtos'
          ? product(o.record as Partial<RegistryRows['produtos']>)
          : kind === 'transportadoras'
            ? carrier(o.record as Partial<CarrierDto>)
            : kind === 'veiculos'
              ? vehicle(w, o.record as Partial<VehicleDto>)
              : driver(w, o.record as Partial<DriverDto>);
      const collection = REGISTRIES[kind].collection;
      if (kind === 'transportadoras' || kind === 'veiculos') {
        // One carrier per CNPJ/CPF, one vehicle per plate: the order's picker finds them by it.
        const key = kind === 'transportadoras' ? (rec as CarrierDto).documento : (rec as VehicleDto).placa;
        const field = kind === 'transportadoras' ? 'documento' : 'placa';
        const twin = w.records.page<Record<string, unknown>>(collection, { text: key, orderBy: field, limit: 20, offset: 0 }).find((r) => r[field] === key && r.id !== rec.id);
        if (twin) throw invalidInput(kind === 'transportadoras' ? `Já existe a transportadora ${String(twin.nome)} com este CNPJ/CPF.` : `Já existe um veículo com a placa ${key}.`, field);
      }
      w.records.put(collection, rec.id, rec as unknown as Partial<ProductDto>);
      w.audit(me.user.login, `${collection}.save`, `Cadastro de ${kind}: ${'nome' in rec ? rec.nome : 'placa' in rec ? rec.placa : rec.descricao} salvo`);
      return w.records.get<RegistryRows[RegistryKind]>(collection, rec.id)!;
    },
  };
}

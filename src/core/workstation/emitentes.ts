import type { EmitenteDto, EstablishmentDto } from '../../shared/api/admin';
import { invalidInput } from '../errors';
import { isValidCnpj, isValidIe } from '../fiscal/documents';
import { int, obj } from '../input';
import type { WorkstationContext } from './context';
import { establishmentOf } from './handlers/catalog';

/**
 * The emitentes of the group: the establishment (NF-e and, when it carries itself, CT-e) and
 * the others kept in the replicated `emitentes` collection, one record per CNPJ — typically
 * the distributor's own transport company, which emits the CT-e of the deliveries.
 * A handful of records: the list is read whole.
 */
export const EMITENTES = 'emitentes';

const UFS = new Set('AC AL AM AP BA CE DF ES GO MA MG MS MT PA PB PE PI PR RJ RN RO RR RS SC SE SP TO'.split(' '));

export const normalizeCnpj = (v: unknown): string => String(v ?? '').replace(/[.\-/\s]/g, '').toUpperCase();

/** The establishment as an emitente: its fiscal data only (never the responsável técnico's CSRT). */
function principal(est: EstablishmentDto): EmitenteDto & { principal: boolean } {
  const { respTec: _respTec, ...data } = est;
  return { ...data, rntrc: null, principal: true };
}

/** Another emitente by CNPJ (not the establishment), or null. */
export function otherEmitente(w: WorkstationContext, cnpj: string): EmitenteDto | null {
  return w.records.get<EmitenteDto>(EMITENTES, normalizeCnpj(cnpj));
}

/** The emitente of a CNPJ: the establishment's own data, or another emitente's. */
export function emitenteByCnpj(w: WorkstationContext, cnpj: string): (EmitenteDto & { principal: boolean }) | null {
  const key = normalizeCnpj(cnpj);
  const est = establishmentOf(w);
  if (est && est.cnpj === key) return principal(est);
  const other = otherEmitente(w, key);
  return other ? { ...other, principal: false } : null;
}

/** The establishment first, then the other emitentes by name. */
export function allEmitentes(w: WorkstationContext): (EmitenteDto & { principal: boolean })[] {
  const est = establishmentOf(w);
  const others = w.records
    .list<EmitenteDto>(EMITENTES)
    .filter((e) => e.cnpj !== est?.cnpj)
    .sort((a, b) => a.razaoSocial.localeCompare(b.razaoSocial, 'pt-BR'));
  return [...(est ? [principal(est)] : []), ...others.map((e) => ({ ...e, principal: false }))];
}

function text(o: Record<string, unknown>, field: string, label: string, max: number, path = field, optional = false): string {
  const v = o[field];
  const t = typeof v === 'string' ? v.trim() : '';
  if (!t && optional) return '';
  if (!t || t.length > max) throw invalidInput(`${label}: informe até ${max} caracteres.`, path);
  return t;
}

/**
 * Input schema of emitentes.save (the establishment's fields plus RNTRC): CNPJ with its check
 * digits, IE valid for the UF, IBGE code, CEP. Returns the record as stored.
 */
function checkEstablishment(p: unknown): EstablishmentDto {
  const o = obj(p, 'params');
  const cnpj = normalizeCnpj(o.cnpj);
  if (!isValidCnpj(cnpj)) throw invalidInput('CNPJ inválido (confira os dígitos verificadores).', 'cnpj');
  const e = obj(o.endereco, 'endereco');
  const uf = String(e.uf ?? '');
  if (!UFS.has(uf)) throw invalidInput('UF inválida.', 'endereco.uf');
  const ie = String(o.ie ?? '').replace(/[^0-9A-Za-z]/g, '').toUpperCase();
  if (!isValidIe(ie, uf)) throw invalidInput(`Inscrição estadual inválida para ${uf}.`, 'ie');
  const cMun = String(e.cMun ?? '');
  if (!/^\d{7}$/.test(cMun)) throw invalidInput('Código IBGE do município deve ter 7 dígitos.', 'endereco.cMun');
  const cep = String(e.cep ?? '').replace(/\D/g, '');
  if (!/^\d{8}$/.test(cep)) throw invalidInput('CEP deve ter 8 dígitos.', 'endereco.cep');
  const crt = int(o, 'crt', { min: 1, max: 3 }) as 1 | 2 | 3;
  const fone = String(e.fone ?? '').replace(/\D/g, '');
  if (fone && !/^\d{6,14}$/.test(fone)) throw invalidInput('Telefone inválido (6 a 14 dígitos).', 'endereco.fone');
  return {
    cnpj,
    razaoSocial: text(o, 'razaoSocial', 'Razão social', 60),
    nomeFantasia: text(o, 'nomeFantasia', 'Nome fantasia', 60, 'nomeFantasia', true),
    ie,
    crt,
    endereco: {
      logradouro: text(e, 'logradouro', 'Logradouro', 60, 'endereco.logradouro'),
      numero: text(e, 'numero', 'Número', 60, 'endereco.numero'),
      bairro: text(e, 'bairro', 'Bairro', 60, 'endereco.bairro'),
      cMun,
      municipio: text(e, 'municipio', 'Município', 60, 'endereco.municipio'),
      uf,
      cep,
      fone: fone || null,
    },
  };
}

export function checkEmitente(p: unknown): EmitenteDto {
  const base = checkEstablishment(p);
  const rntrc = String(obj(p, 'params').rntrc ?? '').replace(/\D/g, '');
  if (rntrc && !/^\d{8}$/.test(rntrc)) throw invalidInput('RNTRC deve ter 8 dígitos (registro na ANTT).', 'rntrc');
  return { ...base, rntrc: rntrc || null };
}

/** Input schema of emitentes.installCertificate. */
export function checkCertificateInstall(p: unknown): { cnpj: string; pfxBase64: string; password: string } {
  const o = obj(p, 'params');
  const cnpj = normalizeCnpj(o.cnpj);
  if (!isValidCnpj(cnpj)) throw invalidInput('CNPJ do emitente inválido.', 'cnpj');
  const pfxBase64 = typeof o.pfxBase64 === 'string' ? o.pfxBase64 : '';
  if (!pfxBase64 || pfxBase64.length > 200_000 || !/^[A-Za-z0-9+/]+={0,2}$/.test(pfxBase64)) throw invalidInput('Escolha o arquivo do certificado (.pfx ou .p12).', 'pfx');
  const password = typeof o.password === 'string' ? o.password : '';
  if (password.length > 200) throw invalidInput('Senha do certificado longa demais.', 'password');
  return { cnpj, pfxBase64, password };
}

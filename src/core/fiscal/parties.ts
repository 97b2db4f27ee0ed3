import { checkIe, isAlphanumericCnpj, isValidCnpj, isValidCpf, onlyCnpjChars, onlyDigits } from './documents';
import { orderError } from './errors';
import type { Endereco, Local } from './model';
import type { OrderEndereco, OrderLocal } from './order';
import type { NfeLayout } from './schema-validate';
import { digitsField, optionalText, requiredText, UF_CODES } from './text';

/** Whose field it is, as the screens name the parties (issue #22, item 28). */
const PARTIES: Array<[string, string]> = [
  ['emitente', 'do emitente'],
  ['destinatario', 'do destinatário'],
  ['transporte.transportador', 'do transportador'],
  ['transporte.veiculo', 'do veículo'],
  ['transporte.reboques', 'do reboque'],
  ['transporte.retencaoIcms', 'da retenção do ICMS do frete'],
  ['entrega', 'do local de entrega'],
  ['retirada', 'do local de retirada'],
  ['autorizadosXml', 'do autorizado a obter o XML'],
  ['referencias', 'do documento referenciado'],
];

export function partyOf(field: string): string {
  return PARTIES.find(([prefix]) => field === prefix || field.startsWith(`${prefix}.`) || field.startsWith(`${prefix}[`))?.[1] ?? `(${field})`;
}

export function ufField(value: unknown, field: string): string {
  const uf = typeof value === 'string' ? value.trim().toUpperCase() : '';
  if (!UF_CODES[uf]) throw orderError(field, `UF ${partyOf(field)} inválida: "${String(value ?? '')}" (campo ${field}).`);
  return uf;
}

export function endereco(e: OrderEndereco | undefined, field: string, emitente: boolean): Endereco {
  if (!e || typeof e !== 'object') throw orderError(field, `Informe o endereço ${partyOf(field)} (${field}).`);
  const UF = ufField(e.uf, `${field}.uf`);
  const cMun = digitsField(e.codigoMunicipio, `${field}.codigoMunicipio`, /^\d{7}$/, 'Código IBGE do município');
  if (cMun.slice(0, 2) !== UF_CODES[UF]) {
    throw orderError(`${field}.codigoMunicipio`, `Município ${partyOf(field)} (código IBGE ${cMun}) não pertence à UF ${UF} (campo ${field}.codigoMunicipio).`);
  }
  const cep = e.cep === undefined ? undefined : digitsField(e.cep, `${field}.cep`, /^\d{8}$/, 'CEP');
  if (emitente && !cep) throw orderError(`${field}.cep`, 'O CEP do emitente é obrigatório.');
  const fone = e.telefone === undefined ? undefined : digitsField(e.telefone, `${field}.telefone`, /^\d{6,14}$/, 'Telefone');
  return {
    xLgr: requiredText(e.logradouro, `${field}.logradouro`, { min: 2, max: 60 }),
    nro: requiredText(e.numero, `${field}.numero`, { max: 60 }),
    xCpl: optionalText(e.complemento, `${field}.complemento`, { max: 60 }),
    xBairro: requiredText(e.bairro, `${field}.bairro`, { min: 2, max: 60 }),
    cMun,
    xMun: requiredText(e.municipio, `${field}.municipio`, { min: 2, max: 60 }),
    UF,
    CEP: cep,
    cPais: '1058',
    xPais: 'BRASIL',
    fone,
  };
}

export function cnpjField(value: unknown, field: string, layout: NfeLayout): string {
  const cnpj = onlyCnpjChars(String(value ?? ''));
  if (!isValidCnpj(cnpj)) throw orderError(field, `CNPJ ${partyOf(field)} inválido: "${String(value ?? '')}" (dígito verificador não confere; campo ${field}).`);
  if (layout === 'PL_009_V4' && isAlphanumericCnpj(cnpj)) {
    throw orderError(field, `CNPJ alfanumérico (${cnpj}) exige o leiaute PL_010_V1.30.`);
  }
  return cnpj;
}

export function cpfField(value: unknown, field: string): string {
  const cpf = onlyDigits(String(value ?? ''));
  if (!isValidCpf(cpf)) throw orderError(field, `CPF ${partyOf(field)} inválido: "${String(value ?? '')}" (dígito verificador não confere; campo ${field}).`);
  return cpf;
}

export function partyDoc(p: { cnpj?: string; cpf?: string }, field: string, layout: NfeLayout): { CNPJ?: string; CPF?: string } {
  if (p.cnpj !== undefined && p.cpf !== undefined) throw orderError(field, `Informe CNPJ ou CPF ${partyOf(field)}, não os dois (${field}).`);
  if (p.cnpj !== undefined) return { CNPJ: cnpjField(p.cnpj, `${field}.cnpj`, layout) };
  if (p.cpf !== undefined) return { CPF: cpfField(p.cpf, `${field}.cpf`) };
  throw orderError(field, `Informe o CNPJ ou o CPF ${partyOf(field)} (${field}).`);
}

export function ieField(ie: string, uf: string, field: string): string {
  const digits = ie.replace(/[.\-/\s]/g, '');
  if (checkIe(digits, uf) === 'invalid') throw orderError(field, `Inscrição estadual ${partyOf(field)} inválida para ${uf}: "${ie}" (campo ${field}).`);
  return digits;
}

/** entrega / retirada (TLocal): a place with its own CNPJ/CPF and address. */
export function local(l: OrderLocal | undefined, field: string, layout: NfeLayout): Local | undefined {
  if (l === undefined) return undefined;
  const end = endereco(l.endereco, `${field}.endereco`, false);
  return {
    ...partyDoc(l, field, layout),
    xNome: optionalText(l.nome, `${field}.nome`, { min: 2, max: 60 }),
    ...end,
    IE: l.ie === undefined ? undefined : ieField(l.ie, end.UF, `${field}.ie`),
  };
}

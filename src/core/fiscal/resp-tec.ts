import { createHash } from 'node:crypto';
import { orderError } from './errors';
import type { InfRespTec } from './model';
import { requiredText } from './text';

/**
 * The responsável técnico (the software house) as the establishment's settings keep it
 * (NT 2018.005 grupo ZD). The CSRT is a token the SEFAZ of some UFs issues to the software
 * house; where it does, idCSRT and hashCSRT go with every note (rejection 972/973 family).
 */
export interface RespTecSetting {
  cnpj: string;
  contato: string;
  email: string;
  fone: string;
  /** idCSRT (2 digits) and the token, only where the emitente's UF issued one. */
  csrt?: { id: string; token: string } | null;
}

/** hashCSRT: base64(SHA-1(CSRT + chave de acesso)), NT 2018.005. */
export function hashCsrt(token: string, chave: string): string {
  return createHash('sha1').update(token + chave, 'utf8').digest('base64');
}

/** The infRespTec group for one note; field paths name the setting as Administração shows it. */
export function respTecGroup(s: RespTecSetting, chave: string): InfRespTec {
  const f = 'responsavelTecnico';
  const cnpj = String(s.cnpj ?? '').replace(/[.\-/\s]/g, '').toUpperCase();
  if (!/^[0-9A-Z]{12}\d{2}$/.test(cnpj)) throw orderError(`${f}.cnpj`, 'CNPJ do responsável técnico inválido (Administração › Estabelecimento).');
  const fone = String(s.fone ?? '').replace(/\D/g, '');
  if (!/^\d{6,14}$/.test(fone)) throw orderError(`${f}.fone`, 'Telefone do responsável técnico deve ter DDD e número (6 a 14 dígitos).');
  const email = requiredText(s.email, `${f}.email`, { min: 6, max: 60 });
  if (!/^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(email)) throw orderError(`${f}.email`, `E-mail do responsável técnico inválido: "${email}".`);
  const group: InfRespTec = { CNPJ: cnpj, xContato: requiredText(s.contato, `${f}.contato`, { min: 2, max: 60 }), email, fone };
  if (s.csrt) {
    if (!/^\d{2}$/.test(String(s.csrt.id ?? ''))) throw orderError(`${f}.csrt.id`, 'Identificador do CSRT (idCSRT) deve ter 2 dígitos.');
    const token = String(s.csrt.token ?? '').trim();
    if (token.length < 16 || token.length > 36) throw orderError(`${f}.csrt.token`, 'O CSRT fornecido pela SEFAZ tem de 16 a 36 caracteres.');
    group.idCSRT = s.csrt.id;
    group.hashCSRT = hashCsrt(token, chave);
  }
  return group;
}

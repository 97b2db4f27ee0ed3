import type { EstablishmentDto, RespTecDto } from '../../shared/api/admin';
import { AppError, invalidInput } from '../errors';
import { respTecGroup } from '../fiscal/resp-tec';

/** Fields of the builder's check → the Administração form's. */
const FIELD: Record<string, string> = {
  'responsavelTecnico.cnpj': 'respTec.cnpj',
  'responsavelTecnico.contato': 'respTec.contato',
  'responsavelTecnico.email': 'respTec.email',
  'responsavelTecnico.fone': 'respTec.fone',
  'responsavelTecnico.csrt.id': 'respTec.idCSRT',
  'responsavelTecnico.csrt.token': 'respTec.csrt',
};

/**
 * The responsável técnico as it will be stored: checked by the very rules the NF-e builder
 * applies (so a saved setting never stops a note), the CSRT kept when the form leaves it
 * blank (it is write-only), dropped with its id.
 */
export function checkedRespTec(input: RespTecDto | null | undefined, stored: RespTecDto | null | undefined): RespTecDto | null {
  if (!input || (!input.cnpj && !input.contato && !input.email && !input.fone)) return null;
  const idCSRT = input.idCSRT?.trim() || null;
  const csrt = idCSRT ? input.csrt?.trim() || stored?.csrt || null : null;
  if (idCSRT && !csrt) throw invalidInput('Informe o CSRT fornecido pela SEFAZ junto com o seu identificador.', 'respTec.csrt');
  const r: RespTecDto = {
    cnpj: String(input.cnpj ?? '').replace(/[.\-/\s]/g, '').toUpperCase(),
    contato: String(input.contato ?? '').trim(),
    email: String(input.email ?? '').trim(),
    fone: String(input.fone ?? '').replace(/\D/g, ''),
    idCSRT,
    csrt,
  };
  try {
    respTecGroup({ ...r, csrt: idCSRT && csrt ? { id: idCSRT, token: csrt } : null }, '0'.repeat(44));
  } catch (err) {
    if (err instanceof AppError) throw invalidInput(err.message, FIELD[err.field ?? ''] ?? 'respTec');
    throw err;
  }
  return r;
}

/** What screens read: the CSRT token never leaves the record. */
export function withoutCsrt(e: EstablishmentDto | null): EstablishmentDto | null {
  if (!e?.respTec) return e;
  return { ...e, respTec: { ...e.respTec, csrt: null, csrtInformado: !!e.respTec.csrt } };
}

import type { ApiError } from '../../../shared/errors';
import { ApiCallError } from '../api';

/** The error as the core sent it, or a pt-BR stand-in for anything else thrown. */
export function apiErrorOf(err: unknown): ApiError {
  if (err instanceof ApiCallError) return err.error;
  return { code: 'INTERNAL', message: 'Erro inesperado nesta tela. Nada do que já estava salvo foi perdido; tente novamente.' };
}

/** "Não foi possível carregar os pedidos: <core message>" */
export function errorText(err: unknown, action?: string): string {
  const e = apiErrorOf(err);
  const message = e.code === 'UNKNOWN_METHOD' ? 'esta função ainda não está disponível nesta versão.' : e.message;
  return action ? `${action}: ${message}` : message;
}

export { normalizeFieldPath } from './field-paths';

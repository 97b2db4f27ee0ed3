import { AppError } from '../errors';

/** Stable codes of the SEFAZ client. Messages are pt-BR and say what to do. */
export const SefazErrors = {
  /** TCP/TLS could not be set up: nothing reached SEFAZ, resending is safe. */
  SEFAZ_UNREACHABLE: 'SEFAZ_UNREACHABLE',
  /** The request may have reached SEFAZ but no reply came back: consult before resending. */
  SEFAZ_NO_REPLY: 'SEFAZ_NO_REPLY',
  /** TLS refused: server certificate not trusted or client certificate refused. */
  SEFAZ_TLS: 'SEFAZ_TLS',
  SEFAZ_HTTP: 'SEFAZ_HTTP',
  SEFAZ_BAD_REPLY: 'SEFAZ_BAD_REPLY',
  SEFAZ_NO_ENDPOINT: 'SEFAZ_NO_ENDPOINT',
  SEFAZ_REJECTED: 'SEFAZ_REJECTED',
  SEFAZ_CANCEL_DEADLINE: 'SEFAZ_CANCEL_DEADLINE',
  SEFAZ_DOCUMENT_NOT_FOUND: 'SEFAZ_DOCUMENT_NOT_FOUND',
  SEFAZ_INVALID_REQUEST: 'SEFAZ_INVALID_REQUEST',
  SEFAZ_NUMBER_CONFLICT: 'SEFAZ_NUMBER_CONFLICT',
} as const;

export type SefazErrorCode = (typeof SefazErrors)[keyof typeof SefazErrors];

export function sefazError(code: SefazErrorCode, message: string, opts: { field?: string; cause?: unknown } = {}): AppError {
  return new AppError(code, message, opts);
}

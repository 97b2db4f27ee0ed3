import { AppError } from '../errors';

/** Stable codes of the fiscal core. Messages are pt-BR and say what to do. */
export const FiscalErrors = {
  CERT_WRONG_PASSWORD: 'CERT_WRONG_PASSWORD',
  CERT_EXPIRED: 'CERT_EXPIRED',
  CERT_NOT_YET_VALID: 'CERT_NOT_YET_VALID',
  CERT_CNPJ_MISMATCH: 'CERT_CNPJ_MISMATCH',
  CERT_INVALID: 'CERT_INVALID',
  SIGNATURE_FAILED: 'SIGNATURE_FAILED',
  SIGNATURE_INVALID: 'SIGNATURE_INVALID',
  SCHEMA_INVALID: 'SCHEMA_INVALID',
  SCHEMA_UNAVAILABLE: 'SCHEMA_UNAVAILABLE',
  ORDER_INVALID: 'ORDER_INVALID',
  CHAVE_INVALID: 'CHAVE_INVALID',
  XML_INVALID: 'XML_INVALID',
} as const;

export type FiscalErrorCode = (typeof FiscalErrors)[keyof typeof FiscalErrors];

export function fiscalError(code: FiscalErrorCode, message: string, field?: string, cause?: unknown): AppError {
  return new AppError(code, message, { ...(field === undefined ? {} : { field }), ...(cause === undefined ? {} : { cause }) });
}

/** An order field that cannot become a valid NF-e; `field` is the order JSON path. */
export function orderError(field: string, message: string): AppError {
  return fiscalError(FiscalErrors.ORDER_INVALID, message, field);
}

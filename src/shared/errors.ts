/**
 * Stable error codes. Code is for programs (never changes meaning); the message is
 * pt-BR for the user. Domains add their codes here so the renderer can branch on them.
 */
export const ErrorCodes = {
  INVALID_INPUT: 'INVALID_INPUT',
  UNKNOWN_METHOD: 'UNKNOWN_METHOD',
  MALFORMED_REQUEST: 'MALFORMED_REQUEST',
  NOT_FOUND: 'NOT_FOUND',
  FORBIDDEN: 'FORBIDDEN',
  UNAUTHENTICATED: 'UNAUTHENTICATED',
  CONFLICT: 'CONFLICT',
  UNAVAILABLE: 'UNAVAILABLE',
  INTERNAL: 'INTERNAL',
  STORE_INTEGRITY: 'STORE_INTEGRITY',
} as const;

export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes] | (string & {});

export interface ApiError {
  code: ErrorCode;
  /** pt-BR, shown to the user as is. */
  message: string;
  /** Field path for validation errors (e.g. "itens[2].quantidade"). */
  field?: string;
  details?: JsonValue;
}

export type Envelope<T> = { ok: true; data: T } | { ok: false; error: ApiError };

export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };

export function isEnvelope(value: unknown): value is Envelope<unknown> {
  return typeof value === 'object' && value !== null && typeof (value as { ok?: unknown }).ok === 'boolean';
}

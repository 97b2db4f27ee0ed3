import { ErrorCodes, type ApiError, type ErrorCode, type JsonValue } from '../shared/errors';

/**
 * The one error type the core throws on purpose. `message` is pt-BR for the user;
 * `code` is stable for programs. Anything else that escapes a handler is a bug and is
 * reported as INTERNAL without leaking its text.
 */
export class AppError extends Error {
  readonly code: ErrorCode;
  readonly field?: string;
  readonly details?: JsonValue;

  constructor(code: ErrorCode, message: string, opts: { field?: string; details?: JsonValue; cause?: unknown } = {}) {
    super(message, opts.cause === undefined ? undefined : { cause: opts.cause });
    this.name = 'AppError';
    this.code = code;
    if (opts.field !== undefined) this.field = opts.field;
    if (opts.details !== undefined) this.details = opts.details;
  }

  toApiError(): ApiError {
    const e: ApiError = { code: this.code, message: this.message };
    if (this.field !== undefined) e.field = this.field;
    if (this.details !== undefined) e.details = this.details;
    return e;
  }
}

export function invalidInput(message: string, field?: string): AppError {
  return new AppError(ErrorCodes.INVALID_INPUT, message, field === undefined ? {} : { field });
}

export function toApiError(err: unknown): ApiError {
  if (err instanceof AppError) return err.toApiError();
  return { code: ErrorCodes.INTERNAL, message: 'Erro interno inesperado. Nada do que já estava salvo foi perdido; tente novamente.' };
}

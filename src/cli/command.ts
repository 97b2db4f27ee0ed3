import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { AppError } from '../core/errors';

/** One `comboio <name>` subcommand. Each lives in its own file under commands/. */
export interface Command {
  name: string;
  /** One line for `comboio --help`. */
  summary: string;
  /** Full usage text for `comboio <name> --help`. */
  usage: string;
  run(argv: string[]): Promise<number>;
}

export class UsageError extends Error {}

type Options = NonNullable<ParseArgsConfig['options']>;

/** parseArgs with strict checking; unknown flags become a UsageError in pt-BR. */
export function parseFlags<O extends Options>(argv: string[], options: O) {
  try {
    return parseArgs({ args: argv, options, allowPositionals: true, strict: true });
  } catch (err) {
    throw new UsageError(`Argumentos inválidos: ${(err as Error).message}`);
  }
}

export function requireFlag(value: string | undefined, flag: string): string {
  if (!value) throw new UsageError(`Falta o parâmetro --${flag}.`);
  return value;
}

/** The flags a command takes for the A1's password (see certPassword). */
export const CERT_PASSWORD_FLAGS = { password: { type: 'string' }, 'password-file': { type: 'string' } } as const;
export const CERT_PASSWORD_USAGE = `  --password-file ARQ  arquivo com a senha do certificado (ou a variável COMBOIO_CERT_PASSWORD;
                       --password SENHA também vale, mas fica visível no ps)`;

/**
 * The A1's password: from --password-file, else --password, else the COMBOIO_CERT_PASSWORD
 * variable. Never required on the command line, where every user of the machine sees it.
 */
export function certPassword(values: { password?: string | undefined; 'password-file'?: string | undefined }): string {
  if (values['password-file']) return readFileSync(resolve(values['password-file']), 'utf8').replace(/\r?\n$/, '');
  const password = values.password ?? process.env.COMBOIO_CERT_PASSWORD;
  if (password === undefined) throw new UsageError('Falta a senha do certificado: --password-file ARQ ou a variável COMBOIO_CERT_PASSWORD.');
  return password;
}

export function parsePort(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new UsageError(`Porta inválida: ${value}`);
  return n;
}

/** Prints an error the way every subcommand does: pt-BR message, stable code. */
export function reportError(err: unknown): number {
  if (err instanceof UsageError) {
    process.stderr.write(`comboio: ${err.message}\n`);
    return 2;
  }
  if (err instanceof AppError) {
    process.stderr.write(`comboio: ${err.message} [${err.code}]\n`);
    return 1;
  }
  process.stderr.write(`comboio: erro inesperado: ${(err as Error)?.stack ?? String(err)}\n`);
  return 1;
}

/** Resolves when the process is asked to stop (Ctrl+C or a service manager). */
export function untilSignal(): Promise<NodeJS.Signals> {
  return new Promise((ok) => {
    const done = (sig: NodeJS.Signals) => ok(sig);
    process.once('SIGINT', done);
    process.once('SIGTERM', done);
  });
}

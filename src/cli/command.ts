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

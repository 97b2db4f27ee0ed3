import { mkdirSync, readdirSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import pino from 'pino';
import { isoWithOffset } from '../clock';
import { redactFields, redactText } from './redact';

/**
 * The application's log: one JSON line per event in rotating files under `<data>/logs`
 * (pino + pino-roll), with local timestamps carrying their offset, a level, the component
 * and the event's fields. Secrets are removed from every line (redact.ts).
 *
 * Modules take a logger once, at import (`const log = logger('sefaz')`); it writes nowhere
 * until the process's host (CLI command, web host, Electron main) calls `startLogging`, so
 * tests and libraries pay nothing and nothing has to be threaded through constructors.
 */
export type Fields = Record<string, unknown>;
export interface Logger {
  debug(msg: string, fields?: Fields): void;
  info(msg: string, fields?: Fields): void;
  warn(msg: string, fields?: Fields): void;
  error(msg: string, fields?: Fields): void;
}

export const LOGS_FOLDER = 'logs';
export const logsDir = (dataDir: string): string => join(dataDir, LOGS_FOLDER);

type Level = 'debug' | 'info' | 'warn' | 'error';

let root: pino.Logger | null = null;
let generation = 0;

/** A component's logger. Cheap: the pino child is made on first use after each (re)start. */
export function logger(component: string): Logger {
  let child: pino.Logger | null = null;
  let made = -1;
  const write = (level: Level, msg: string, fields?: Fields) => {
    if (!root) return;
    if (made !== generation) {
      child = root.child({ component });
      made = generation;
    }
    child![level]((fields ?? {}) as object, msg);
  };
  return {
    debug: (msg, fields) => write('debug', msg, fields),
    info: (msg, fields) => write('info', msg, fields),
    warn: (msg, fields) => write('warn', msg, fields),
    error: (msg, fields) => write('error', msg, fields),
  };
}

/** ISO 8601 in local time with its offset and milliseconds (2026-12-02T15:04:05.123-03:00), as a support person reads the station's clock. */
export function localIso(d: Date): string {
  const ms = String(d.getMilliseconds()).padStart(3, '0');
  return isoWithOffset(d).replace(/([+-]\d\d:\d\d)$/, `.${ms}$1`);
}

export interface LoggingOptions {
  /** The data folder; files go to `<dataDir>/logs/<name>.<date>.<n>.log`. */
  dataDir: string;
  /** File name prefix: 'estacao', 'servidor', 'simulador', 'cli'. */
  name: string;
  level?: Level;
  /** Also print each line, short, on stderr (services: the journal / WinSW log). */
  echo?: boolean;
  /** Rotation: size of one file and how many old files to keep. */
  maxSize?: string;
  keep?: number;
}

export interface Logging {
  dir: string;
  /** Flushes and closes the file; loggers write nowhere again. */
  close(): Promise<void>;
}

/** Short human form for the console echo: `15:04:05 INFO [sefaz] autorização … {cStat:100}`. */
function echoStream(): Writable {
  return new Writable({
    write(chunk: Buffer, _enc, done) {
      try {
        const { time, level, component, msg, pid: _p, host: _h, proc: _r, ...rest } = JSON.parse(chunk.toString()) as Record<string, unknown>;
        const extra = Object.keys(rest).length ? ` ${JSON.stringify(rest)}` : '';
        process.stderr.write(`${String(time).slice(11, 19)} ${String(level).toUpperCase()} [${String(component ?? '-')}] ${String(msg ?? '')}${extra}\n`);
      } catch {
        process.stderr.write(chunk);
      }
      done();
    },
  });
}

/** Opens this process's log files. Call once per process, from its host. */
export async function startLogging(opts: LoggingOptions): Promise<Logging> {
  const dir = logsDir(opts.dataDir);
  mkdirSync(dir, { recursive: true });
  // pino-roll is CommonJS; loaded here so a process that never logs never loads it.
  const { default: roll } = await import('pino-roll');
  const file = await roll({ file: join(dir, opts.name), extension: '.log', dateFormat: 'yyyy-MM-dd', frequency: 'daily', size: opts.maxSize ?? '10m', limit: { count: opts.keep ?? 30 }, mkdir: true });
  const streams: pino.StreamEntry[] = [{ stream: file, level: opts.level ?? 'info' }];
  if (opts.echo) streams.push({ stream: echoStream(), level: 'info' });
  root = pino(
    {
      level: opts.level ?? 'info',
      base: { pid: process.pid, host: hostname(), proc: opts.name },
      timestamp: () => `,"time":"${localIso(new Date())}"`,
      formatters: { level: (label) => ({ level: label }), log: (fields) => redactFields(fields) as Record<string, unknown> },
      hooks: {
        logMethod(args, method) {
          method.apply(this, args.map((a) => (typeof a === 'string' ? redactText(a) : a)) as Parameters<typeof method>);
        },
      },
    },
    pino.multistream(streams),
  );
  generation++;
  return {
    dir,
    close: () =>
      new Promise<void>((ok) => {
        if (root) root.flush();
        root = null;
        generation++;
        file.once('close', () => ok());
        file.end();
      }),
  };
}

/** The log files of a data folder, oldest first (diagnostics export). */
export function logFiles(dataDir: string): string[] {
  try {
    return readdirSync(logsDir(dataDir))
      .filter((f) => f.endsWith('.log'))
      .sort()
      .map((f) => join(logsDir(dataDir), f));
  } catch {
    return [];
  }
}
